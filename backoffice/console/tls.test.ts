// Under TLS the console's cookie is Secure and named __Host-console (so no subdomain and
// no plain-HTTP page can set or read it); signing in works over HTTPS as over loopback HTTP.
import { Agent, fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestPki } from '../../test/sync/tls-fixtures.js';
import { forEachEngine, tempDir } from '../../test/sync/helpers.js';
import { hashPassword } from './passwords.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

// On the SQLite file, and on PostgreSQL (the browser at instance B).
forEachEngine((engine) => {
describe('the console over HTTPS', () => {
  it('sets a Secure, HttpOnly, SameSite=Strict __Host- cookie and signs in with it', async () => {
    const pki = makeTestPki();
    const tmp = tempDir();
    cleanup.push(() => pki.remove(), () => tmp.remove());
    const office = await engine.start(tmp.dir, { tls: { ...pki.server, clientCa: pki.ca } });
    cleanup.push(() => office.close());
    await office.shop.consoleStore.setOperator('olga', await hashPassword('a password over tls'));
    const dispatcher = new Agent({ connect: { ca: pki.ca } });
    cleanup.push(() => dispatcher.close());

    const login = await fetch(`${office.url}/console/login`, { dispatcher });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-console=/);
    for (const attribute of [/; Secure/, /; HttpOnly/, /; SameSite=Strict/, /; Path=\//]) expect(setCookie).toMatch(attribute);
    expect(setCookie).not.toMatch(/Domain=/i);
    const cookie = setCookie.split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? '';

    const signedIn = await fetch(`${office.url}/console/login`, {
      dispatcher,
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, name: 'olga', password: 'a password over tls' }).toString(),
    });
    expect(signedIn.status).toBe(303);
    const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(session).toMatch(/^__Host-console=/);
    const fleet = await fetch(`${office.url}/console/fleet`, { dispatcher, headers: { cookie: session }, redirect: 'manual' });
    expect(fleet.status).toBe(200);
  }, 30_000);
});
});
