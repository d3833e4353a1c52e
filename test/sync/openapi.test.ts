// The OpenAPI document the back office serves is made from the routes' own zod schemas: every
// /v1 route is in it, nothing else is, and live answers of each route match the document's
// response schema (checked with Ajv, not with the zod schemas that made it).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNA, startBackOffice, tempDir, type RunningBackOffice } from './helpers.js';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema: object }> }>; security?: unknown[] }>>;
}

let tmp: ReturnType<typeof tempDir>;
let office: RunningBackOffice;
let doc: OpenApi;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

beforeAll(async () => {
  tmp = tempDir();
  office = await startBackOffice(tmp.dir);
  const response = await fetch(`${office.url}/openapi.json`);
  expect(response.status).toBe(200);
  doc = (await response.json()) as OpenApi;
});
afterAll(async () => {
  await office.close();
  tmp.remove();
});

/** The live /v1 routes, as Fastify lists them (a tree: each line's path follows its parent's). */
function liveRoutes(): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of office.bo.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^(.*?)[├└]── (\S+) \(([A-Z, ]+)\)/.exec(line);
    if (!m) continue;
    const depth = (m[1] as string).length / 4;
    stack.length = depth;
    const path = `${stack.join('')}${m[2] as string}`;
    stack.push(m[2] as string);
    if (!path.startsWith('/v1/')) continue;
    for (const method of (m[3] as string).split(', ')) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

