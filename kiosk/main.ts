// Entry point of the web host: `node dist/kiosk/main.js` (npm start does this when no
// Electron binary is installed).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir, startKiosk } from './start.js';
import { startWebHost } from './web-host.js';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const dataDir = process.env.KIOSK_DATA_DIR ?? defaultDataDir();
  const port = Number(process.env.PORT ?? 8080);
  const running = await startKiosk({ dataDir });
  const host = await startWebHost({
    service: running.service,
    log: running.log,
    rendererDir: process.env.KIOSK_RENDERER_DIR ?? join(here, '..', 'renderer'),
    port,
    health: running.service.maintenance.status,
  });
  running.log.info({ url: host.url, dataDir, demo: running.config.demo }, 'kiosk is being served');
  process.stdout.write(`\nKiosk: ${host.url}${running.config.demo ? '  (demo mode: use the developer dock to tap cards)' : ''}\n\n`);

  const shutdown = async (signal: string) => {
    running.log.info({ signal }, 'stopping');
    await host.close();
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`The kiosk could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
