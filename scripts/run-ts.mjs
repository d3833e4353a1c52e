// Runs a TypeScript entry point of this repository with Node: bundles it with esbuild into
// dist/tools/ (dependencies stay external) and runs it with the remaining arguments.
// An entry that uses the PC/SC reader gets its worker built too (the worker runs as a
// child process of plain Node), named to it in $KIOSK_PCSC_WORKER.
//   node scripts/run-ts.mjs backoffice/main.ts add-kiosk k1
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { projectRoot as root } from './ensure-deps.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run-ts.mjs <entry.ts> [args...]\n');
  process.exit(2);
}
const outfile = join(root, 'dist/tools', `${basename(entry, '.ts')}.mjs`);
const result = await build({
  entryPoints: [join(root, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
const env = { ...process.env };
if (Object.keys(result.metafile.inputs).some((input) => input.endsWith('hardware/pcsc/pcsc-reader.ts'))) {
  const { buildPcscWorker } = await import('./build.mjs');
  env.KIOSK_PCSC_WORKER = await buildPcscWorker();
}
const child = spawn(process.execPath, ['--enable-source-maps', ...(process.env.NODE_ARGS ?? '').split(' ').filter(Boolean), outfile, ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
