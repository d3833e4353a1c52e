import { defineConfig } from 'vitest/config';
import { isWorkerPipeRace } from './test/worker-pipe-race.js';

// Native addons (better-sqlite3, later the PC/SC binding) abort under worker threads:
// every project runs in forked processes.
export default defineConfig({
  test: {
    pool: 'forks',
    globals: true,
    // A known race of the pool at a worker's end (test/worker-pipe-race.ts): let go, and said.
    onUnhandledError(error) {
      if (!isWorkerPipeRace(error)) return;
      process.stderr.write('vitest: a reply to a worker that was exiting failed with EPIPE (a known pool race); every result had been reported\n');
      return false;
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['{domain,machine,hardware,protocol,sqlite,store,sync,kiosk,electron,backoffice,demo,scripts}/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/pcsc/**', 'test/e2e/**', '**/node_modules/**'],
        },
      },
      {
        // The real PC/SC stack (pcscd + vpcd + virtual card): one reader, so one file at a
        // time, after the other projects. The global setup starts pcscd when needed.
        extends: true,
        test: {
          name: 'pcsc',
          environment: 'node',
          include: ['test/pcsc/**/*.test.ts'],
          globalSetup: ['test/pcsc/global-setup.ts'],
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Chromium against the web host: one file at a time, after the other projects.
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['renderer/test-setup.ts'],
        },
      },
    ],
  },
});