function check(path: string, method: string, status: number, body: unknown): void {
  const schema = doc.paths[path]?.[method]?.responses?.[String(status)]?.content?.['application/json']?.schema;
  expect(schema, `${method.toUpperCase()} ${path} ${status} in the document`).toBeDefined();
  const validate = ajv.compile(schema as object);
  const ok = validate(body);
  expect(ok, `${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${office.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('the OpenAPI document', () => {
  it('names every live /v1 route and no other', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();
    expect(liveRoutes().length).toBeGreaterThanOrEqual(12);
    expect(documented).toEqual(liveRoutes());
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const op of Object.values(methods)) expect(op.security, `${path}: who may call it`).toHaveLength(1);
    }
  });

  it('describes what the live routes answer', async () => {
    const online = office.onlineToken;
    const kiosk = office.kioskToken('k1');
    const placed = await call('POST', '/v1/online/orders', online, { kind: 'topup', cardNumber: ANNA, email: 'anna@example.org', amountCents: 500 });
    check('/v1/online/orders', 'post', 201, placed.json);
    const id = (placed.json as { id: string }).id;
    check('/v1/online/orders/{id}', 'get', 200, (await call('GET', `/v1/online/orders/${id}`, online)).json);
    const missing = await call('GET', '/v1/online/orders/o_nothing', online);
    expect(missing.status).toBe(404);
    check('/v1/online/orders/{id}', 'get', 404, missing.json);

    const page = await call('GET', '/v1/kiosk/changes?cursor=0&limit=10', kiosk);
    check('/v1/kiosk/changes', 'get', 200, page.json);
    const change = (page.json as { changes: { orderId: string; cardNumber: string }[] }).changes[0];
    const report = { deliveryId: 'd-openapi-1', orderId: change?.orderId, cardNumber: change?.cardNumber, deliveredAt: new Date().toISOString(), kind: 'topup' };
    const ack = await call('PUT', '/v1/kiosk/pickups/d-openapi-1', kiosk, report);
    expect(ack.status).toBe(200);
    check('/v1/kiosk/pickups/{deliveryId}', 'put', 200, ack.json);
    check('/v1/kiosk/technicians', 'get', 200, (await call('GET', '/v1/kiosk/technicians', kiosk)).json);
    const audit = await call('POST', '/v1/kiosk/audit', kiosk, { entries: [{ id: 1, at: new Date().toISOString(), actor: 't1', action: 'sync-now', detail: null }] });
    check('/v1/kiosk/audit', 'post', 200, audit.json);
    const heartbeat = await call('POST', '/v1/kiosk/heartbeat', kiosk, { cursor: null, epoch: null, outboxDepth: 0, online: true });
    expect(heartbeat.status).toBe(204);

    check('/v1/online/conflicts', 'get', 200, (await call('GET', '/v1/online/conflicts', online)).json);
    check('/v1/online/kiosks', 'get', 200, (await call('GET', '/v1/online/kiosks', online)).json);
    check('/v1/online/audit', 'get', 200, (await call('GET', '/v1/online/audit', online)).json);
    const second = await call('POST', '/v1/online/orders', online, { kind: 'topup', cardNumber: ANNA, email: 'anna@example.org', amountCents: 600 });
    const cancelled = await call('POST', `/v1/online/orders/${(second.json as { id: string }).id}/cancel`, online);
    check('/v1/online/orders/{id}/cancel', 'post', 200, cancelled.json);

    // Mijn NS (issue 14): the kiosk's journeys and claims, the online steps, the operator's times.
    const t = Date.now() - 10 * 86_400_000;
    const at = (minutes: number) => new Date(t + minutes * 60_000).toISOString();
    const services = await call('PUT', '/v1/online/train-services', online, {
      services: [{ serviceId: 'IC-1', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(5), scheduledArrival: at(32), actualArrival: at(77) }],
    });
    check('/v1/online/train-services', 'put', 200, services.json);
    const journey = { checkIn: { station: 'utrecht-centraal', at: at(0) }, checkOut: { station: 'amsterdam-centraal', at: at(80) }, chargedCents: 850 };
    const journeys = await call('POST', '/v1/kiosk/journeys', kiosk, { cardNumber: ANNA, journeys: [journey, { checkIn: { station: 'breda', at: at(500) }, checkOut: null, chargedCents: 2000 }] });
    check('/v1/kiosk/journeys', 'post', 200, journeys.json);
    const claimed = await call('POST', '/v1/kiosk/claims', kiosk, { cardNumber: ANNA, journey, kind: 'delay' });
    expect(claimed.json).toMatchObject({ status: 'granted' });
    check('/v1/kiosk/claims', 'post', 200, claimed.json);
    check('/v1/kiosk/claims', 'post', 200, (await call('POST', '/v1/kiosk/claims', kiosk, { cardNumber: ANNA, journey, kind: 'delay' })).json);
    const requested = await call('POST', '/v1/online/kaartservicecode-requests', online, { cardNumber: ANNA, email: 'anna@example.org', language: 'en' });
    check('/v1/online/kaartservicecode-requests', 'post', 201, requested.json);
    check('/v1/online/kaartservicecode-requests', 'post', 200, (await call('POST', '/v1/online/kaartservicecode-requests', online, { cardNumber: ANNA, email: 'anna@example.org', language: 'en' })).json);
    const wrong = await call('POST', '/v1/online/accounts/acc-1/cards', online, { cardNumber: ANNA, code: '0000-0000-0000' });
    expect(wrong.status).toBe(403);
    check('/v1/online/accounts/{accountId}/cards', 'post', 403, wrong.json);
    check('/v1/online/accounts/{accountId}/journeys', 'get', 200, (await call('GET', '/v1/online/accounts/acc-1/journeys', online)).json);
    check('/v1/online/accounts/{accountId}/claims', 'post', 200, (await call('POST', '/v1/online/accounts/acc-1/claims', online, { cardNumber: ANNA, journeyId: at(0), kind: 'delay' })).json);

    // Refunds paid to the bank: the account's bank account, a bank claim, the finance side.
    const badIban = await call('PUT', '/v1/online/accounts/acc-1/bank-account', online, { iban: 'NL92ABNA0417164300', holder: 'A. Jansen' });
    expect(badIban.status).toBe(400);
    check('/v1/online/accounts/{accountId}/bank-account', 'put', 400, badIban.json);
    const bank = await call('PUT', '/v1/online/accounts/acc-1/bank-account', online, { iban: 'NL91ABNA0417164300', holder: 'A. Jansen' });
    expect(bank.status).toBe(200);
    check('/v1/online/accounts/{accountId}/bank-account', 'put', 200, bank.json);
    office.bo.db.db.prepare(`INSERT INTO card_links VALUES (?, 'acc-1', ?, 'o-x')`).run(ANNA, at(0));
    await call('PUT', '/v1/online/train-services', online, {
      services: [{ serviceId: 'IC-2', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(65), scheduledArrival: at(92), actualArrival: at(162) }],
    });
    const later = { checkIn: { station: 'utrecht-centraal', at: at(60) }, checkOut: { station: 'amsterdam-centraal', at: at(165) }, chargedCents: 850 };
    await call('POST', '/v1/kiosk/journeys', kiosk, { cardNumber: ANNA, journeys: [later] });
    const toBank = await call('POST', '/v1/online/accounts/acc-1/claims', online, { cardNumber: ANNA, journeyId: at(60), kind: 'delay', payout: 'bank' });
    expect(toBank.json).toMatchObject({ status: 'grantedToBank' });
    check('/v1/online/accounts/{accountId}/claims', 'post', 200, toBank.json);
    check('/v1/online/accounts/{accountId}/claims', 'post', 200, (await call('POST', '/v1/online/accounts/acc-1/claims', online, { cardNumber: ANNA, journeyId: at(60), kind: 'delay', payout: 'bank' })).json);
    check('/v1/online/accounts/{accountId}/journeys', 'get', 200, (await call('GET', '/v1/online/accounts/acc-1/journeys', online)).json);
    const payouts = await call('GET', '/v1/online/payouts?status=pending', online);
    check('/v1/online/payouts', 'get', 200, payouts.json);
    const payoutId = (payouts.json as { payouts: { id: string }[] }).payouts[0]?.id ?? '';
    check('/v1/online/payouts/{id}/paid', 'post', 200, (await call('POST', `/v1/online/payouts/${payoutId}/paid`, online)).json);
    check('/v1/online/payouts/{id}/paid', 'post', 200, (await call('POST', `/v1/online/payouts/${payoutId}/paid`, online)).json);
    const unknown = await call('POST', '/v1/online/payouts/po_nothing/paid', online);
    expect(unknown.status).toBe(404);
    check('/v1/online/payouts/{id}/paid', 'post', 404, unknown.json);
  });

  it('finds an answer that breaks the document (the check can fail)', () => {
    const schema = doc.paths['/v1/online/orders']?.post?.responses?.['201']?.content?.['application/json']?.schema as object;
    expect(ajv.validate(schema, { id: 'o_1', kind: 'topup', code: '1234-5678-9012' })).toBe(false);
  });
});
