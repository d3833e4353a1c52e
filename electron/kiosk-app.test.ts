import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';
import type { KioskView } from '../kiosk/contract.js';
import { createPreloadBridge, createPreloadDevBridge } from './bridge.js';
import { FakeWebContents, preventable, recordingLog } from './fake-electron.js';
import { createFakeIpc, settle } from './fake-ipc.js';
import { cardOnDock, emptyDock, FakeDevChannel, FakeKioskService, menuView } from './fake-kiosk-service.js';
import { APP_INDEX_URL } from './app-protocol.js';
import type { KeyInput } from './security.js';
import { RELOAD_DELAY_MS, runKioskApp, STOP_TIMEOUT_MS, type StartKiosk } from './kiosk-app.js';

const appPath = '/opt/station-kiosk/resources/app.asar';

/** Electron's app: quit() emits before-quit, and only quits when nobody prevents it. */
class FakeApp extends EventEmitter {
  hasLock = true;
  quitRequests = 0;
  quitted = false;
  exitCode: number | null = null;
  requestSingleInstanceLock = () => this.hasLock;
  whenReady = () => Promise.resolve();
  getPath = (name: string) => `/home/kiosk/.config/${name}`;
  getAppPath = () => appPath;
  quit = () => {
    this.quitRequests += 1;
    const event = preventable({});
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  };
  exit = (code = 0) => {
    this.exitCode = code;
  };
}

/** Electron's protocol module: the handlers registered, by scheme. */
class FakeProtocol {
  readonly handlers = new Map<string, (request: Request) => Promise<Response>>();
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`${scheme} is already handled`);
    this.handlers.set(scheme, handler);
  }
}

class FakeWindow extends EventEmitter {
  loaded: string[] = [];
  destroyed = false;
  minimized = false;
  focused = 0;
  constructor(
    readonly options: BrowserWindowConstructorOptions,
    readonly webContents: FakeWebContents,
  ) {
    super();
  }
  loadURL = async (url: string) => void this.loaded.push(url);
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  restore = () => {
    this.minimized = false;
  };
  focus = () => {
    this.focused += 1;
  };
}

function start(options: { startKiosk?: StartKiosk; devTools?: boolean; hasLock?: boolean } = {}) {
  const app = new FakeApp();
  app.hasLock = options.hasLock ?? true;
  const ipc = createFakeIpc();
  const renderer = ipc.connectRenderer();
  const service = new FakeKioskService();
  let runningStops = 0;
  const startCalls: { dataDir: string }[] = [];
  const startKiosk: StartKiosk =
    options.startKiosk ??
    (async (startOptions) => {
      startCalls.push(startOptions);
      return {
        service,
        config: { demo: true },
        stop: async () => {
          runningStops += 1;
          await service.stop();
        },
      };
    });
  const windows: FakeWindow[] = [];
  const log = recordingLog();
  const protocol = new FakeProtocol();
  const done = runKioskApp({
    app,
    ipcMain: ipc.ipcMain,
    protocol,
    createWindow: (windowOptions) => {
      const window = new FakeWindow(windowOptions, renderer.webContents);
      windows.push(window);
      return window;
    },
    startKiosk,
    log,
    devTools: options.devTools ?? false,
  });
  return { app, renderer, service, windows, log, done, startCalls, protocol, stops: () => runningStops };
}

