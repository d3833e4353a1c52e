// The architecture as the code must keep it (docs/architecture.md): what a station build
// contains, which imports the lint refuses, and that the document draws the same
// dependency table the lint enforces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { FOLDERS, LAYERS } from '../eslint.config.js';
import { bundle } from '../scripts/build.mjs';

const root = join(import.meta.dirname, '..');

/** What esbuild said about each bundle: a start must print no build warning (issue 12). */
const warnings: Record<string, string[]> = {};

/** Source modules of the project (not node_modules) that esbuild put into a bundle. */
async function bundledModules(name: string): Promise<string[]> {
  const result = await bundle(name, { write: false });
  warnings[name] = result.warnings.map((w) => `${w.location?.file ?? ''}: ${w.text}`);
  return Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules'));
}

const DEMO_OR_FLEET = /^(backoffice|demo)\/|^hardware\/simulated-|^scripts\//;

describe('the station build', () => {
  let modules: Record<string, string[]>;
  beforeAll(async () => {
    modules = {};
    for (const name of ['station', 'stationElectron', 'demo', 'demoElectron']) modules[name] = await bundledModules(name);
  }, 60_000);

  it.each(['station', 'stationElectron', 'demo', 'demoElectron'])('%s bundle builds without a warning', (name) => {
    expect(warnings[name]).toEqual([]);
  });

  it.each(['station', 'stationElectron'])('%s bundle contains no back office, demo or simulated reader module', (name) => {
    const modulesOf = modules[name] ?? [];
    expect(modulesOf.length).toBeGreaterThan(20);
    expect(modulesOf).toContain('kiosk/station.ts');
    expect(modulesOf.filter((m) => DEMO_OR_FLEET.test(m))).toEqual([]);
  });

  it('the same check sees them in the demo bundle (so it would see them in a station bundle)', () => {
    const found = (modules.demo ?? []).filter((m) => DEMO_OR_FLEET.test(m));
    expect(found).toEqual(expect.arrayContaining(['backoffice/server.ts', 'demo/start.ts', 'hardware/simulated-reader.ts']));
  });
});

describe('the dependency table', () => {
  const eslint = new ESLint({ cwd: root });

  /** The lint messages for `code` as if it were the file `file` of the repository. */
  async function lint(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(root, file) });
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
  }
  const restricted = (messages: string[]) => messages.filter((m) => m.includes('no-restricted-imports'));

  // The six layer-breaking imports the review tried (five of them passed the old lint).
  it.each([
    ['backoffice → kiosk', 'backoffice/probe.ts', "import { startStation } from '../kiosk/station.js';\nvoid startStation;\n"],
    ['store → backoffice', 'store/probe.ts', "import { openBackOfficeDb } from '../backoffice/db.js';\nvoid openBackOfficeDb;\n"],
    ['hardware → store', 'hardware/probe.ts', "import { openStore } from '../store/index.js';\nvoid openStore;\n"],
    ['machine → zod', 'machine/probe.ts', "import { z } from 'zod';\nvoid z;\n"],
    ['renderer value import of the contract', 'renderer/probe.ts', "import { uiEventSchema } from '../kiosk/contract.js';\nvoid uiEventSchema;\n"],
    ['kiosk → demo', 'kiosk/probe.ts', "import { startDemo } from '../demo/start.js';\nvoid startDemo;\n"],
    ['a nested renderer file → store', 'renderer/screens/probe.tsx', "import type { Store } from '../../store/index.js';\nexport type S = Store;\n"],
    ['domain → a Node module', 'domain/probe.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n"],
    ['sqlite → store', 'sqlite/probe.ts', "import type { Store } from '../store/index.js';\nexport type S = Store;\n"],
    ['electron → demo', 'electron/probe.ts', "import { startDemo } from '../demo/start.js';\nvoid startDemo;\n"],
    ['sync → kiosk', 'sync/probe.ts', "import type { Kiosk } from '../kiosk/kiosk.js';\nexport type K = Kiosk;\n"],
    ['a re-export: protocol → store', 'protocol/probe.ts', "export { openStore } from '../store/index.js';\n"],
  ])('refuses %s', async (_name, file, code) => {
    expect(restricted(await lint(file, code))).not.toEqual([]);
  });

  it.each([
    ['renderer type import of the contract', 'renderer/probe.ts', "import type { KioskView } from '../kiosk/contract.js';\nexport type V = KioskView;\n"],
    ['renderer → domain values', 'renderer/probe.ts', "import { LANGUAGES } from '../domain/index.js';\nvoid LANGUAGES;\n"],
    ['machine → xstate', 'machine/probe.ts', "import { setup } from 'xstate';\nvoid setup;\n"],
    ['store → sqlite', 'store/probe.ts', "import { openDatabase } from '../sqlite/open.js';\nvoid openDatabase;\n"],
    ['a test may use a harness from anywhere', 'kiosk/probe.test.ts', "import { startDemo } from '../demo/start.js';\nvoid startDemo;\n"],
  ])('allows %s', async (_name, file, code) => {
    expect(restricted(await lint(file, code))).toEqual([]);
  });

  // Every pair of folders the table names, both ways: allowed ones lint clean, the rest fail.
  const pairs = FOLDERS.flatMap((from) => FOLDERS.filter((to) => to !== from).map((to) => [from, to] as const));
  it('refuses exactly the folder pairs the table does not allow', async () => {
    const wrong: string[] = [];
    for (const [from, to] of pairs) {
      const layer = LAYERS[from] ?? { folders: [] };
      const allowed = layer.folders === '*' || (layer.folders as readonly string[]).includes(to);
      const code = `import * as probe from '../${to}/probe-module.js';\nvoid probe;\n`;
      const refused = restricted(await lint(`${from}/probe.ts`, code)).length > 0;
      if (refused === allowed) wrong.push(`${from} → ${to}: ${refused ? 'refused' : 'allowed'}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('every top-level folder with source code is in the table', () => {
    const tracked = readFileSync(join(root, 'tsconfig.json'), 'utf8');
    const included = (JSON.parse(tracked) as { include: string[] }).include.filter((entry) => !entry.includes('*'));
    expect([...included].sort()).toEqual([...FOLDERS].sort());
  });

  it('docs/architecture.md draws the table the lint enforces', () => {
    const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
    const section = doc.slice(doc.indexOf('<!-- layers:start -->'), doc.indexOf('<!-- layers:end -->'));
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const drawn = Object.fromEntries(
      rows.map(([, folder, folders, packages]) => [
        (folder ?? '').replace(/[`/]/g, ''),
        { folders: parseCell(folders ?? ''), packages: parseCell(packages ?? '') },
      ]),
    );
    const enforced = Object.fromEntries(
      Object.entries(LAYERS).map(([name, layer]) => [
        name,
        {
          folders:
            layer.folders === '*'
              ? '*'
              : layer.folders.map((f) => ((layer as { typeOnly?: readonly string[] }).typeOnly?.includes(f) ? `${f} (types)` : f)),
          packages: layer.packages,
        },
      ]),
    );
    expect(drawn).toEqual(enforced);
  });
});

/** A cell of the document's table: `a`, `b (types)` … or "anything" or "nothing". */
function parseCell(cell: string): string[] | '*' {
  if (cell === 'anything') return '*';
  if (cell === 'nothing') return [];
  return cell.split(',').map((part) => part.trim().replace(/`/g, '').replace(/^(\w[\w-]*)\/(?=\s|$)/, '$1'));
}
