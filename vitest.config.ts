import { defineConfig } from 'vitest/config';

// Native addons (better-sqlite3, later the PC/SC binding) abort under worker threads:
// every project runs in forked processes.
export default defineConfig({
  test: {
    pool: 'forks',
    globals: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['{machine,hardware,store,kiosk,electron,backoffice,scripts}/**/*.test.ts', 'test/**/*.test.ts'],
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
