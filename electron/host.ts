// The Electron main process, wiring only (the life cycle is in kiosk-app.ts): which kiosk
// it starts is its entry's choice — electron/main.ts a station, demo/electron-main.ts the demo.
import { app, BrowserWindow, ipcMain, Menu, protocol } from 'electron';
import pino from 'pino';
import type { HostedKiosk, StartOptions } from '../kiosk/compose.js';
import { acquireInstanceLock } from '../kiosk/instance-lock.js';
import { APP_SCHEME_PRIVILEGES } from './app-protocol.js';
import { runKioskApp } from './kiosk-app.js';

export function runElectronHost(start: (options: StartOptions) => Promise<HostedKiosk>): void {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });

  // Before the app is ready, or Electron treats app:// as an unprivileged, origin-less scheme.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME_PRIVILEGES.scheme, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } }]);

  // No menu means none of its accelerators either (reload, zoom, devtools).
  Menu.setApplicationMenu(null);

  // systemd stops the kiosk with SIGTERM: go through before-quit so the store is closed.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const) process.once(signal, () => app.quit());
  // Started by npm start's launcher with a channel (scripts/forward.mjs): when it closes the
  // launcher is gone (even by kill -9), and the kiosk goes with it instead of living on.
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => app.quit());
  }

  runKioskApp({
    app,
    ipcMain,
    protocol,
    createWindow: (options) => new BrowserWindow(options),
    startKiosk: (options) => start({ ...options, log }),
    log: log.child({ component: 'electron' }),
    devTools: process.env.KIOSK_DEVTOOLS === '1',
    lockDataDir: acquireInstanceLock,
  }).catch((error: unknown) => {
    log.fatal({ err: error }, 'the kiosk host failed to start');
    app.exit(1);
  });
}