describe('kiosk Electron app', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a second kiosk on the same machine quits without starting the service', async () => {
    const { app, done, startCalls, windows } = start({ hasLock: false });
    await done;
    expect(app.quitted).toBe(true);
    expect(startCalls).toEqual([]);
    expect(windows).toEqual([]);
  });

  it('starts the service in userData and shows the renderer in a locked-down kiosk window', async () => {
    const { done, startCalls, windows, renderer } = start();
    await done;
    expect(startCalls).toEqual([{ dataDir: '/home/kiosk/.config/userData' }]);
    expect(windows).toHaveLength(1);
    const window = windows[0]!;
    expect(window.options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      autoHideMenuBar: true,
      webPreferences: {
        preload: `${appPath}/dist/electron/preload.cjs`,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        devTools: false,
      },
    });
    expect(window.loaded).toEqual([APP_INDEX_URL]);
    expect(renderer.webContents.devToolsOpened).toBe(false);
    expect(renderer.webContents.session.requestPermission('media')).toBe(false);
    expect(renderer.webContents.navigate('https://evil.example/')).toBe(false);
    expect(renderer.webContents.navigate(`file://${appPath}/dist/renderer/index.html`)).toBe(false);
    expect(renderer.webContents.navigate(APP_INDEX_URL)).toBe(true);
  });

  it('the renderer comes from app://, which serves the built renderer and refuses paths out of it', async () => {
    const { done, protocol, log } = start();
    await done;
    const handler = protocol.handlers.get('app');
    expect(handler).toBeDefined();
    const response = await handler!(new Request('app://kiosk/..%2f..%2fpackage.json'));
    expect(response.status).toBe(403);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: 'refused an app:// request' }));
  });

  it('keyboard shortcuts that leave the kiosk are filtered; the keypad and the service key are not', async () => {
    const { done, renderer, log } = start();
    await done;
    const press = (input: Partial<KeyInput> & { key: string; code: string }) => {
      const event = preventable({});
      renderer.webContents.emit('before-input-event', event, { type: 'keyDown', control: false, alt: false, shift: false, meta: false, ...input });
      return !event.defaultPrevented;
    };
    const leaving: (Partial<KeyInput> & { key: string; code: string })[] = [
      { key: 'F4', code: 'F4', alt: true },
      { key: 'w', code: 'KeyW', control: true },
      { key: 'q', code: 'KeyQ', control: true },
      { key: 'r', code: 'KeyR', control: true },
      { key: 'R', code: 'KeyR', control: true, shift: true },
      { key: 'F5', code: 'F5' },
      { key: 'F11', code: 'F11' },
      { key: 'F12', code: 'F12' },
      { key: 'I', code: 'KeyI', control: true, shift: true },
      { key: 'n', code: 'KeyN', control: true },
      { key: 'p', code: 'KeyP', control: true },
      { key: '=', code: 'Equal', control: true },
      { key: '-', code: 'Minus', control: true },
      { key: 'ArrowLeft', code: 'ArrowLeft', alt: true },
      { key: 'BrowserBack', code: 'BrowserBack' },
      { key: 'Tab', code: 'Tab', alt: true },
      { key: 'Meta', code: 'MetaLeft', meta: true },
    ];
    for (const key of leaving) expect(press(key), JSON.stringify(key)).toBe(false);
    const staying: (Partial<KeyInput> & { key: string; code: string })[] = [
      { key: 'm', code: 'KeyM', control: true, alt: true },
      { key: 'Enter', code: 'Enter' },
      { key: 'Escape', code: 'Escape' },
      { key: 'Backspace', code: 'Backspace' },
      { key: 'ArrowDown', code: 'ArrowDown' },
      { key: 'Tab', code: 'Tab' },
      { key: '4', code: 'Digit4' },
      { key: 'a', code: 'KeyA', shift: true },
    ];
    for (const key of staying) expect(press(key), JSON.stringify(key)).toBe(true);
    expect(log.entries.filter((e) => e.message === 'filtered a key that would leave the kiosk').length).toBeGreaterThan(0);
  });

  it('the renderer talks to the service over IPC', async () => {
    const { done, renderer, service } = start();
    await done;
    const bridge = createPreloadBridge(renderer.ipcRenderer);
    const views: KioskView[] = [];
    bridge.subscribe((view) => views.push(view));
    bridge.send({ type: 'PICKUP' });
    await settle();
    service.show(menuView);
    await settle();
    expect(views.map((view) => view.screen.name)).toEqual(['idle', 'menu']);
    expect(service.acceptedUiEvents).toEqual([{ type: 'PICKUP' }]);
  });

  it('the demo\'s developer dock talks to its dev channel over its own IPC channels', async () => {
    const service = new FakeKioskService();
    const devChannel = new FakeDevChannel();
    const { done, renderer } = start({
      startKiosk: async () => ({ service, devChannel, config: { demo: true }, stop: () => service.stop() }),
    });
    await done;
    const devBridge = createPreloadDevBridge(renderer.ipcRenderer);
    const docks: unknown[] = [];
    devBridge.subscribe((view) => docks.push(view));
    devBridge.send({ type: 'dev.tap', cardId: 'card-1' });
    await settle();
    devChannel.show(cardOnDock);
    await settle();
    expect(docks).toEqual([emptyDock, cardOnDock]);
    expect(devChannel.accepted).toEqual([{ type: 'dev.tap', cardId: 'card-1' }]);
    expect(service.rawUiEvents).toEqual([]);
  });

  it('a kiosk without a dev channel (a station) answers no dock', async () => {
    const { done, renderer } = start();
    await done;
    const docks: unknown[] = [];
    createPreloadDevBridge(renderer.ipcRenderer).subscribe((view) => docks.push(view));
    await settle();
    expect(docks).toEqual([]);
  });

  it('opens devtools only for a technician who asked for them', async () => {
    const { done, windows, renderer } = start({ devTools: true });
    await done;
    expect(windows[0]!.options.webPreferences?.devTools).toBe(true);
    expect(renderer.webContents.devToolsOpened).toBe(true);
  });

  it('a crashed renderer comes back after a pause', async () => {
    vi.useFakeTimers();
    const { done, renderer } = start();
    await done;
    renderer.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(renderer.webContents.reloads).toBe(0);
    vi.advanceTimersByTime(RELOAD_DELAY_MS);
    expect(renderer.webContents.reloads).toBe(1);
  });

  it('a hung renderer is crashed so that it comes back', async () => {
    const { done, windows, renderer } = start();
    await done;
    windows[0]!.emit('unresponsive');
    expect(renderer.webContents.crashes).toBe(1);
  });

  it('quitting waits until the service has stopped and the store is closed', async () => {
    const { app, done, stops, service } = start();
    await done;
    app.quit();
    expect(app.quitted).toBe(false);
    app.quit(); // a second request while stopping still waits
    expect(app.quitted).toBe(false);
    await settle();
    expect(stops()).toBe(1);
    expect(app.quitted).toBe(true);
    // The carrier is gone: views no longer go to the window.
    expect(service.subscriberCount).toBe(0);
  });

  it('a renderer that goes away while quitting is not brought back', async () => {
    vi.useFakeTimers();
    const { app, done, renderer } = start();
    await done;
    app.quit();
    renderer.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    await vi.advanceTimersByTimeAsync(RELOAD_DELAY_MS);
    expect(app.quitted).toBe(true);
    expect(renderer.webContents.reloads).toBe(0);
  });

  it('quits anyway when the service does not stop in time', async () => {
    vi.useFakeTimers();
    const service = new FakeKioskService();
    const { app, done, log } = start({
      startKiosk: async () => ({ service, config: { demo: false }, stop: () => new Promise<void>(() => {}) }),
    });
    await done;
    app.quit();
    expect(app.quitted).toBe(false);
    await vi.advanceTimersByTimeAsync(STOP_TIMEOUT_MS);
    expect(app.quitted).toBe(true);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'error', message: 'the kiosk service did not stop cleanly' }));
  });

  it('a data directory another kiosk holds: the process ends with an error, naming it, without starting the service', async () => {
    const app = new FakeApp();
    const ipc = createFakeIpc();
    const log = recordingLog();
    let starts = 0;
    await runKioskApp({
      app,
      ipcMain: ipc.ipcMain,
      protocol: new FakeProtocol(),
      createWindow: () => {
        throw new Error('no window expected');
      },
      startKiosk: async () => {
        starts += 1;
        throw new Error('not expected');
      },
      log,
      devTools: false,
      lockDataDir: (dataDir) => {
        throw new Error(`another kiosk (pid 42) is already running on ${dataDir}`);
      },
    });
    expect(app.exitCode).toBe(1);
    expect(starts).toBe(0);
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'error', details: expect.objectContaining({ err: expect.objectContaining({ message: expect.stringContaining('pid 42') }) }) }),
    );
  });

  it('a service that cannot start ends the process with an error, without a window', async () => {
    const { app, done, windows, log } = start({
      startKiosk: () => Promise.reject(new Error('database from a newer build')),
    });
    await done;
    expect(app.exitCode).toBe(1);
    expect(windows).toEqual([]);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'error', message: 'the kiosk service did not start' }));
  });

  it('starting the kiosk again brings the running window to the front', async () => {
    const { app, done, windows } = start();
    await done;
    windows[0]!.minimized = true;
    app.emit('second-instance');
    expect(windows[0]!.minimized).toBe(false);
    expect(windows[0]!.focused).toBe(1);
  });

  it('the kiosk window cannot be closed while the kiosk runs (Alt+F4 does nothing)', async () => {
    const { app, done, windows, log } = start();
    await done;
    const close = preventable({});
    windows[0]!.emit('close', close);
    expect(close.defaultPrevented).toBe(true);
    app.emit('window-all-closed');
    expect(app.quitRequests).toBe(0);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: 'refused to close the kiosk window' }));
  });

  it('a kiosk window that is gone all the same is opened again after a pause, talking to the service', async () => {
    vi.useFakeTimers();
    const { done, windows, renderer, service } = start();
    await done;
    windows[0]!.destroyed = true;
    windows[0]!.emit('closed');
    expect(windows).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(RELOAD_DELAY_MS);
    expect(windows).toHaveLength(2);
    expect(windows[1]!.loaded).toEqual([APP_INDEX_URL]);
    const views: KioskView[] = [];
    createPreloadBridge(renderer.ipcRenderer).subscribe((view) => views.push(view));
    await vi.advanceTimersByTimeAsync(0);
    service.show(menuView);
    await vi.advanceTimersByTimeAsync(0);
    expect(views.map((view) => view.screen.name)).toEqual(['idle', 'menu']);
    // One carrier, for the window that is there: the service has one subscriber.
    expect(service.subscriberCount).toBe(1);
  });

  it('a page that fails to load is loaded again after a pause, and says why in the log', async () => {
    vi.useFakeTimers();
    const { done, windows, renderer, log } = start();
    await done;
    renderer.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', `file://${appPath}/dist/renderer/index.html`, true);
    expect(windows[0]!.loaded).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(RELOAD_DELAY_MS);
    expect(windows[0]!.loaded).toHaveLength(2);
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'the kiosk page did not load; loading it again', details: expect.objectContaining({ errorCode: -6 }) }),
    );
    // A sub-frame that fails, or a load that was merely replaced (-3, aborted), is no reason.
    renderer.webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'file:///x', true);
    renderer.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'file:///y', false);
    await vi.advanceTimersByTimeAsync(RELOAD_DELAY_MS);
    expect(windows[0]!.loaded).toHaveLength(2);
  });

  it('a helper process that goes away (GPU, utility) is logged', async () => {
    const { app, done, log } = start();
    await done;
    app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 139 });
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'an Electron helper process is gone', details: { type: 'GPU', reason: 'crashed', exitCode: 139 } }),
    );
  });

  it('while quitting, the window may close', async () => {
    const { app, done, windows } = start();
    await done;
    app.quit();
    await settle();
    const close = preventable({});
    windows[0]!.emit('close', close);
    expect(close.defaultPrevented).toBe(false);
  });
});
