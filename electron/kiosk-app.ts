// The kiosk's Electron life cycle: one instance, one locked-down fullscreen window that
// shows the renderer and talks to the kiosk service over IPC, a renderer that comes back
// when it dies, and a service that is stopped before the process ends. Electron's
// objects come in as parameters (narrowed) so this runs under test without Electron.
import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import type { DevChannelPort, KioskService } from '../kiosk/service-types.js';
import { APP_INDEX_URL, APP_SCHEME, serveAppRequest } from './app-protocol.js';
import { attachIpcCarrier, type IpcMainLike, type ViewTarget } from './ipc-carrier.js';
import type { ElectronLog } from './log.js';
import {
  hardenSession,
  hardenWebContents,
  kioskWebPreferences,
  leavesKiosk,
  type HardenableSession,
  type KeyInput,
  type HardenableWebContents,
  type PreventableEvent,
} from './security.js';

/** `startStation` (kiosk/station.ts) or `startDemo` (demo/start.ts), as far as the Electron host uses it. */
export type StartKiosk = (options: { dataDir: string }) => Promise<{
  readonly service: KioskService;
  readonly config: { readonly demo: boolean };
  /** The developer dock's channel (the demo); carried on its own IPC channels when present. */
  readonly devChannel?: DevChannelPort | undefined;
  /** Stops the service and closes the store. */
  stop(): Promise<void>;
}>;

export interface KioskAppHost {
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  getPath(name: 'userData'): string;
  /** The folder holding package.json (the asar root once packaged). */
  getAppPath(): string;
  quit(): void;
  exit(exitCode?: number): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  on(
    event: 'child-process-gone',
    listener: (event: unknown, details: { readonly type: string; readonly reason: string; readonly exitCode: number; readonly name?: string }) => void,
  ): unknown;
}

