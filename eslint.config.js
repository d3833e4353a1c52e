// Lint rules that keep the dependency directions of ARCHITECTURE.md true:
// machine → nothing; renderer → the contract only; nothing imports renderer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noRenderer = { group: ['**/renderer/**'], message: 'Nothing imports the renderer.' };
const noElectron = { group: ['electron', '**/electron/**'], message: 'Only electron/ may use Electron.' };

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
      'no-restricted-imports': ['error', { patterns: [noRenderer] }],
    },
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
  {
    files: ['machine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '../*', 'react', 'react-dom', 'better-sqlite3', 'fs', 'path', 'electron'],
              message: 'The machine is pure: it imports xstate and its own folder only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['hardware/**/*.ts', 'store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noRenderer,
            noElectron,
            { group: ['**/kiosk/**'], message: 'hardware/ and store/ do not depend on the composition root.' },
          ],
        },
      ],
    },
  },
  {
    files: ['kiosk/**/*.ts', 'backoffice/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noRenderer, noElectron] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '**/hardware/**', '**/store/**', '**/electron/**', '**/backoffice/**', 'xstate', 'zod'],
              message: 'The renderer is a view: it may import the contract (kiosk/contract) and machine/types only.',
            },
            {
              group: ['**/kiosk/*', '!**/kiosk/contract.js'],
              message: 'The renderer may import kiosk/contract only.',
            },
            {
              group: ['**/machine/*', '!**/machine/types.js'],
              message: 'The renderer may import machine/types only.',
            },
          ],
        },
      ],
    },
  },
);
