// Builds what runs: the renderer (Vite) and the Node/Electron entry points (esbuild).
// Dependencies stay external: they are loaded from node_modules at run time.
// The station's entries (kiosk/main.ts, electron/main.ts) and the demo's (demo/main.ts,
// demo/electron-main.ts) are separate bundles: a station bundle contains no demo, no
// back office and no simulated reader (test/architecture.test.ts checks their metafiles).
import { build } from 'esbuild';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { buildIsCurrent, sourcesStamp, writeStamp } from './build-stamp.mjs';
import { projectRoot as root } from './ensure-deps.mjs';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

/**
 * A CommonJS bundle (Electron's main, the preload) has no import.meta: give code that asks
 * for import.meta.url the bundle's own file URL, as an ES module would have it.
 */
const cjsImportMeta = {
  define: { 'import.meta.url': '__bundleFileUrl' },
  inject: [join(root, 'electron', 'cjs-import-meta.ts')],
};

/** Each Node/Electron bundle: its entry (relative to the root), its output and format. */
export const BUNDLES = {
  station: { entry: 'kiosk/main.ts', outfile: 'dist/kiosk/main.js', format: 'esm' },
  stationElectron: { entry: 'electron/main.ts', outfile: 'dist/electron/main.cjs', format: 'cjs' },
  demo: { entry: 'demo/main.ts', outfile: 'dist/demo/main.js', format: 'esm' },
  demoElectron: { entry: 'demo/electron-main.ts', outfile: 'dist/demo/electron-main.cjs', format: 'cjs' },
  // The PC/SC worker runs in its own process; PcscReader finds it next to main.js.
  pcscWorker: { entry: 'hardware/pcsc/worker.ts', outfile: 'dist/kiosk/pcsc-worker.js', format: 'esm' },
};

/** Bundles one entry; `write: false` returns the metafile without writing anything. */
export function bundle(name, { write = true } = {}) {
  const spec = BUNDLES[name];
  if (!spec) throw new Error(`no bundle ${name}`);
  return build({
    ...common,
    entryPoints: [join(root, spec.entry)],
    outfile: join(root, spec.outfile),
    format: spec.format,
    ...(spec.format === 'cjs' ? cjsImportMeta : {}),
    packages: 'external',
    external: ['electron'],
    metafile: true,
    write,
  });
}

export async function buildAll({ quiet = false } = {}) {
  // Taken before building: a source saved during the build makes the next start build again.
  const stamp = sourcesStamp(root);
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  for (const name of Object.keys(BUNDLES)) await bundle(name);
  // A sandboxed preload may only require 'electron': everything else is bundled in.
  await build({
    ...common,
    entryPoints: [join(root, 'electron/preload.ts')],
    outfile: join(root, 'dist/electron/preload.cjs'),
    format: 'cjs',
    ...cjsImportMeta,
    external: ['electron'],
  });
  writeStamp(root, stamp);
}

/** Builds only when a source changed since the last build (or an output is missing). True when it built. */
export async function buildIfChanged({ quiet = false } = {}) {
  if (buildIsCurrent(root)) return false;
  await buildAll({ quiet });
  return true;
}

/**
 * Builds the PC/SC worker (BUNDLES.pcscWorker's entry; PcscReader forks it as plain Node)
 * to `outfile`, by default node_modules/.cache/station-kiosk/pcsc-worker.mjs, for what runs
 * from source: the pcsc tests' global setup and scripts/run-ts.mjs. Written to a temporary
 * file and renamed, so a worker being forked never sees half a file. Returns the path.
 */
export async function buildPcscWorker({ outfile = join(root, 'node_modules/.cache/station-kiosk/pcsc-worker.mjs') } = {}) {
  const tmp = `${outfile}.${process.pid}.tmp.mjs`;
  await build({
    ...common,
    sourcemap: 'inline',
    entryPoints: [join(root, BUNDLES.pcscWorker.entry)],
    outfile: tmp,
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  renameSync(tmp, outfile);
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quiet = process.argv.includes('--quiet');
  (process.argv.includes('--if-changed') ? buildIfChanged({ quiet }) : buildAll({ quiet })).catch((error) => {
    process.stderr.write(`build failed: ${error.message}\n`);
    process.exit(1);
  });
}
