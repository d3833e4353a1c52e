// Lint rules, among them the dependency directions of docs/architecture.md as an allowlist:
// LAYERS says, for each top-level folder, which other folders and which packages its
// shipped code may import; everything else is an error. test/layers.test.ts checks that a
// forbidden import fails the lint and that docs/architecture.md draws this same table.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * `folders`: the top-level folders it may import (`kiosk/contract` alone is a file).
 * `typeOnly`: of those, the ones it may import types from only.
 * `packages`: the npm packages it may import; `node:` means Node's built-in modules.
 * `'*'`: anything (the demo, developer tools and tests are not shipped to a station).
 */
export const LAYERS = {
  domain: { folders: [], packages: [] },
  machine: { folders: ['domain'], packages: ['xstate'] },
  hardware: { folders: ['domain'], packages: ['node:', 'nfc-pcsc', 'pino', 'zod'] },
  protocol: { folders: ['domain'], packages: ['zod'] },
  sqlite: { folders: [], packages: ['node:', 'better-sqlite3'] },
  store: { folders: ['domain', 'protocol', 'sqlite'], packages: ['node:', 'better-sqlite3', 'zod'] },
  sync: { folders: ['domain', 'protocol', 'store'], packages: ['node:', 'zod', 'undici'] },
  kiosk: {
    // The catalogs' data alone of the renderer: the receipt is printed in the traveller's words (kiosk/receipt.ts).
    folders: ['domain', 'machine', 'hardware', 'protocol', 'store', 'sync', 'renderer/i18n/nl', 'renderer/i18n/en', 'renderer/i18n/de', 'renderer/i18n/fr'],
    packages: ['node:', 'pino', 'xstate', 'zod', 'fastify', '@fastify/static', '@fastify/websocket', 'receiptline'],
  },
  electron: { folders: ['domain', 'kiosk'], packages: ['node:', 'electron', 'pino'] },
  renderer: {
    folders: ['domain', 'kiosk/contract', 'demo/dev-contract'],
    typeOnly: ['kiosk/contract', 'demo/dev-contract'],
    packages: ['react', 'react-dom', 'i18next', 'react-i18next', 'qrcode'],
  },
  backoffice: {
    folders: ['domain', 'protocol', 'sqlite'],
    packages: [
      'node:', 'pino', 'zod', 'fastify', '@fastify/rate-limit', '@fastify/swagger', 'fastify-type-provider-zod',
      '@fastify/cookie', '@fastify/session', '@fastify/csrf-protection', '@fastify/formbody', 'escape-html', 'pg', 'ibantools',
    ],
  },
  demo: { folders: '*', packages: '*' },
  scripts: { folders: '*', packages: '*' },
  test: { folders: '*', packages: '*' },
};

/** Every top-level folder the table knows. */
export const FOLDERS = Object.keys(LAYERS);

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** An import path that reaches top-level folder `name` (relative, through any number of ../). */
const reaches = (name) => `(^|/)${escape(name)}(/|$)`;

/** The no-restricted-imports patterns of one layer: every folder and package not allowed. */
function layerPatterns(name, layer) {
  const patterns = [];
  if (layer.folders !== '*') {
    const allowedFolders = layer.folders.filter((f) => !f.includes('/'));
    for (const other of FOLDERS) {
      if (other === name || allowedFolders.includes(other)) continue;
      // A folder allowed only for one file of it (kiosk/contract): every other file is refused.
      const files = layer.folders.filter((f) => f.startsWith(`${other}/`)).map((f) => f.slice(other.length + 1));
      const except = files.length ? `(?!(${files.map((f) => escape(f)).join('|')})\\.js$)` : '';
      patterns.push({
        regex: files.length ? `(^|/)${escape(other)}/${except}` : reaches(other),
        message: `${name}/ may not import ${other}/${files.length ? ` (only ${files.map((f) => `${other}/${f}`).join(', ')})` : ''}: docs/architecture.md, dependency table.`,
      });
    }
  }
  if (layer.packages !== '*') {
    const node = layer.packages.includes('node:');
    const allowed = layer.packages.filter((p) => p !== 'node:').map((p) => `${escape(p)}(/|$)`);
    const exceptions = ['\\.', ...(node ? ['node:'] : []), ...allowed];
    patterns.push({
      regex: `^(?!(${exceptions.join('|')}))`,
      message: `${name}/ may import only these packages: ${layer.packages.join(', ') || 'none'} (docs/architecture.md, dependency table).`,
    });
  }
  return patterns;
}

/** Files that are not shipped: tests and their helpers follow their own rules. */
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/test-helpers.ts', '**/test/**', 'renderer/test-setup.ts', 'electron/fake-*.ts'];

const layerBlocks = Object.entries(LAYERS)
  .filter(([, layer]) => layer.folders !== '*' || layer.packages !== '*')
  .map(([name, layer]) => ({
    files: [`${name}/**/*.ts`, `${name}/**/*.tsx`],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': ['error', { patterns: layerPatterns(name, layer) }],
      ...(layer.typeOnly
        ? {
            '@typescript-eslint/no-restricted-imports': [
              'error',
              {
                patterns: layer.typeOnly.map((file) => ({
                  group: [`**/${file}.js`],
                  allowTypeImports: true,
                  message: `${name}/ may import only types from ${file}: docs/architecture.md, dependency table.`,
                })),
              },
            ],
          }
        : {}),
    },
  }));

/** Nothing imports the renderer or the demo (tests of the renderer aside). */
const nobodyImports = ['renderer', 'demo'].map((name) => ({ regex: reaches(name), message: `Nothing imports ${name}/.` }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests of one layer must not reach into the renderer either (its own tests aside).
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['renderer/**', 'demo/**', 'test/**', 'scripts/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: nobodyImports.slice(0, 1) }] },
  },
  {
    // End-to-end tests find buttons by the names the catalogs give them.
    files: ['test/e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: 'renderer/(?!i18n/)', message: 'E2E tests may read the catalogs only.' }] },
      ],
    },
  },
  ...layerBlocks,
);
