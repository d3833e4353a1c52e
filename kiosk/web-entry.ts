// What the web host's entry points share: start a kiosk, serve it on 127.0.0.1 and stop it
// cleanly on SIGINT/SIGTERM. kiosk/main.ts starts a station (fail closed: kiosk/fail-closed.ts),
// demo/main.ts the demo.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChromiumShell, type ChromiumShell } from './chromium-shell.js';
import { defaultDataDir, type HostedKiosk, type StartOptions } from './compose.js';
import { acquireInstanceLock } from './instance-lock.js';
import { SCREEN_COOKIE, startWebHost } from './web-host.js';

export function runWebHostEntry(start: (options: StartOptions) => Promise<HostedKiosk>, entryUrl: string): void {
  const here = dirname(fileURLToPath(entryUrl));
  const main = async (): Promise<void> => {
    const dataDir = process.env.KIOSK_DATA_DIR ?? defaultDataDir();
    const port = Number(process.env.PORT ?? 8080);
    // One kiosk per data directory: refused before anything (a demo's back office, its token) starts.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const lock = acquireInstanceLock(dataDir);
    process.once('exit', () => lock.release());
    const running = await start({ dataDir });
    // A station's screen is the Chromium shell's window alone: a secret for this start,
    // given to that window over the shell's private pipe, opens /ws (issue 11).
    const shellWanted = process.env.KIOSK_SHELL === 'chromium';
    const screenSecret = shellWanted && !running.config.demo ? randomBytes(32).toString('base64url') : undefined;
    const host = await startWebHost({
      ...(screenSecret ? { screenSecret } : {}),
      service: running.service,
      log: running.log,
      rendererDir: process.env.KIOSK_RENDERER_DIR ?? join(here, '..', 'renderer'),
      port,
      health: running.health,
      devChannel: running.devChannel,
    });
    running.log.info({ url: host.url, dataDir, demo: running.config.demo }, 'kiosk is being served');
    process.stdout.write(`\nKiosk: ${host.url}${running.config.demo ? '  (demo mode: use the developer dock to tap cards)' : ''}\n\n`);
    // KIOSK_SHELL=chromium: the screen too, Debian's Chromium in kiosk mode, kept running.
    let shell: ChromiumShell | null = null;
    if (shellWanted) {
      shell = startChromiumShell({
        url: host.url,
        ...(screenSecret ? { cookie: { name: SCREEN_COOKIE, value: screenSecret } } : {}),
        userDataDir: join(dataDir, 'chromium-profile'),
        log: running.log.child({ component: 'chromium-shell' }),
        ...(process.env.KIOSK_CHROMIUM ? { binary: process.env.KIOSK_CHROMIUM } : {}),
      });
    }

    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      running.log.info({ signal }, 'stopping');
      await shell?.stop();
      await host.close();
      await running.stop();
      lock.release();
      process.exit(0);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) process.once(signal, () => void shutdown(signal));
    // Started by npm start's launcher (scripts/forward.mjs): its channel closing means the
    // launcher is gone, perhaps by kill -9. No orphan: stop too.
    if (process.channel) {
      process.channel.unref();
      process.once('disconnect', () => void shutdown('launcher gone'));
    }
  };
  main().catch((error: unknown) => {
    process.stderr.write(`The kiosk could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
