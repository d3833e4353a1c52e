// The operator console over Fastify inject: login (one answer for a wrong name or password,
// rate-limited, a new session id), the session cookie, CSRF on every POST, bearer tokens
// and the console's session kept apart, escaping, and each page's action. On the SQLite
// file and on PostgreSQL (a throwaway cluster; there, also a session opened through one
// instance and used through another).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usePgCluster } from '../../test/pg-cluster.js';
import { newToken } from '../db.js';
import { openBackOffice, type BackOfficeInstance, type BackOfficeOptions } from '../server.js';
import { hashPassword } from './passwords.js';

const ONLINE = 'online-token-'.padEnd(40, 'x');
const ANNA = '3528010012345678';
const PASSWORD = 'correct horse battery';

describe.each(['sqlite', 'postgres'] as const)('the console on %s', (engine) => {
const pgCluster = engine === 'postgres' ? usePgCluster() : null;
let dir = '';
let bo: BackOfficeInstance;
let clock = new Date('2026-12-01T10:00:00.000Z');
let kioskToken = '';
let databaseUrl = '';
const opened: BackOfficeInstance[] = [];

/** A back office on this engine in `dir` (PostgreSQL: on `url`, with the data dir's key files). */
async function open(options: Partial<BackOfficeOptions> & { file: string }, url = databaseUrl): Promise<BackOfficeInstance> {
  const instance = await openBackOffice({
    onlineToken: ONLINE,
    ...options,
    ...(pgCluster ? { databaseUrl: url, keyFiles: { orderKey: join(dir, 'order-key'), sealKey: join(dir, 'seal-key'), sessionKey: join(dir, 'session-key') } } : {}),
  });
  opened.push(instance);
  return instance;
}
/** The rows of a table as the engine keeps them. */
async function rawRows(sql: string): Promise<Record<string, unknown>[]> {
  if (!pgCluster) return (bo as BackOfficeInstance & { db: { db: { prepare(q: string): { all(): Record<string, unknown>[] } } } }).db.db.prepare(sql).all();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'console-'));
  clock = new Date('2026-12-01T10:00:00.000Z');
  databaseUrl = pgCluster ? await pgCluster.cluster.newDatabase() : '';
  bo = await open({ file: join(dir, 'backoffice.db'), now: () => clock, console: { staleMs: 90_000, loginPerMinute: 5 } });
  kioskToken = newToken();
  await bo.store.registerKiosk('utrecht-12', 'Utrecht Centraal 12', kioskToken);
  await bo.consoleStore.setOperator('olga', await hashPassword(PASSWORD));
  await bo.app.ready();
});
afterEach(async () => {
  for (const instance of opened.splice(0)) await instance.close();
  rmSync(dir, { recursive: true, force: true });
});

type Reply = Awaited<ReturnType<BackOfficeInstance['app']['inject']>>;

/** A browser in miniature: keeps the cookies it is given, reads the CSRF token off the page. */
class Browser {
  cookies = new Map<string, string>();
  csrf = '';
  headers: Record<string, string> = {};
  keep(reply: Reply): Reply {
    for (const cookie of reply.cookies as { name: string; value: string; expires?: Date }[]) {
      if (cookie.expires && cookie.expires.getTime() <= Date.now()) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(reply.body)?.[1];
    if (token) this.csrf = token;
    return reply;
  }
  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.keep(await bo.app.inject({ method: 'GET', url, headers: { ...this.headers, cookie: this.cookieHeader(), ...headers } }));
  }
  async post(url: string, form: Record<string, string>, options: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<Reply> {
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    const body = new URLSearchParams({ ...(token === null ? {} : { _csrf: token }), ...form }).toString();
    return this.keep(
      await bo.app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...options.headers },
      }),
    );
  }
  async login(name = 'olga', password = PASSWORD): Promise<Reply> {
    await this.get('/console/login');
    return this.post('/console/login', { name, password });
  }
}

