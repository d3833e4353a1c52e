// Builds what runs: the renderer (Vite) and the Node/Electron entry points (esbuild).
// Dependencies stay external: they are loaded from node_modules at run time.
import { build as viteBuild } from 'vite';
import { build } from 'esbuild';
import { join } from 'node:path';
import { projectRoot as root } from './ensure-deps.mjs';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

export async function buildAll({ quiet = false } = {}) {
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  await build({
    ...common,
    entryPoints: [join(root, 'kiosk/main.ts')],
    outfile: join(root, 'dist/kiosk/main.js'),
    format: 'esm',
    packages: 'external',
  });
  // The PC/SC worker runs in its own process; PcscReader finds it next to main.js.
  await build({
    ...common,
    entryPoints: [join(root, 'hardware/pcsc/worker.ts')],
    outfile: join(root, 'dist/kiosk/pcsc-worker.js'),
    format: 'esm',
    packages: 'external',
  });
  await build({
    ...common,
    entryPoints: [join(root, 'electron/main.ts')],
    outfile: join(root, 'dist/electron/main.cjs'),
    format: 'cjs',
    packages: 'external',
    external: ['electron'],
  });
  // A sandboxed preload may only require 'electron': everything else is bundled in.
  await build({
    ...common,
    entryPoints: [join(root, 'electron/preload.ts')],
    outfile: join(root, 'dist/electron/preload.cjs'),
    format: 'cjs',
    external: ['electron'],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildAll().catch((error) => {
    process.stderr.write(`build failed: ${error.message}\n`);
    process.exit(1);
  });
}
