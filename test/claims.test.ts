// Issue 14: journeys and claims at the back office, over HTTP (SQLite). A kiosk reports a
// card's travel log (POST /v1/kiosk/journeys: recorded once per card and journey, each
// assessed); a claim (POST /v1/kiosk/claims, or online for a linked card) is granted — a
// top-up order in the feed, picked up once through the ledger —, waits (within 5 days: at
// least a week) and is decided later, or is refused with its reason; the same claim from
// another kiosk, also at the same moment, gets what the first got, and one refund only.
import { afterEach, describe, expect, it } from 'vitest';
import { BOARDING_AMOUNT_CENTS, fareCents, type CardJourney } from '../domain/index.js';
import { claimResultSchema, journeysResponseSchema, type ClaimResult } from '../protocol/kiosk-api.js';
import type { DelaysImport } from '../protocol/online-api.js';
import { ANNA, BRAM, startBackOffice, tempDir, type RunningBackOffice } from './sync/helpers.js';

const DAY = 86_400_000;
const MIN = 60_000;
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** The day of the journeys: 08:00 UTC. */
const T = Date.parse('2026-11-02T08:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();

const SERVICES: DelaysImport['services'] = [
  // Intercity Utrecht Centraal → Amsterdam Centraal, 08:05–08:32, 45 minutes late.
  { serviceId: 'IC-3012', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(T + 5 * MIN), scheduledArrival: at(T + 32 * MIN), actualArrival: at(T + 77 * MIN) },
  // The same route an hour later, 70 minutes late.
  { serviceId: 'IC-3016', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(T + 65 * MIN), scheduledArrival: at(T + 92 * MIN), actualArrival: at(T + 162 * MIN) },
  // Planned works, announced in advance.
  { serviceId: 'IC-3020', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(T + 125 * MIN), scheduledArrival: at(T + 152 * MIN), actualArrival: at(T + 200 * MIN), announcedInAdvance: true },
  // Force majeure (a nationwide power failure).
  { serviceId: 'IC-3024', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(T + 185 * MIN), scheduledArrival: at(T + 212 * MIN), actualArrival: at(T + 290 * MIN), forceMajeure: true },
  // Only 20 minutes late on a standard line: too short.
  { serviceId: 'IC-3028', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(T + 245 * MIN), scheduledArrival: at(T + 272 * MIN), actualArrival: at(T + 292 * MIN) },
  // Intercity direct Schiphol → Rotterdam, 20 minutes late: enough on the high-speed line.
  { serviceId: 'ICD-1010', line: 'highSpeed', from: 'schiphol-airport', to: 'rotterdam-centraal', scheduledDeparture: at(T + 10 * MIN), scheduledArrival: at(T + 37 * MIN), actualArrival: at(T + 57 * MIN) },
];

/** A journey on `service` (check-in 3 minutes before it leaves, check-out 4 minutes after it arrived). */
function on(index: number): CardJourney {
  const s = SERVICES[index]!;
  return {
    checkIn: { station: s.from, at: at(Date.parse(s.scheduledDeparture) - 3 * MIN) },
    checkOut: { station: s.to, at: at(Date.parse(s.actualArrival) + 4 * MIN) },
    chargedCents: fareCents(s.from, s.to),
  };
}
const forgotten = (hours: number): CardJourney => ({ checkIn: { station: 'utrecht-centraal', at: at(T + hours * 3_600_000) }, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS });

async function setUp(start = T + 10 * DAY) {
  const tmp = tempDir();
  let clock = start;
  const office = await startBackOffice(tmp.dir, { now: () => new Date(clock) });
  cleanup.push(async () => {
    await office.close();
    tmp.remove();
  });
  const tokens = { k1: office.kioskToken('k1'), k2: office.kioskToken('k2') };
  const post = async (kiosk: keyof typeof tokens, path: string, body: unknown) => {
    const response = await fetch(`${office.url}/v1/kiosk${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[kiosk]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  };
  const claim = async (kiosk: keyof typeof tokens, journey: CardJourney, kind: 'delay' | 'forgottenCheckOut', extra: { destination?: string; cardNumber?: string } = {}): Promise<ClaimResult> => {
    const { status, json } = await post(kiosk, '/claims', { cardNumber: extra.cardNumber ?? ANNA, journey, kind, ...(extra.destination ? { destination: extra.destination } : {}) });
    if (status !== 200) throw new Error(`claim: HTTP ${status} ${JSON.stringify(json)}`);
    return claimResultSchema.parse(json);
  };
  const journeys = async (kiosk: keyof typeof tokens, list: CardJourney[], cardNumber = ANNA) => {
    const { status, json } = await post(kiosk, '/journeys', { cardNumber, journeys: list });
    if (status !== 200) throw new Error(`journeys: HTTP ${status} ${JSON.stringify(json)}`);
    return journeysResponseSchema.parse(json).journeys;
  };
  return { office, post, claim, journeys, advance: (ms: number) => void (clock += ms), set: (ms: number) => void (clock = ms) };
}

async function importServices(office: RunningBackOffice, services = SERVICES) {
  const response = await office.online('PUT', '/train-services', { services });
  expect(response.status).toBe(200);
  return response.json as { stored: number; decided: number };
}

/** The refund orders of the card in the feed (as kiosks see them). */
function refunds(office: RunningBackOffice, cardNumber = ANNA) {
  return office.bo.db.changesSince(0, 1000).changes.filter((c) => c.cardNumber === cardNumber && office.bo.db.getOrder(c.orderId)?.kind === 'topup');
}

describe('journeys and claims at the back office', () => {
  it('records a travel log once per card and journey and assesses each journey with the operator\'s delays', async () => {
    const { office, journeys } = await setUp();
    expect(await importServices(office)).toEqual({ stored: SERVICES.length, decided: 0 });
    const list = [on(0), on(1), on(2), on(3), on(4), on(5), forgotten(12)];
    const first = await journeys('k1', list);
    expect(first.map((j) => [j.status, j.kind, j.delayMinutes, j.amountCents, j.reason])).toEqual([
      ['eligible', 'delay', 45, 425, null],
      ['eligible', 'delay', 70, 850, null],
      ['none', 'delay', 48, null, 'announcedInAdvance'],
      ['none', 'delay', 78, null, 'forceMajeure'],
      ['none', 'delay', 20, null, 'tooShort'],
      ['eligible', 'delay', 20, 550, null],
      ['eligible', 'forgottenCheckOut', null, null, null],
    ]);
    // The same log again, from another kiosk: nothing recorded twice; a changed copy does not replace the first.
    await journeys('k2', [{ ...on(0), chargedCents: 9_999 }, ...list.slice(1)]);
    expect(office.bo.db.db.prepare('SELECT count(*) FROM journeys').pluck().get()).toBe(list.length);
    expect(office.bo.db.db.prepare('SELECT charged_cents FROM journeys WHERE journey_id = ?').pluck().get(on(0).checkIn.at)).toBe(850);
    // A journey on no known service.
    const other = { checkIn: { station: 'breda', at: at(T) }, checkOut: { station: 'zwolle', at: at(T + 2 * 3_600_000) }, chargedCents: 2000 };
    expect((await journeys('k1', [other]))[0]).toMatchObject({ status: 'none', reason: 'noDelayKnown', delayMinutes: null });
  });

  it('grants a delay claim made after 5 days at once: a top-up order in the feed, picked up once; again from a second kiosk: alreadyClaimed', async () => {
    const { office, claim, journeys } = await setUp();
    await importServices(office);
    const granted = await claim('k1', on(0), 'delay');
    expect(granted).toMatchObject({ status: 'granted', amountCents: 425 });
    if (granted.status !== 'granted') throw new Error('not granted');
    const feed = refunds(office);
    expect(feed.map((c) => [c.orderId, c.status, c.payload])).toEqual([[granted.orderId, 'pending', { kind: 'topup', amountCents: 425 }]]);
    expect(await claim('k2', on(0), 'delay')).toEqual({ status: 'alreadyClaimed', orderId: granted.orderId, decisionAfter: null });
    expect((await journeys('k2', [on(0)]))[0]).toMatchObject({ status: 'claimed', orderId: granted.orderId, amountCents: 425 });
    // Picked up at k1; k2's report of the same card's write is a duplicate: delivered once.
    const report = (deliveryId: string) => ({ deliveryId, orderId: granted.orderId, cardNumber: ANNA, kind: 'topup' as const, deliveredAt: new Date().toISOString() });
    expect(await office.bo.store.recordPickup('k1', report('d-1'))).toEqual({ status: 'recorded', conflict: null });
    expect(await office.bo.store.recordPickup('k2', report('d-2'))).toEqual({ status: 'duplicate', conflict: null });
    expect(await office.bo.store.pickupsForOrder(granted.orderId)).toBe(1);
    expect((await office.bo.store.getOrder(granted.orderId))?.status).toBe('delivered');
    expect(refunds(office).map((c) => c.status)).toEqual(['delivered']);
    // The refund order has no address: no e-mail queued for it.
    expect(office.bo.db.unsentEmails(100).filter((e) => e.orderId === granted.orderId)).toEqual([]);
  });

  it('ATTACK: the same journey with its check-in time written otherwise (no milliseconds, another offset) is the same journey: no second refund', async () => {
    const { office, claim, journeys } = await setUp();
    await importServices(office);
    const j = on(0);
    const first = await claim('k1', j, 'delay');
    expect(first.status).toBe('granted');
    const instant = Date.parse(j.checkIn.at);
    const plain = new Date(instant).toISOString().replace('.000Z', 'Z');
    const offset = new Date(instant + 3_600_000).toISOString().replace('.000Z', '+01:00');
    for (const at of [plain, offset]) {
      const again = { ...j, checkIn: { ...j.checkIn, at } };
      expect(await claim('k2', again, 'delay')).toMatchObject({ status: 'alreadyClaimed' });
      // Answered with the journeyId the kiosk sent, so that it can match the answer to its journey.
      expect((await journeys('k2', [again]))[0]).toMatchObject({ journeyId: at, status: 'claimed' });
    }
    expect(refunds(office)).toHaveLength(1);
    expect(office.bo.db.db.prepare('SELECT count(*) FROM journeys').pluck().get()).toBe(1);
  });

  it('ATTACK: made-up journeys on the same train (check-ins a minute apart, all before it left): one refund per card and train service', async () => {
    const { office, claim } = await setUp();
    await importServices(office);
    const j = on(0);
    const first = await claim('k1', j, 'delay');
    if (first.status !== 'granted') throw new Error('not granted');
    for (const minutes of [1, 2]) {
      const again = { ...j, checkIn: { ...j.checkIn, at: at(Date.parse(j.checkIn.at) + minutes * MIN) } };
      expect(await claim('k2', again, 'delay')).toEqual({ status: 'alreadyClaimed', orderId: first.orderId, decisionAfter: null });
    }
    expect(refunds(office)).toHaveLength(1);
    // Another card on the same train gets its own.
    expect(await claim('k1', j, 'delay', { cardNumber: BRAM })).toMatchObject({ status: 'granted' });
  });

  it('two kiosks claiming the same journey at the same moment: one refund, every other answer alreadyClaimed with its order', async () => {
    const { office, claim } = await setUp();
    await importServices(office);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => claim(i % 2 === 0 ? 'k1' : 'k2', on(1), 'delay')));
    const granted = results.filter((r) => r.status === 'granted');
    expect(granted).toHaveLength(1);
    const orderId = granted[0]?.status === 'granted' ? granted[0].orderId : '';
    expect(results.filter((r) => r.status === 'alreadyClaimed')).toEqual(Array.from({ length: 11 }, () => ({ status: 'alreadyClaimed', orderId, decisionAfter: null })));
    expect(refunds(office).map((c) => c.orderId)).toEqual([orderId]);
    expect(office.bo.db.db.prepare('SELECT count(*) FROM claims').pluck().get()).toBe(1);
  });

  it('a claim within 5 days waits at least a week (decisionAfter), is told so again, and is decided then: granted, the refund in the feed', async () => {
    const { office, claim, journeys, advance } = await setUp(T + 2 * DAY);
    await importServices(office);
    const waiting = await claim('k1', on(0), 'delay');
    expect(waiting).toEqual({ status: 'waiting', decisionAfter: at(T + 9 * DAY) });
    expect(await claim('k2', on(0), 'delay')).toEqual({ status: 'alreadyClaimed', orderId: null, decisionAfter: at(T + 9 * DAY) });
    expect((await journeys('k1', [on(0)]))[0]).toMatchObject({ status: 'waiting', decisionAfter: at(T + 9 * DAY) });
    expect(refunds(office)).toEqual([]);
    advance(7 * DAY - 1);
    expect((await journeys('k1', [on(0)]))[0]?.status).toBe('waiting');
    advance(1);
    const decided = (await journeys('k1', [on(0)]))[0];
    expect(decided).toMatchObject({ status: 'claimed', amountCents: 425 });
    expect(refunds(office).map((c) => [c.orderId, c.payload])).toEqual([[decided?.orderId, { kind: 'topup', amountCents: 425 }]]);
  });

  it('a claim made before the delay is known waits; the operator\'s times arrive and decide it when the week is over; without them it is refused', async () => {
    const { office, claim, journeys, advance } = await setUp(T + 1 * DAY);
    expect(await claim('k1', on(1), 'delay')).toEqual({ status: 'waiting', decisionAfter: at(T + 8 * DAY) });
    expect(await claim('k1', on(0), 'delay')).toEqual({ status: 'waiting', decisionAfter: at(T + 8 * DAY) });
    advance(3 * DAY);
    expect(await importServices(office, [SERVICES[1]!])).toEqual({ stored: 1, decided: 0 });
    advance(4 * DAY);
    // Decided by the periodic run or the next request, whichever comes first.
    const [delayed, unknown] = await journeys('k2', [on(1), on(0)]);
    expect(delayed).toMatchObject({ status: 'claimed', amountCents: 850, delayMinutes: 70 });
    expect(unknown).toMatchObject({ status: 'none', reason: 'noDelayKnown' });
    expect(await claim('k1', on(0), 'delay')).toEqual({ status: 'refused', reason: 'noDelayKnown' });
  });

  it('refuses with each reason: planned works, force majeure, too short, no check-out, no delay known, too late, below the minimum, the yearly limit, not the account\'s card', async () => {
    const { office, claim, set } = await setUp();
    await importServices(office);
    expect(await claim('k1', on(2), 'delay')).toEqual({ status: 'refused', reason: 'announcedInAdvance' });
    expect(await claim('k1', on(3), 'delay')).toEqual({ status: 'refused', reason: 'forceMajeure' });
    expect(await claim('k1', on(4), 'delay')).toEqual({ status: 'refused', reason: 'tooShort' });
    expect(await claim('k1', forgotten(1), 'delay')).toEqual({ status: 'refused', reason: 'notCheckedInAndOut' });
    const elsewhere = { checkIn: { station: 'breda', at: at(T) }, checkOut: { station: 'zwolle', at: at(T + 2 * 3_600_000) }, chargedCents: 2000 };
    expect(await claim('k1', elsewhere, 'delay')).toEqual({ status: 'refused', reason: 'noDelayKnown' });
    // A cheap ride: the fare below EUR 2.30 (a short ride with a discount on the card).
    const cheap = { ...on(1), chargedCents: 200 };
    expect(await claim('k1', cheap, 'delay', { cardNumber: BRAM })).toEqual({ status: 'refused', reason: 'belowMinimum' });
    // A forgotten check-out whose real fare is the whole boarding amount: nothing to give back.
    const fromAmsterdam = { checkIn: { station: 'amsterdam-centraal', at: at(T + 2 * 3_600_000) }, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS };
    expect(fareCents('amsterdam-centraal', 'eindhoven-centraal')).toBe(BOARDING_AMOUNT_CENTS);
    expect(await claim('k1', fromAmsterdam, 'forgottenCheckOut', { destination: 'eindhoven-centraal', cardNumber: BRAM })).toEqual({ status: 'refused', reason: 'belowMinimum' });
    // Three months and more after the journey.
    set(T + 93 * DAY);
    expect(await claim('k1', on(5), 'delay')).toEqual({ status: 'refused', reason: 'tooLate' });
    expect(await claim('k1', forgotten(3), 'forgottenCheckOut', { destination: 'amsterdam-centraal' })).toEqual({ status: 'refused', reason: 'tooLate' });
    // Online, for a card not linked to the account.
    const online = await office.online('POST', '/accounts/acc-x/claims', { cardNumber: ANNA, journeyId: on(0).checkIn.at, kind: 'delay' });
    expect(online).toEqual({ status: 200, json: { status: 'refused', reason: 'notOurCard' } });
  });

  it('money back after a forgotten check-out: the boarding amount less the fare to the destination, three times a calendar year, then yearlyLimit (kiosk and online)', async () => {
    const { office, claim, journeys, post, set } = await setUp();
    const back = BOARDING_AMOUNT_CENTS - fareCents('utrecht-centraal', 'amsterdam-centraal');
    expect(back).toBe(1150);
    const first = await claim('k1', forgotten(1), 'forgottenCheckOut', { destination: 'amsterdam-centraal' });
    expect(first).toMatchObject({ status: 'granted', amountCents: back });
    // Without a destination, or for a journey that was checked out: refused as a request.
    expect((await post('k1', '/claims', { cardNumber: ANNA, journey: forgotten(2), kind: 'forgottenCheckOut' })).status).toBe(400);
    expect((await post('k1', '/claims', { cardNumber: ANNA, journey: on(0), kind: 'forgottenCheckOut', destination: 'zwolle' })).status).toBe(409);
    expect(await claim('k2', forgotten(2), 'forgottenCheckOut', { destination: 'utrecht-centraal' })).toMatchObject({ status: 'granted', amountCents: BOARDING_AMOUNT_CENTS });
    // The third online, for a card linked to the account (the journey as the back office recorded it).
    office.bo.db.db.prepare(`INSERT INTO card_links VALUES (?, 'acc-anna', ?, 'o-x')`).run(ANNA, at(T));
    await journeys('k1', [forgotten(3), forgotten(4)]);
    const online = await office.online('POST', '/accounts/acc-anna/claims', { cardNumber: ANNA, journeyId: forgotten(3).checkIn.at, kind: 'forgottenCheckOut', destination: 'rotterdam-centraal' });
    expect(online.json).toMatchObject({ status: 'granted' });
    expect((await journeys('k1', [forgotten(4)]))[0]).toMatchObject({ status: 'none', reason: 'yearlyLimit' });
    expect(await claim('k1', forgotten(4), 'forgottenCheckOut', { destination: 'amsterdam-centraal' })).toEqual({ status: 'refused', reason: 'yearlyLimit' });
    expect(refunds(office)).toHaveLength(3);
    // The next calendar year counts afresh (a journey of early January, claimed then).
    const january = { checkIn: { station: 'utrecht-centraal', at: '2027-01-03T09:00:00.000Z' }, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS };
    set(Date.parse('2027-01-05T09:00:00.000Z'));
    expect(await claim('k1', january, 'forgottenCheckOut', { destination: 'amsterdam-centraal' })).toMatchObject({ status: 'granted', amountCents: back });
  });
});
