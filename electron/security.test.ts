import { FakeSession, FakeWebContents, recordingLog } from './fake-electron.js';
import {
  CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  kioskWebPreferences,
  withContentSecurityPolicy,
} from './security.js';

const appUrl = 'file:///opt/station-kiosk/resources/app.asar/dist/renderer/index.html';

describe('kiosk window webPreferences', () => {
  it('isolates the page from Node and Electron', () => {
    const prefs = kioskWebPreferences({ preloadPath: '/app/dist/electron/preload.cjs' });
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      spellcheck: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: false,
    });
  });

  it('allows devtools only when asked for', () => {
    expect(kioskWebPreferences({ preloadPath: '/p.cjs', devTools: true }).devTools).toBe(true);
  });
});

describe('kiosk session', () => {
  function hardened() {
    const session = new FakeSession();
    hardenSession(session);
    return session;
  }

  it('grants what a page asks for when left alone (what hardening has to stop)', () => {
    const session = new FakeSession();
    expect(session.checkPermission('media')).toBe(true);
    expect(session.receiveHeaders({})).toEqual({});
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown'])(
    'denies a request for %s',
    (permission) => {
      expect(hardened().requestPermission(permission)).toBe(false);
    },
  );

  it.each(['media', 'hid', 'serial', 'usb', 'clipboard-read'])('denies a check for %s', (permission) => {
    expect(hardened().checkPermission(permission)).toBe(false);
  });

  it('adds the Content-Security-Policy to every response', () => {
    const headers = hardened().receiveHeaders({ 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('replaces a looser policy the response brought, whatever its case', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ["script-src * 'unsafe-eval'"] });
    expect(headers).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('the policy allows only the app itself', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|\*/);
  });
});

describe('kiosk web contents', () => {
  function hardened() {
    const webContents = new FakeWebContents();
    const log = recordingLog();
    hardenWebContents(webContents, appUrl, log);
    return { webContents, log };
  }

  it('lets the page go anywhere when left alone (what hardening has to stop)', () => {
    const webContents = new FakeWebContents();
    expect(webContents.navigate('https://evil.example/')).toBe(true);
    expect(webContents.openWindow('https://evil.example/')).toBe(true);
    expect(webContents.attachWebview('https://evil.example/')).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:8080/',
    'file:///etc/passwd',
    'file:///opt/station-kiosk/resources/app.asar/dist/renderer/other.html',
    'javascript:alert(1)',
    'not a url',
  ])('keeps the kiosk page when it tries to navigate to %s', (url) => {
    const { webContents, log } = hardened();
    expect(webContents.navigate(url)).toBe(false);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', details: { kind: 'navigate', url } }));
  });

  it('blocks a redirect away from the kiosk page', () => {
    expect(hardened().webContents.navigate('https://evil.example/', 'will-redirect')).toBe(false);
  });

  it('lets the kiosk page navigate to itself', () => {
    const { webContents } = hardened();
    expect(webContents.navigate(appUrl)).toBe(true);
    expect(webContents.navigate(`${appUrl}#/orders`)).toBe(true);
  });

  it('opens no windows', () => {
    const { webContents } = hardened();
    expect(webContents.openWindow('https://evil.example/')).toBe(false);
    expect(webContents.openWindow(appUrl)).toBe(false);
  });

  it('attaches no <webview>', () => {
    expect(hardened().webContents.attachWebview(appUrl)).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('matches the page itself, ignoring query and fragment', () => {
    expect(isAppUrl(`${appUrl}?lang=en#top`, appUrl)).toBe(true);
  });

  it('does not match another page, host or scheme', () => {
    expect(isAppUrl(appUrl.replace('index.html', 'index.htm'), appUrl)).toBe(false);
    expect(isAppUrl('http://localhost/index.html', 'http://127.0.0.1/index.html')).toBe(false);
    expect(isAppUrl('https://127.0.0.1/index.html', 'http://127.0.0.1/index.html')).toBe(false);
    expect(isAppUrl('', appUrl)).toBe(false);
  });
});
