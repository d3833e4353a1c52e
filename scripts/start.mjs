// `npm start`: installs what is missing, builds, and runs the kiosk: in Electron when its
// binary is installed, otherwise in the web host on 127.0.0.1.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  BUILD_PACKAGES,
  electronBinary,
  ensureDebianPackages,
  ensureNodeVersion,
  ensureNpmPackages,
  projectRoot as root,
} from './ensure-deps.mjs';

try {
  ensureNodeVersion();
  ensureDebianPackages(BUILD_PACKAGES);
  ensureNpmPackages();
} catch (error) {
  process.stderr.write(`[setup] ${error.message}\n`);
  process.exit(1);
}

const { buildAll } = await import('./build.mjs');
await buildAll({ quiet: true });

const electron = electronBinary();
const [command, args] = electron
  ? [electron, [join(root, 'dist/electron/main.cjs')]]
  : [process.execPath, [join(root, 'dist/kiosk/main.js')]];
if (!electron) {
  process.stdout.write('[start] No Electron binary is installed: serving the kiosk in the web host instead.\n');
}
const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
