// The Node this project supports (package.json `engines`, 20.19 on Debian 12's backports and
// these machines) is enough for every installed package the kiosk or the back office runs,
// so `npm install` warns of no engine there (issue 12: 15 EBADENGINE warnings, later 6).
// Only Electron's own packaging tools want Node 22.12: Electron 45 is the required major,
// and electron-builder's @electron/rebuild 4 (with node-abi 4) has no release for Node 20.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; engines?: { node?: string } | string[] }>;
};

/** The oldest Node package.json allows. */
const OLDEST = semver.minVersion(pkg.engines.node)?.version ?? '';

/** The installed packages whose engines do not admit OLDEST, as name@version. */
function wantingNewer(filter: (entry: { dev?: boolean }) => boolean): string[] {
  const found: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || !filter(entry)) continue;
    const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (node && !semver.satisfies(OLDEST, node)) found.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version ?? '?'}`);
  }
  return found.sort();
}

describe(`package engines against Node ${OLDEST} (package.json: ${pkg.engines.node})`, () => {
  it('no package the kiosk or the back office runs wants a newer Node', () => {
    expect(wantingNewer((entry) => entry.dev !== true)).toEqual([]);
  });

  it('among the development tools, only Electron 45 and its packaging tools do', () => {
    expect(wantingNewer((entry) => entry.dev === true)).toEqual([
      '@electron-internal/extract-zip@1.0.8',
      '@electron/get@5.1.0',
      '@electron/rebuild@4.2.1',
      'electron@45.5.0',
      'node-abi@4.40.0',
    ]);
  });
});
