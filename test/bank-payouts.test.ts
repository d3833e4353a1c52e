// Issue 14: a granted claim paid to the account's bank account when the traveller chooses so
// online (SQLite, over HTTP). The bank account (PUT /v1/online/accounts/:id/bank-account: an
// IBAN checked for its country's format and checksum), the claim with `payout: 'bank'` (a
// payout instruction, no top-up order: the kiosk has nothing to offer), the finance side
// (GET /v1/online/payouts, POST /v1/online/payouts/:id/paid: once, the IBAN cleared), a
// waiting bank claim decided later, and logs that never hold the IBAN.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { fareCents, type CardJourney } from '../domain/index.js';
import { claimResultSchema, journeysResponseSchema } from '../protocol/kiosk-api.js';
import { accountJourneysSchema, bankAccountViewSchema, onlineClaimResultSchema, payoutPaidSchema, payoutsPageSchema, type DelaysImport } from '../protocol/online-api.js';
import { ANNA, BRAM, forEachEngine, startBackOffice, tempDir } from './sync/helpers.js';

const DAY = 86_400_000;
const MIN = 60_000;
const T = Date.parse('2026-11-02T08:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();
const IBAN = 'NL91ABNA0417164300';
const TYPED = 'nl91 abna 0417 1643 00';

const SERVICES: DelaysImport['services'] = [
  { serviceId: 'IC-3012', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(T + 5 * MIN), scheduledArrival: at(T + 32 * MIN), actualArrival: at(T + 77 * MIN) },
  { serviceId: 'IC-3016', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(T + 65 * MIN), scheduledArrival: at(T + 92 * MIN), actualArrival: at(T + 162 * MIN) },
];
function on(index: number): CardJourney {
  const s = SERVICES[index]!;
  return {
    checkIn: { station: s.from, at: at(Date.parse(s.scheduledDeparture) - 3 * MIN) },
    checkOut: { station: s.to, at: at(Date.parse(s.actualArrival) + 4 * MIN) },
    chargedCents: fareCents(s.from, s.to),
  };
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setUp(start = T + 10 * DAY) {
  const tmp = tempDir();
  let clock = start;
  const lines: string[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  const office = await startBackOffice(tmp.dir, { now: () => new Date(clock), log });
  cleanup.push(async () => {
    await office.close();
    tmp.remove();
  });
  const kiosk = async (path: string, body: unknown) => {
    const response = await fetch(`${office.url}/v1/kiosk${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${office.kioskToken('k1')}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  };
  await kiosk('/journeys', { cardNumber: ANNA, journeys: [on(0), on(1)] });
  office.bo.db.db.prepare(`INSERT INTO card_links VALUES (?, 'acc-anna', ?, 'o-x')`).run(ANNA, at(T));
  const claimOnline = (journey: CardJourney, extra: object = { payout: 'bank' }, account = 'acc-anna', cardNumber = ANNA) =>
    office.online('POST', `/accounts/${account}/claims`, { cardNumber, journeyId: journey.checkIn.at, kind: 'delay', ...extra });
  const topups = () => office.bo.db.changesSince(0, 1000).changes.filter((c) => c.payload?.kind === 'topup');
  return { office, kiosk, claimOnline, topups, lines, advance: (ms: number) => void (clock += ms) };
}

describe('a refund paid to the bank', () => {
  it('the bank account: an IBAN checked (country format, checksum) with a clear 400, kept in electronic format, answered masked', async () => {
    const { office, lines } = await setUp();
    const wrongChecksum = await office.online('PUT', '/accounts/acc-anna/bank-account', { iban: 'NL92ABNA0417164300', holder: 'A. Jansen' });
    expect(wrongChecksum).toEqual({ status: 400, json: { error: "invalid IBAN: the IBAN's check digits are wrong (a typing error?)" } });
    const wrongLength = await office.online('PUT', '/accounts/acc-anna/bank-account', { iban: 'NL91ABNA04171643001', holder: 'A. Jansen' });
    expect(wrongLength.status).toBe(400);
    expect(wrongLength.json).toEqual({ error: expect.stringMatching(/^invalid IBAN: /) });
    const set = await office.online('PUT', '/accounts/acc-anna/bank-account', { iban: TYPED, holder: 'A. Jansen' });
    expect(set.status).toBe(200);
    expect(bankAccountViewSchema.parse(set.json)).toEqual({ accountId: 'acc-anna', iban: '•••• 4300', holder: 'A. Jansen', updatedAt: at(T + 10 * DAY) });
    expect(office.bo.db.db.prepare('SELECT iban FROM bank_accounts').pluck().all()).toEqual([IBAN]);
    const logged = lines.join('');
    expect(logged).toContain('bank account');
    for (const secret of [IBAN, TYPED, 'NL92ABNA0417164300', '0417164300']) expect(logged.includes(secret), secret).toBe(false);
  });

  it('a bank claim granted: a payout instruction, no order in the feed; again the same answer, at once from many requests one payout; the kiosk offers nothing', async () => {
    const { office, kiosk, claimOnline, topups, lines } = await setUp();
    await office.online('PUT', '/train-services', { services: SERVICES });
    // Not the account's card; no bank account yet.
    office.bo.db.db.prepare(`INSERT INTO card_links VALUES (?, 'acc-bram', ?, 'o-y')`).run(BRAM, at(T));
    expect(await claimOnline(on(0), { payout: 'bank' }, 'acc-bram')).toEqual({ status: 200, json: { status: 'refused', reason: 'notOurCard' } });
    const none = await claimOnline(on(0));
    expect(none.status).toBe(409);
    expect(none.json).toEqual({ error: expect.stringMatching(/no bank account/) });
    await office.online('PUT', '/accounts/acc-anna/bank-account', { iban: TYPED, holder: 'A. Jansen' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => claimOnline(on(0))));
    const results = answers.map((a) => onlineClaimResultSchema.parse(a.json));
    const granted = results.filter((r) => r.status === 'grantedToBank');
    expect(granted).toHaveLength(1);
    const payoutId = granted[0]?.payoutId ?? '';
    expect(granted[0]).toEqual({ status: 'grantedToBank', payoutId, amountCents: 425, iban: '•••• 4300' });
    expect(results.filter((r) => r.status === 'alreadyClaimed')).toEqual(Array.from({ length: 7 }, () => ({ status: 'alreadyClaimed', orderId: null, payoutId, decisionAfter: null })));
    expect((await claimOnline(on(0))).json).toEqual({ status: 'alreadyClaimed', orderId: null, payoutId, decisionAfter: null });
    expect(office.bo.db.db.prepare('SELECT count(*) FROM payouts').pluck().get()).toBe(1);
    expect(topups()).toEqual([]);
    // At the kiosk: claimed, no order to pick up (the kiosk contract unchanged).
    const atKiosk = await kiosk('/claims', { cardNumber: ANNA, journey: on(0), kind: 'delay' });
    expect(claimResultSchema.parse(atKiosk.json)).toEqual({ status: 'alreadyClaimed', orderId: null, decisionAfter: null });
    expect(journeysResponseSchema.parse((await kiosk('/journeys', { cardNumber: ANNA, journeys: [on(0)] })).json).journeys[0]).toMatchObject({ status: 'claimed', orderId: null, amountCents: 425 });
    // The card payout online is as before: a top-up order.
    expect((await claimOnline(on(1), {})).json).toMatchObject({ status: 'granted', amountCents: 850 });
    expect(topups()).toHaveLength(1);
    // The travel history says which claim went to the bank.
    const history = accountJourneysSchema.parse((await office.online('GET', '/accounts/acc-anna/journeys')).json);
    expect(history.journeys.map((j) => [j.journey.checkIn.at, j.bankPayout])).toEqual([
      [on(1).checkIn.at, null],
      [on(0).checkIn.at, { payoutId, status: 'pending', ibanLast4: '4300' }],
    ]);
    const logged = lines.join('');
    expect(logged).toContain('claim made online');
    expect(logged.includes(IBAN) || logged.includes('0417164300')).toBe(false);
  });

  it('the finance side: pending payouts with the IBAN (paged, bounded), marked paid once (again a no-op, unknown 404), the IBAN gone from the store; only with the online token', async () => {
    const { office, claimOnline, lines } = await setUp();
    await office.online('PUT', '/train-services', { services: SERVICES });
    await office.online('PUT', '/accounts/acc-anna/bank-account', { iban: TYPED, holder: 'A. Jansen' });
    await claimOnline(on(0));
    await claimOnline(on(1));
    const first = payoutsPageSchema.parse((await office.online('GET', '/payouts?status=pending&limit=1')).json);
    expect(first.payouts.map((p) => [p.amountCents, p.iban, p.holder, p.status])).toEqual([[425, IBAN, 'A. Jansen', 'pending']]);
    expect(first.next).not.toBeNull();
    const second = payoutsPageSchema.parse((await office.online('GET', `/payouts?status=pending&limit=1&after=${first.next}`)).json);
    expect(second.payouts.map((p) => p.amountCents)).toEqual([850]);
    expect(second.next).toBeNull();
    expect((await office.online('GET', '/payouts?limit=501')).status).toBe(400);
    expect((await fetch(`${office.url}/v1/online/payouts`)).status).toBe(401);
    const id = first.payouts[0]?.id ?? '';
    const paid = await office.online('POST', `/payouts/${id}/paid`);
    expect(paid.status).toBe(200);
    const body = payoutPaidSchema.parse(paid.json);
    expect(body).toMatchObject({ alreadyPaid: false, payout: { id, status: 'paid', iban: null, holder: null, ibanLast4: '4300', paidAt: at(T + 10 * DAY) } });
    expect(await office.online('POST', `/payouts/${id}/paid`)).toEqual({ status: 200, json: { ...body, alreadyPaid: true } });
    expect((await office.online('POST', '/payouts/po_nothing/paid')).status).toBe(404);
    expect(office.bo.db.db.prepare('SELECT iban, holder FROM payouts WHERE id = ?').get(id)).toEqual({ iban: null, holder: null });
    expect(payoutsPageSchema.parse((await office.online('GET', '/payouts')).json).payouts.map((p) => p.id)).toEqual([second.payouts[0]?.id]);
    expect(payoutsPageSchema.parse((await office.online('GET', '/payouts?status=paid')).json).payouts).toEqual([body.payout]);
    const logged = lines.join('');
    expect(logged).toContain('payout marked paid');
    expect(logged.includes(IBAN) || logged.includes('0417164300') || logged.includes('A. Jansen')).toBe(false);
  });

  it('a waiting bank claim decided later becomes a payout, not a top-up order', async () => {
    const { office, claimOnline, topups, advance } = await setUp(T + 2 * DAY);
    await office.online('PUT', '/train-services', { services: SERVICES });
    await office.online('PUT', '/accounts/acc-anna/bank-account', { iban: IBAN, holder: 'A. Jansen' });
    expect((await claimOnline(on(0))).json).toEqual({ status: 'waiting', decisionAfter: at(T + 9 * DAY) });
    const waiting = accountJourneysSchema.parse((await office.online('GET', '/accounts/acc-anna/journeys')).json);
    expect(waiting.journeys.find((j) => j.journey.checkIn.at === on(0).checkIn.at)?.bankPayout).toEqual({ payoutId: null, status: 'waiting', ibanLast4: '4300' });
    advance(7 * DAY);
    expect((await office.online('PUT', '/train-services', { services: SERVICES })).json).toEqual({ stored: 2, decided: 1 });
    expect(topups()).toEqual([]);
    const page = payoutsPageSchema.parse((await office.online('GET', '/payouts')).json);
    expect(page.payouts.map((p) => [p.cardNumber, p.journeyId, p.amountCents, p.iban])).toEqual([[ANNA, on(0).checkIn.at, 425, IBAN]]);
    expect((await claimOnline(on(0))).json).toEqual({ status: 'alreadyClaimed', orderId: null, payoutId: page.payouts[0]?.id, decisionAfter: null });
  });
});

// The same over HTTP on both engines: on PostgreSQL two instances (A and B) share the
// database, and the claims, the finance side and the logs are split across them.
describe('a refund paid to the bank, on either engine', () => {
  forEachEngine((fixture) => {
    it('claims through two instances at once: one payout, no order; marked paid through either once; the IBAN in no log', async () => {
      const tmp = tempDir();
      const lines: string[] = [];
      const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
      const office = await fixture.start(tmp.dir, { log, now: () => new Date(T + 10 * DAY) });
      cleanup.push(async () => {
        await office.close();
        tmp.remove();
      });
      const viaB = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${office.url}/v1/online${path}`, {
          method,
          headers: { authorization: `Bearer ${office.onlineToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: response.status, json: (await response.json()) as unknown };
      };
      const kioskToken = await office.kioskToken('k1');
      const reported = await fetch(`${office.url}/v1/kiosk/journeys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${kioskToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ cardNumber: ANNA, journeys: [on(0)] }),
      });
      expect(reported.status).toBe(200);
      await office.exec(`INSERT INTO card_links VALUES ('${ANNA}', 'acc-anna', '${at(T)}', 'o-x')`);
      expect((await office.online('PUT', '/train-services', { services: SERVICES })).status).toBe(200);
      expect((await viaB('PUT', '/accounts/acc-anna/bank-account', { iban: TYPED, holder: 'A. Jansen' })).status).toBe(200);
      const claim = { cardNumber: ANNA, journeyId: on(0).checkIn.at, kind: 'delay', payout: 'bank' };
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? office.online('POST', '/accounts/acc-anna/claims', claim) : viaB('POST', '/accounts/acc-anna/claims', claim))));
      const results = answers.map((a) => onlineClaimResultSchema.parse(a.json));
      const granted = results.filter((r) => r.status === 'grantedToBank');
      expect(granted).toHaveLength(1);
      const payoutId = granted[0]?.payoutId ?? '';
      expect(results.filter((r) => r.status === 'alreadyClaimed')).toEqual(Array.from({ length: 9 }, () => ({ status: 'alreadyClaimed', orderId: null, payoutId, decisionAfter: null })));
      expect((await office.store.changesSince(0, 1000)).changes.filter((c) => c.payload?.kind === 'topup')).toEqual([]);
      const pending = payoutsPageSchema.parse((await viaB('GET', '/payouts')).json);
      expect(pending.payouts.map((p) => [p.id, p.iban])).toEqual([[payoutId, IBAN]]);
      const marks = await Promise.all([office.online('POST', `/payouts/${payoutId}/paid`), viaB('POST', `/payouts/${payoutId}/paid`)]);
      expect(marks.map((m) => payoutPaidSchema.parse(m.json).alreadyPaid).sort()).toEqual([false, true]);
      expect(payoutsPageSchema.parse((await office.online('GET', '/payouts?status=paid')).json).payouts.map((p) => [p.id, p.iban, p.holder])).toEqual([[payoutId, null, null]]);
      const logged = lines.join('');
      expect(logged).toContain('payout marked paid');
      for (const secret of [IBAN, TYPED, '0417164300']) expect(logged.includes(secret), secret).toBe(false);
    }, 30_000);
  });
});
