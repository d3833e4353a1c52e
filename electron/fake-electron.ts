// Fakes of the Electron objects electron/ touches, for tests: plain EventEmitters with
// the few methods used, plus helpers that play what Chromium would do.
import { EventEmitter } from 'node:events';
import type { ElectronLog } from './log.js';

type HeaderMap = Record<string, string | string[]>;

export class FakeSession {
  requestHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: ((webContents: unknown, permission: string) => boolean) | null = null;
  headersListener:
    | ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: HeaderMap }) => void) => void)
    | null = null;

  readonly webRequest = {
    onHeadersReceived: (listener: NonNullable<FakeSession['headersListener']>) => {
      this.headersListener = listener;
    },
  };

  setPermissionRequestHandler(handler: NonNullable<FakeSession['requestHandler']>): void {
    this.requestHandler = handler;
  }

  setPermissionCheckHandler(handler: NonNullable<FakeSession['checkHandler']>): void {
    this.checkHandler = handler;
  }

  /** What a page asking for `permission` is told; undefined if nobody answered (Electron would grant). */
  requestPermission(permission: string): boolean | undefined {
    let answer: boolean | undefined;
    this.requestHandler?.(null, permission, (granted) => (answer = granted));
    return answer;
  }

  /** What a page checking `permission` is told; Electron grants when no handler is set. */
  checkPermission(permission: string): boolean {
    return this.checkHandler ? this.checkHandler(null, permission) : true;
  }

  /** The headers Chromium would use for a response that arrived with `responseHeaders`. */
  receiveHeaders(responseHeaders: Record<string, string[]>): HeaderMap {
    let result: HeaderMap = responseHeaders;
    this.headersListener?.({ responseHeaders }, (response) => {
      if (response.responseHeaders) result = response.responseHeaders;
    });
    return result;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly session = new FakeSession();
  destroyed = false;
  reloads = 0;
  crashes = 0;
  devToolsOpened = false;
  windowOpenHandler: ((details: { readonly url: string }) => { action: 'deny' | 'allow' }) | null = null;
  /** Where `send` goes; the fake IPC connects it to a renderer. */
  deliver: (channel: string, args: unknown[]) => void = () => {};

  send(channel: string, ...args: unknown[]): void {
    // Electron throws on a destroyed webContents.
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.deliver(channel, args);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  setWindowOpenHandler(handler: NonNullable<FakeWebContents['windowOpenHandler']>): void {
    this.windowOpenHandler = handler;
  }

  reload(): void {
    this.reloads += 1;
  }

  forcefullyCrashRenderer(): void {
    this.crashes += 1;
  }

  openDevTools(): void {
    this.devToolsOpened = true;
  }

  /** The page starts a navigation (or is redirected); true when it goes ahead. */
  navigate(url: string, kind: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const event = preventable({ url });
    this.emit(kind, event);
    return !event.defaultPrevented;
  }

  /** The page calls window.open; true when a window would open (Electron allows by default). */
  openWindow(url: string): boolean {
    return (this.windowOpenHandler?.({ url }).action ?? 'allow') === 'allow';
  }

  /** The page adds a <webview>; true when it would be attached. */
  attachWebview(src: string): boolean {
    const event = preventable({});
    this.emit('will-attach-webview', event, {}, { src });
    return !event.defaultPrevented;
  }
}

export function preventable<T extends object>(fields: T): T & { defaultPrevented: boolean; preventDefault(): void } {
  return {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly details: Record<string, unknown>;
}

export function recordingLog(): ElectronLog & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (details: Record<string, unknown>, message: string) => {
    entries.push({ level, message, details });
  };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}
