// The renderer served from a privileged app:// scheme instead of file://: under file://,
// 'self' in the Content Security Policy admits every local file, and any path the page
// names can be read. Here one origin (app://kiosk) serves the built renderer directory
// and nothing else: a path that leads out of it (.., an encoded slash, a symlink) is refused.
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../kiosk/csp.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged, before the app is ready: a standard scheme (so
 * URLs have an origin and relative paths resolve), secure (as https for the page's APIs).
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false },
} as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export type AppFile = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

const inside = (dir: string, file: string) => file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/** Which file of `rendererDir` an app:// URL names, or why none. Lexical only; `serveAppRequest` also follows symlinks. */
export function resolveAppFile(url: string, rendererDir: string): AppFile {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { ok: false, status: 404, reason: 'not the kiosk origin' };
  let name: string;
  try {
    name = decodeURIComponent(parsed.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (name.includes('\0') || name.includes('\\')) return { ok: false, status: 400, reason: 'a NUL or backslash in the path' };
  if (name === '/' || name === '') name = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${name}`);
  if (!inside(root, file)) return { ok: false, status: 403, reason: 'outside the renderer' };
  return { ok: true, file };
}

export interface AppRequest {
  readonly url: string;
  readonly method: string;
}

/** The protocol handler: the file as a Response with the kiosk's headers, or a bare refusal. */
export async function serveAppRequest(
  request: AppRequest,
  options: { readonly rendererDir: string; readonly onRefused?: (details: { url: string; status: number; reason: string }) => void },
): Promise<Response> {
  const refuse = (status: number, reason: string) => {
    options.onRefused?.({ url: request.url.slice(0, 300), status, reason });
    return new Response(null, { status, headers: { 'X-Content-Type-Options': 'nosniff' } });
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'only GET');
  const target = resolveAppFile(request.url, options.rendererDir);
  if (!target.ok) return refuse(target.status, target.reason);
  let real: string;
  let root: string;
  try {
    [real, root] = await Promise.all([realpath(target.file), realpath(options.rendererDir)]);
  } catch {
    return refuse(404, 'no such file');
  }
  // A symlink inside the renderer must not lead out of it.
  if (!inside(root, real)) return refuse(403, 'outside the renderer (a link)');
  let body: Buffer;
  try {
    body = await readFile(real);
  } catch {
    return refuse(404, 'not a readable file');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
