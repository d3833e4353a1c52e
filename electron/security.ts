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
