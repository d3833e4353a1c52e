// What the last build was made from: a hash of every source file's path, size and
// modification time (not their contents: reading ~400 files' names and times takes a few
// milliseconds, so `npm start` can ask on every start). Plain Node, no dependencies, so the
// launcher can ask without loading any build tool.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The folders and files a build reads (dependencies count through package-lock.json). */
export const BUILD_INPUTS = [
  'backoffice', 'demo', 'domain', 'electron', 'hardware', 'kiosk', 'machine', 'protocol', 'renderer', 'sqlite', 'store', 'sync',
  'package.json', 'package-lock.json', 'tsconfig.json', 'vite.config.ts', 'scripts/build.mjs',
];

/** The outputs a start needs; a stamp does not count when one of them is gone. */
export const BUILD_OUTPUTS = [
  'dist/renderer/index.html', 'dist/kiosk/main.js', 'dist/kiosk/pcsc-worker.js', 'dist/demo/main.js',
  'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/demo/electron-main.cjs',
];

const STAMP = join('dist', '.build-stamp');

function walk(root, path, lines) {
  const full = join(root, path);
  if (!existsSync(full)) return;
  const stat = statSync(full);
  if (stat.isDirectory()) {
    for (const name of readdirSync(full).sort()) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      walk(root, join(path, name), lines);
    }
    return;
  }
  // Tests do not go into a bundle: editing one does not make a build necessary.
  if (/\.test\.tsx?$/.test(path)) return;
  lines.push(`${relative(root, full)}\t${stat.size}\t${Math.trunc(stat.mtimeMs)}`);
}

/** The stamp of the sources under `root` as they are now. */
export function sourcesStamp(root) {
  const lines = [];
  for (const input of BUILD_INPUTS) walk(root, input, lines);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** True when `dist/` holds a build of exactly these sources. */
export function buildIsCurrent(root, stamp = sourcesStamp(root)) {
  if (!BUILD_OUTPUTS.every((file) => existsSync(join(root, file)))) return false;
  try {
    return readFileSync(join(root, STAMP), 'utf8').trim() === stamp;
  } catch {
    return false;
  }
}

/** Written after a build has succeeded, with the stamp taken before it started. */
export function writeStamp(root, stamp) {
  writeFileSync(join(root, STAMP), `${stamp}\n`);
}
