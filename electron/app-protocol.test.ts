// app:// serves the built renderer and nothing else, whatever path a page asks for.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, resolveAppFile, serveAppRequest } from './app-protocol.js';

let dir = '';
let renderer = '';
let refused: { url: string; status: number; reason: string }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  renderer = join(dir, 'dist', 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
  // What must stay out of reach: the station's configuration beside the renderer, and /etc.
  writeFileSync(join(dir, 'station.json'), '{"reader":{"keyA":"secret"}}');
  writeFileSync(join(dir, 'dist', 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'station.json'), join(renderer, 'assets', 'link.json'));
  refused = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, { rendererDir: renderer, onRefused: (r) => void refused.push(r) });

describe('the app:// scheme', () => {
  it('serves the renderer with the kiosk policy and its content types', async () => {
    const page = await get(APP_INDEX_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>kiosk</title>');
    const script = await get('app://kiosk/assets/index-abc.js?v=1#x');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://kiosk/')).status).toBe(200);
  });

  it('refuses every path that leads out of the renderer', async () => {
    const attacks = [
      'app://kiosk/../station.json',
      'app://kiosk/%2e%2e/station.json',
      'app://kiosk/..%2fstation.json',
      'app://kiosk/..%2F..%2Fstation.json',
      'app://kiosk/assets/..%2f..%2fsecret.txt',
      'app://kiosk/..%5csecret.txt',
      'app://kiosk/index.html%00.js',
      'app://kiosk/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'app://kiosk//etc/passwd',
      'app://kiosk/assets/link.json',
      'app://kiosk/%E0%A4%A',
      'app://elsewhere/index.html',
      'file:///etc/passwd',
    ];
    for (const url of attacks) {
      const response = await get(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain('secret');
    }
    expect(refused).toHaveLength(attacks.length);
  });

  it('names why: outside the renderer is 403, a missing file 404, a write 405', async () => {
    expect(resolveAppFile('app://kiosk/..%2fstation.json', renderer)).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile('app://kiosk/../station.json', renderer)).toEqual({ ok: true, file: join(renderer, 'station.json') });
    expect((await get('app://kiosk/assets/link.json')).status).toBe(403);
    expect((await get('app://kiosk/nothing.js')).status).toBe(404);
    expect((await get(APP_INDEX_URL, 'POST')).status).toBe(405);
  });
});
