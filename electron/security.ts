// Lockdown of the kiosk window: what the renderer may do, load and navigate to.
// Written against narrow structural slices of Electron's Session and WebContents so
// tests can pass fakes; main.ts passes the real objects and tsc checks they fit.
import type { WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../kiosk/csp.js';
import type { ElectronLog } from './log.js';

export { CONTENT_SECURITY_POLICY };

export interface KioskWebPreferencesOptions {
  readonly preloadPath: string;
  /** Only for a technician at the bench (KIOSK_DEVTOOLS=1), never on a station. */
  readonly devTools?: boolean;
}

export function kioskWebPreferences({ preloadPath, devTools = false }: KioskWebPreferencesOptions): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    spellcheck: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools,
  };
}

// ---------------------------------------------------------------- session

type HeaderMap = Record<string, string | string[]>;

export interface HardenableSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (permissionGranted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  readonly webRequest: {
    onHeadersReceived(
      listener: (
        details: { readonly responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: HeaderMap }) => void,
      ) => void,
    ): void;
  };
}

/** The response headers with our policy as the only Content-Security-Policy. */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined): HeaderMap {
  const result: HeaderMap = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // A served policy of its own could only loosen nothing, but two policies are hard to
    // reason about; ours replaces it, whatever the header's case.
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}

/**
 * The kiosk needs no camera, microphone, notifications, USB or anything else a page can
 * ask for: the card reader lives in the main process, out of the renderer's reach.
 */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

// ---------------------------------------------------------------- web contents

export interface NavigationEvent {
  readonly url: string;
  preventDefault(): void;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface HardenableWebContents {
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void;
}

/**
 * True when `url` is the app's own page. Compared without query and fragment; for
 * file: URLs there is no meaningful origin, so the path has to match exactly.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  let target: URL;
  let app: URL;
  try {
    target = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  return target.protocol === app.protocol && target.host === app.host && target.pathname === app.pathname;
}

export function hardenWebContents(
  webContents: HardenableWebContents,
  appUrl: string,
  log?: Pick<ElectronLog, 'warn'>,
): void {
  const blockForeign = (kind: string) => (event: NavigationEvent) => {
    if (isAppUrl(event.url, appUrl)) return;
    event.preventDefault();
    log?.warn({ kind, url: event.url }, 'blocked navigation away from the kiosk page');
  };
  webContents.on('will-navigate', blockForeign('navigate'));
  webContents.on('will-redirect', blockForeign('redirect'));
  webContents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log?.warn({}, 'blocked a <webview>');
  });
  webContents.setWindowOpenHandler(({ url }) => {
    log?.warn({ url }, 'blocked window.open');
    return { action: 'deny' };
  });
}

// ---------------------------------------------------------------- keyboard

/** The part of Electron's before-input-event Input the filter looks at. */
export interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly code: string;
  readonly control: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
}

/** Keys that on their own leave or disturb the kiosk page: reload, full screen, devtools, history, zoom. */
const LEAVING_KEYS = new Set(['F1', 'F3', 'F5', 'F6', 'F7', 'F10', 'F11', 'F12', 'BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserHome', 'BrowserSearch', 'ContextMenu']);
/** With Control: close, quit, reload, new window/tab, print, save, open, find, history, location, source, zoom. */
const LEAVING_WITH_CONTROL = new Set(['KeyW', 'KeyQ', 'KeyR', 'KeyN', 'KeyT', 'KeyP', 'KeyS', 'KeyO', 'KeyF', 'KeyG', 'KeyH', 'KeyJ', 'KeyL', 'KeyU', 'KeyI', 'KeyD', 'Tab', 'PageUp', 'PageDown', 'Equal', 'Minus', 'Digit0', 'NumpadAdd', 'NumpadSubtract', 'Numpad0', 'F4']);
/** With Alt: close the window, back and forward, switch windows, the menu. */
const LEAVING_WITH_ALT = new Set(['F4', 'ArrowLeft', 'ArrowRight', 'Home', 'Tab', 'Space', 'Escape']);

/**
 * True for a key that would take the traveller out of the kiosk page or change how it is
 * shown. The keypad's keys (arrows, Enter, Escape, Backspace, digits, Tab) and the cabinet's
 * service key (Control+Alt+KeyM) pass: the page needs them.
 */
export function leavesKiosk(input: KeyInput): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  if (input.meta || input.key === 'Meta' || input.key === 'OS') return true;
  if (LEAVING_KEYS.has(input.code) || LEAVING_KEYS.has(input.key)) return true;
  // Control+Alt is the cabinet's service key (configurable, Control+Alt+KeyM by default); the
  // system's own Control+Alt keys (a VT switch) never reach the page.
  if (input.control && input.alt) return false;
  if (input.control && LEAVING_WITH_CONTROL.has(input.code)) return true;
  if (input.alt && LEAVING_WITH_ALT.has(input.code)) return true;
  return false;
}