describe('operator login', () => {
  it('says the same for a wrong password and an unknown name, and signs in with the right one on a new session id', async () => {
    const browser = new Browser();
    const wrongPassword = await browser.login('olga', 'not the password');
    const unknownName = await new Browser().login('nobody', PASSWORD);
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownName.statusCode).toBe(401);
    const message = (reply: Reply) => /<p class="error"[^>]*>([^<]*)<\/p>/.exec(reply.body)?.[1];
    expect(message(wrongPassword)).toBe('Naam of wachtwoord onjuist.');
    expect(message(unknownName)).toBe(message(wrongPassword));

    await browser.get('/console/login');
    const before = browser.cookies.get('console-session');
    expect(before).toBeDefined();
    const ok = await browser.post('/console/login', { name: 'olga', password: PASSWORD });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/console/fleet');
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/console-session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP on loopback; Secure under TLS
    expect(browser.cookies.get('console-session')).not.toBe(before);
    expect((await browser.get('/console/fleet')).statusCode).toBe(200);
  });

  it('keeps its session key 0600 (beside the SQLite file, in the data dir on PostgreSQL), and only a hash of each session id in the database', async () => {
    const browser = new Browser();
    await browser.login();
    expect(statSync(join(dir, pgCluster ? 'session-key' : 'backoffice.db.session-key')).mode & 0o777).toBe(0o600);
    const signedId = decodeURIComponent(browser.cookies.get('console-session') ?? '');
    const id = signedId.slice(0, signedId.lastIndexOf('.'));
    const rows = await rawRows('SELECT id_hash, data FROM operator_sessions');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(String(row.id_hash)).not.toContain(id);
      expect(String(row.data)).not.toContain(PASSWORD);
    }
  });

  it.runIf(engine === 'postgres')('a session opened through one instance holds at another on the same database, and a logout there ends it everywhere', async () => {
    const other = await open({ file: '', now: () => clock, console: { staleMs: 90_000, loginPerMinute: 5 } });
    await other.app.ready();
    const browser = new Browser();
    await browser.login();
    const first = bo;
    bo = other;
    try {
      expect((await browser.get('/console/fleet')).statusCode).toBe(200);
      const stolen = new Map(browser.cookies);
      expect((await browser.post('/console/logout', {})).statusCode).toBe(303);
      bo = first;
      const replay = new Browser();
      replay.cookies = stolen;
      expect((await replay.get('/console/fleet')).headers.location).toBe('/console/login');
    } finally {
      bo = first;
    }
  });

  it('is rate-limited: after 5 attempts a minute from one address, the 6th is refused even with the right password', async () => {
    const browser = new Browser();
    for (let i = 0; i < 5; i++) expect((await browser.login('olga', `wrong ${i}`)).statusCode).toBe(401);
    const limited = await browser.login();
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Te veel pogingen.');
  });

  it('logs out: the old cookie opens nothing afterwards', async () => {
    const browser = new Browser();
    await browser.login();
    const stolen = new Map(browser.cookies);
    await browser.get('/console/fleet');
    const out = await browser.post('/console/logout', {});
    expect(out.statusCode).toBe(303);
    const replay = new Browser();
    replay.cookies = stolen;
    const after = await replay.get('/console/fleet');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/console/login');
  });
});

describe('who may open what', () => {
  it('does not open the console with a kiosk or online bearer token', async () => {
    for (const token of [kioskToken, ONLINE]) {
      const browser = new Browser();
      browser.headers = { authorization: `Bearer ${token}` };
      const page = await browser.get('/console/fleet');
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe('/console/login');
      await browser.get('/console/login');
      const post = await browser.post('/console/technicians', { id: 'T-9', cardNumber: '9999000012349999', pin: '135790' });
      expect(post.statusCode).toBe(401);
    }
    expect(await bo.consoleStore.technicians()).toEqual([]);
  });

  it('does not open the kiosk or online APIs with an operator session', async () => {
    const browser = new Browser();
    await browser.login();
    expect((await browser.get('/console/fleet')).statusCode).toBe(200); // the session is good for the console
    for (const url of ['/v1/kiosk/technicians', '/v1/kiosk/changes?cursor=0', '/v1/online/kiosks', '/v1/online/conflicts']) {
      expect((await browser.get(url)).statusCode, url).toBe(401);
    }
  });

  it('refuses every POST without the session’s CSRF token (none, or another session’s)', async () => {
    const db = bo.consoleStore;
    await bo.store.setTechnician('T-0001', '9999000012340001', { salt: 'aa', hash: 'bb', params: { N: 16384, r: 8, p: 1, keylen: 32 } });
    const browser = new Browser();
    await browser.login();
    await browser.get('/console/technicians');
    const other = new Browser();
    await other.login();
    await other.get('/console/technicians');
    const without = await browser.post('/console/technicians/T-0001/disable', {}, { csrf: null });
    const foreign = await browser.post('/console/technicians/T-0001/disable', {}, { csrf: other.csrf });
    const forged = await browser.post('/console/technicians/T-0001/disable', {}, { csrf: 'x'.repeat(40) });
    for (const reply of [without, foreign, forged]) {
      expect(reply.statusCode).toBe(403);
      expect(reply.body).toContain('Dit formulier is verlopen.');
    }
    expect((await db.technicians())[0]?.disabledAt).toBeNull();
    const login = await new Browser().post('/console/login', { name: 'olga', password: PASSWORD }, { csrf: null });
    expect(login.statusCode).toBe(403);
    expect((await browser.post('/console/technicians/T-0001/disable', {})).statusCode).toBe(303);
    expect((await db.technicians())[0]?.disabledAt).not.toBeNull();
  });

  it('serves its pages with a strict CSP and no inline script', async () => {
    const browser = new Browser();
    await browser.login();
    for (const url of ['/console/login', '/console/fleet', '/console/orders', '/console/conflicts', '/console/technicians', '/console/audit']) {
      const page = await browser.get(url);
      expect(page.headers['content-security-policy'], url).toMatch(/^default-src 'self';/);
      expect(page.body, url).not.toMatch(/<script(?![^>]*\bsrc=)/);
      expect(page.body, url).not.toMatch(/\sstyle=|\son[a-z]+=/);
    }
  });
});