export interface KioskWebContents extends HardenableWebContents, ViewTarget {
  readonly session: HardenableSession;
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: { readonly reason: string; readonly exitCode: number }) => void,
  ): unknown;
  on(event: 'will-navigate', listener: (event: { readonly url: string; preventDefault(): void }) => void): unknown;
  on(event: 'will-redirect', listener: (event: { readonly url: string; preventDefault(): void }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(
    event: 'did-fail-load',
    listener: (event: unknown, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void,
  ): unknown;
  on(event: 'before-input-event', listener: (event: PreventableEvent, input: KeyInput) => void): unknown;
  reload(): void;
  forcefullyCrashRenderer(): void;
  openDevTools(options: { mode: 'detach' }): void;
}

export interface KioskWindow {
  readonly webContents: KioskWebContents;
  on(event: 'unresponsive' | 'closed', listener: () => void): unknown;
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  loadURL(url: string): Promise<void>;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
}

/** Electron's protocol module, as far as the app uses it (app:// is registered as privileged in host.ts, before ready). */
export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

export interface KioskAppDeps {
  readonly app: KioskAppHost;
  readonly ipcMain: IpcMainLike;
  readonly protocol: ProtocolLike;
  readonly createWindow: (options: BrowserWindowConstructorOptions) => KioskWindow;
  readonly startKiosk: StartKiosk;
  readonly log: ElectronLog;
  /** KIOSK_DEVTOOLS=1: a technician at the bench, never a station. */
  readonly devTools: boolean;
  /** One kiosk per data directory (kiosk/instance-lock.ts); throws when another holds it. */
  readonly lockDataDir?: (dataDir: string) => { release(): void };
}

/** A crashing renderer, a page that did not load or a window that is gone is brought back
 * after this pause, so a crash loop cannot spin. */
export const RELOAD_DELAY_MS = 1000;
/** Quitting waits this long for the service to close the store, then goes anyway. */
export const STOP_TIMEOUT_MS = 5000;

export function kioskWindowOptions(options: { preloadPath: string; devTools: boolean }): BrowserWindowConstructorOptions {
  return {
    title: 'Station kiosk',
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: kioskWebPreferences(options),
  };
}

export function appPaths(appPath: string) {
  return {
    /** Served as app://kiosk/ (electron/app-protocol.ts), never as file://. */
    rendererDir: path.join(appPath, 'dist', 'renderer'),
    indexUrl: APP_INDEX_URL,
    preload: path.join(appPath, 'dist', 'electron', 'preload.cjs'),
  };
}

type Life = { state: 'starting' } | { state: 'running'; stop: () => Promise<void> } | { state: 'stopping' } | { state: 'stopped' };

/** Resolves once the window is loading, or at once when another instance owns the kiosk. */
export async function runKioskApp({ app, ipcMain, protocol, createWindow, startKiosk, log, devTools, lockDataDir }: KioskAppDeps): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    log.warn({}, 'another kiosk instance is running; quitting');
    app.quit();
    return;
  }

  let life: Life = { state: 'starting' };
  let window: KioskWindow | null = null;

  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // A kiosk has no "last window closed": while it runs its window is opened again (below);
  // only a quit (systemd's SIGTERM, the single-instance lock) ends it.
  app.on('window-all-closed', () => {
    if (life.state === 'starting') app.quit();
  });
  // The GPU or a utility process going away is survivable (Chromium restarts the GPU
  // process), but an operator must be able to see it happened.
  app.on('child-process-gone', (_event, details) => {
    log.error({ type: details.type, reason: details.reason, exitCode: details.exitCode }, 'an Electron helper process is gone');
  });
  app.on('before-quit', (event) => {
    switch (life.state) {
      case 'starting':
      case 'stopped':
        return;
      case 'stopping':
        event.preventDefault();
        return;
      case 'running': {
        event.preventDefault();
        const { stop } = life;
        life = { state: 'stopping' };
        void stopWithin(stop, STOP_TIMEOUT_MS)
          .catch((error: unknown) => log.error({ err: error }, 'the kiosk service did not stop cleanly'))
          .finally(() => {
            life = { state: 'stopped' };
            app.quit();
          });
        return;
      }
      default:
        return life satisfies never;
    }
  });

  await app.whenReady();

  let started: Awaited<ReturnType<StartKiosk>>;
  const dataDir = app.getPath('userData');
  try {
    const lock = lockDataDir?.(dataDir);
    if (lock) process.once('exit', () => lock.release());
    started = await startKiosk({ dataDir });
  } catch (error) {
    log.error({ err: error }, 'the kiosk service did not start');
    app.exit(1);
    return;
  }
  const { service, config, devChannel } = started;
  log.info({ demo: config.demo }, 'kiosk service started');

  const paths = appPaths(app.getAppPath());
  protocol.handle(APP_SCHEME, (request) =>
    serveAppRequest(request, { rendererDir: paths.rendererDir, onRefused: (details) => log.warn(details, 'refused an app:// request') }),
  );
  let carrier: { detach: () => void } | null = null;
  const running = () => life.state === 'running';
  /** Later, if the kiosk still runs then: a pause first, so a failure loop cannot spin. */
  const soon = (what: () => void) => setTimeout(() => running() && what(), RELOAD_DELAY_MS);

  const load = async (win: KioskWindow) => {
    try {
      await win.loadURL(paths.indexUrl);
    } catch (error) {
      // did-fail-load (below) brings it back; this only says which page.
      log.error({ err: error, url: paths.indexUrl }, 'the kiosk page did not load');
    }
  };

  /** The kiosk window, hardened and connected to the service; opened again should it go. */
  const openWindow = async (): Promise<void> => {
    const win = createWindow(kioskWindowOptions({ preloadPath: paths.preload, devTools }));
    window = win;
    hardenSession(win.webContents.session);
    hardenWebContents(win.webContents, paths.indexUrl, log);
    carrier?.detach();
    carrier = attachIpcCarrier({ ipcMain, webContents: win.webContents, service, devChannel, log });

    win.webContents.on('render-process-gone', (_event, details) => {
      log.error({ reason: details.reason, exitCode: details.exitCode }, 'the kiosk renderer is gone; reloading');
      soon(() => !win.isDestroyed() && win.webContents.reload());
    });
    // A page that did not load would leave a blank screen: load it again. (-3 is a load
    // replaced by another, not a failure; sub-frames are not the kiosk page.)
    win.webContents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
      if (!isMainFrame || errorCode === -3) return;
      log.error({ errorCode, errorDescription, url: validatedURL }, 'the kiosk page did not load; loading it again');
      soon(() => !win.isDestroyed() && void load(win));
    });
    // Reload, devtools, full screen, history, zoom, close: not from the keyboard of a kiosk.
    win.webContents.on('before-input-event', (event, input) => {
      if (!leavesKiosk(input) || devTools) return;
      event.preventDefault();
      log.warn({ key: input.key, control: input.control, alt: input.alt, meta: input.meta }, 'filtered a key that would leave the kiosk');
    });
    // A hung renderer would freeze the screen for good: crash it, and the above reloads it.
    win.on('unresponsive', () => {
      log.error({}, 'the kiosk renderer is unresponsive; restarting it');
      if (!win.isDestroyed()) win.webContents.forcefullyCrashRenderer();
    });
    // Alt+F4 and the like: a kiosk window is not closed while the kiosk runs.
    win.on('close', (event) => {
      if (!running()) return;
      event.preventDefault();
      log.warn({}, 'refused to close the kiosk window');
    });
    // Gone all the same (destroyed, its process lost): a new one.
    win.on('closed', () => {
      if (!running()) return;
      log.error({}, 'the kiosk window is gone; opening a new one');
      soon(() => void openWindow());
    });
    if (devTools) win.webContents.openDevTools({ mode: 'detach' });
    await load(win);
  };

  life = {
    state: 'running',
    stop: async () => {
      carrier?.detach();
      await started.stop();
    },
  };
  await openWindow();
}

function stopWithin(stop: () => Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`service.stop() took longer than ${ms} ms`)), ms);
  });
  return Promise.race([stop(), timeout]).finally(() => clearTimeout(timer));
}