describe('the fleet at a glance', () => {
  it('shows health, last heartbeat, sync lag, outbox and out-of-service, and goes red when a kiosk stops reporting', async () => {
    await bo.store.registerKiosk('never-1', 'Nooit gezien', newToken());
    await bo.store.registerKiosk('busy-2', 'Amersfoort 2', newToken());
    await bo.store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 500 });
    await bo.store.heartbeat('utrecht-12', { cursor: String(await bo.store.head()), epoch: bo.store.epoch, outboxDepth: 0, online: true, health: 'green', outOfService: null });
    await bo.store.heartbeat('busy-2', { cursor: '0', epoch: bo.store.epoch, outboxDepth: 3, online: true, health: 'amber', outOfService: 'technicalFault' });
    const browser = new Browser();
    await browser.login();
    const light = (body: string, id: string) => new RegExp(`data-kiosk="${id}" data-light="(\\w+)"`).exec(body)?.[1];
    let page = await browser.get('/console/fleet');
    expect(light(page.body, 'utrecht-12')).toBe('green');
    expect(light(page.body, 'busy-2')).toBe('amber');
    expect(light(page.body, 'never-1')).toBe('never');
    expect(page.body).toMatch(/<td>Storing<\/td>/);
    expect(page.body).toContain('1 wijzigingen');
    expect(page.body).toContain('ophalingen wachten op verzending');

    clock = new Date(clock.getTime() + 90_000);
    page = await browser.get('/console/fleet');
    expect(light(page.body, 'utrecht-12')).toBe('green'); // exactly the threshold: not yet
    clock = new Date(clock.getTime() + 1);
    page = await browser.get('/console/fleet');
    expect(light(page.body, 'utrecht-12')).toBe('red');
    expect(page.body).toContain('Meldt zich niet');
    await bo.store.heartbeat('utrecht-12', { cursor: String(await bo.store.head()), epoch: bo.store.epoch, outboxDepth: 0, online: true });
    expect(light((await browser.get('/console/fleet')).body, 'utrecht-12')).toBe('green');
  });

  it('escapes what kiosks and operators write (a kiosk id, a name, a note)', async () => {
    const evil = '<script>alert(1)</script>';
    await bo.store.registerKiosk(`k"><img src=x onerror=alert(2)>`, evil, newToken());
    const order = await bo.store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 500 });
    await bo.store.cancelOrder(order.id);
    await bo.store.recordPickup(`k"><img src=x onerror=alert(2)>`, { deliveryId: 'd-1', orderId: order.id, cardNumber: ANNA, kind: 'topup', deliveredAt: clock.toISOString() });
    const browser = new Browser();
    await browser.login();
    await browser.get('/console/conflicts');
    const conflict = /name="conflict" value="([^"]*)"/.exec((await browser.get('/console/conflicts')).body)?.[1] ?? '';
    await browser.post('/console/conflicts/resolve', { subject: `order:${order.id}`, conflict, note: `${evil} refunded` });
    for (const url of ['/console/fleet', '/console/audit']) {
      const page = await browser.get(url);
      expect(page.body, url).not.toContain('<script>alert');
      expect(page.body, url).not.toContain('<img src=x');
    }
    expect((await browser.get('/console/fleet')).body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await browser.get('/console/audit')).body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; refunded');
  });
});

describe('orders by card', () => {
  it('finds a card’s orders, shows the number masked and never a kaartservicecode', async () => {
    const code = '4711-0815-2342';
    await bo.store.placeOrder({ kind: 'kaartservicecode', cardNumber: ANNA, email: 'a@example.org' }, { code });
    await bo.store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 2000 });
    await bo.store.placeOrder({ kind: 'topup', cardNumber: '3528010087654321', email: 'b@example.org', amountCents: 700 });
    const browser = new Browser();
    await browser.login();
    await browser.get('/console/orders');
    const page = await browser.post('/console/orders', { card: '3528 0100 1234 5678' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('•••• 5678');
    expect(page.body).not.toContain(ANNA);
    expect(page.body).not.toContain(code);
    expect(page.body).not.toMatch(/sealed/i);
    expect(page.body.match(/data-order=/g)).toHaveLength(2);
    expect(page.body).toContain('Kaartservicecode');
    expect(page.body).toMatch(/Saldo opladen €\s?20,00/);
    expect((await browser.post('/console/orders', { card: '1234' })).statusCode).toBe(400);
  });
});

describe('conflicts and quarantined pickups', () => {
  it('resolves one with a note: it leaves the open list and is audited; twice or without a note it is refused', async () => {
    const order = await bo.store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 500 });
    await bo.store.cancelOrder(order.id);
    await bo.store.recordPickup('utrecht-12', { deliveryId: 'd-late', orderId: order.id, cardNumber: ANNA, kind: 'topup', deliveredAt: clock.toISOString() });
    await bo.store.recordPickup('utrecht-12', { deliveryId: 'd-ghost', orderId: 'o_unknown', cardNumber: ANNA, kind: 'topup', deliveredAt: clock.toISOString() });
    const browser = new Browser();
    await browser.login();
    let page = await browser.get('/console/conflicts');
    expect(page.body).toContain(`data-subject="order:${order.id}"`);
    expect(page.body).toContain('data-subject="pickup:d-ghost"');
    expect(page.body).toContain('opgehaald nadat de bestelling was geannuleerd');
    const conflict = new RegExp(`data-subject="order:${order.id}"[\\s\\S]*?name="conflict" value="([^"]*)"`).exec(page.body)?.[1] ?? '';

    expect((await browser.post('/console/conflicts/resolve', { subject: `order:${order.id}`, conflict, note: '   ' })).statusCode).toBe(400);
    const done = await browser.post('/console/conflicts/resolve', { subject: `order:${order.id}`, conflict, note: 'Refunded €5 to the traveller' });
    expect(done.statusCode).toBe(303);
    page = await browser.get('/console/conflicts');
    expect(page.body).toContain('is gemarkeerd als opgelost');
    expect(page.body).not.toContain(`data-subject="order:${order.id}"`);
    expect(page.body).toContain('data-subject="pickup:d-ghost"');
    expect((await browser.post('/console/conflicts/resolve', { subject: `order:${order.id}`, conflict, note: 'again' })).statusCode).toBe(409);
    const audit = await bo.consoleStore.operatorAudit();
    expect(audit.filter((a) => a.action === 'resolve')).toEqual([
      expect.objectContaining({ operator: 'olga', subject: `order:${order.id}`, detail: 'Refunded €5 to the traveller' }),
    ]);
    expect((await browser.get('/console/audit')).body).toContain('Refunded €5 to the traveller');
  });
});

describe('technicians', () => {
  const feed = async () =>
    (JSON.parse((await bo.app.inject({ url: '/v1/kiosk/technicians', headers: { authorization: `Bearer ${kioskToken}` } })).body) as { technicianId: string }[]).map(
      (t) => t.technicianId,
    );

  it('adds one under the PIN rules, and a disabled one leaves the kiosks’ feed', async () => {
    const browser = new Browser();
    await browser.login();
    await browser.get('/console/technicians');
    const sequence = await browser.post('/console/technicians', { id: 'T-0002', cardNumber: '9999000012340002', pin: '123456' });
    expect(sequence.statusCode).toBe(400);
    expect(sequence.body).toContain('Een reeks opeenvolgende cijfers');
    expect((await browser.post('/console/technicians', { id: 'T 2', cardNumber: '9999000012340002', pin: '135790' })).statusCode).toBe(400);
    expect((await browser.post('/console/technicians', { id: 'T-0002', cardNumber: '99990000', pin: '135790' })).statusCode).toBe(400);
    expect(await feed()).toEqual([]);

    expect((await browser.post('/console/technicians', { id: 'T-0002', cardNumber: '9999000012340002', pin: '135790' })).statusCode).toBe(303);
    expect(await feed()).toEqual(['T-0002']);
    const list = await browser.get('/console/technicians');
    expect(list.body).toContain('•••• 0002');
    expect(list.body).not.toContain('9999000012340002');
    expect((await browser.post('/console/technicians', { id: 'T-0002', cardNumber: '9999000012340003', pin: '246802' })).statusCode).toBe(400);

    expect((await browser.post('/console/technicians/T-0002/disable', {})).statusCode).toBe(303);
    expect(await feed()).toEqual([]);
    expect((await browser.get('/console/technicians')).body).toContain('Monteur T-0002 is uitgeschakeld.');
    expect((await browser.post('/console/technicians/T-0002/enable', {})).statusCode).toBe(303);
    expect(await feed()).toEqual(['T-0002']);
    expect((await browser.post('/console/technicians/T-0404/disable', {})).statusCode).toBe(404);
    const actions = (await bo.consoleStore.operatorAudit()).map((a) => `${a.action} ${a.subject ?? ''}`);
    expect(actions).toEqual(expect.arrayContaining(['technician-add T-0002', 'technician-disable T-0002', 'technician-enable T-0002']));
  });
});

describe('the audit log', () => {
  it('pages the kiosks’ entries (100 a page, newest arrival first) and the operators’', async () => {
    const entries = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, at: clock.toISOString(), actor: 'T-0001', action: `action-${i + 1}`, detail: null }));
    await bo.store.recordAudit('utrecht-12', entries);
    const browser = new Browser();
    await browser.login();
    const first = await browser.get('/console/audit');
    const actions = (body: string) => [...body.matchAll(/<td>(action-\d+)<\/td>/g)].map((m) => m[1]);
    expect(actions(first.body)).toHaveLength(100);
    expect(actions(first.body)[0]).toBe('action-150');
    const older = /<a href="([^"]*kiosksBefore=\d+)">Oudere vermeldingen van kiosken<\/a>/.exec(first.body)?.[1];
    expect(older).toBeDefined();
    expect(first.body).not.toContain('operatorsBefore=');
    const second = await browser.get((older ?? '').replace(/&amp;/g, '&'));
    expect(actions(second.body)).toEqual(entries.slice(0, 50).reverse().map((e) => e.action));
    expect(second.body).not.toContain('kiosksBefore=');
  });
});

describe('languages', () => {
  it('speaks Dutch by default, the browser’s language when it is one of four, and the one chosen in the address', async () => {
    const heading = (reply: Reply) => /<h1>([^<]*)<\/h1>/.exec(reply.body)?.[1];
    const lang = (reply: Reply) => /<html lang="(\w+)"/.exec(reply.body)?.[1];
    const browser = new Browser();
    expect(heading(await browser.get('/console/login'))).toBe('Aanmelden');
    expect(heading(await browser.get('/console/login', { 'accept-language': 'de-CH, en;q=0.5' }))).toBe('Anmelden');
    expect(heading(await browser.get('/console/login', { 'accept-language': 'es, fr;q=0.8, en;q=0.9' }))).toBe('Sign in');
    const french = await browser.get('/console/login?lang=fr', { 'accept-language': 'de' });
    expect(heading(french)).toBe('Connexion');
    expect(lang(french)).toBe('fr');
    expect(french.body).toContain('action="/console/login?lang=fr"');
  });
});

describe('sessions and the back office clock', () => {
  it('keeps a session by the real clock, also when the back office’s `now` is days ahead', async () => {
    const ahead = await open({ file: join(dir, 'ahead.db'), now: () => new Date(Date.now() + 2 * 86_400_000) }, pgCluster ? await pgCluster.cluster.newDatabase() : '');
    try {
      await ahead.consoleStore.setOperator('olga', await hashPassword(PASSWORD));
      await ahead.app.ready();
      const saved = bo;
      bo = ahead;
      try {
        const browser = new Browser();
        expect((await browser.login()).statusCode).toBe(303);
        expect((await browser.get('/console/fleet')).statusCode).toBe(200);
      } finally {
        bo = saved;
      }
    } finally {
      await ahead.close();
      opened.splice(opened.indexOf(ahead), 1);
    }
  });
});
});
