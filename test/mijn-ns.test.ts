// Issue 14, "Done when" 1: the four steps of Mijn NS end to end against a real back office
// over HTTP. 1: a kaartservicecode requested online (the back office makes the code and the
// order; the same card again within minutes gets the same order). 2: both e-mails in the
// outbox, in the traveller's language, without the code. 3: a real kiosk (its sync client,
// its delivery service, a simulated reader with the card) picks the code up and reveals it.
// 4: the code links the card to an account — a wrong code, a second use and an expired code
// refused — and the card's travel history, reported by a kiosk, is then the account's.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS } from '../hardware/card-layout.js';
import { SimulatedCard, SimulatedReader } from '../hardware/simulated-reader.js';
import { createDeliveryService } from '../kiosk/delivery.js';
import { orderKeyFrom } from '../sync/order-signature.js';
import { accountJourneysSchema, codeRequestResultSchema } from '../protocol/online-api.js';
import { journeysResponseSchema } from '../protocol/kiosk-api.js';
import type { Email, EmailSender } from '../backoffice/email.js';
import { MAIL_CATALOGS } from '../backoffice/email-i18n.js';
import { ANNA, BRAM, eventually, startBackOffice, startKioskSync, tempDir } from './sync/helpers.js';

const DAY = 86_400_000;
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

class CapturingSender implements EmailSender {
  readonly sent: Email[] = [];
  async send(email: Email): Promise<void> {
    this.sent.push(email);
  }
}

async function setUp() {
  const tmp = tempDir();
  let clock = Date.now();
  const sender = new CapturingSender();
  const office = await startBackOffice(tmp.dir, { now: () => new Date(clock), emailSender: sender });
  cleanup.push(async () => {
    await office.close();
    tmp.remove();
  });
  const orderKey = orderKeyFrom(office.bo.db.orderPublicKey);
  const kioskToken = office.kioskToken('k1');
  const k = startKioskSync(join(tmp.dir, 'kiosk.db'), office.url, kioskToken, { orderKey, live: true });
  cleanup.push(() => k.close());
  const reader = new SimulatedReader();
  const delivery = createDeliveryService({ reader, codec: layoutV1, store: k.store, now: () => new Date(), newId: randomUUID, log: pino({ level: 'silent' }), orderKey });
  const kiosk = async (path: string, body: unknown) => {
    const response = await fetch(`${office.url}/v1/kiosk${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kioskToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  };
  /** Step 3 at the machine: the card on the reader, Ophalen bestelling, the code order, Akkoord: the code shown. */
  const pickUpCode = async (uid: string, cardNumber: string, orderId: string): Promise<string> => {
    await eventually(() => k.store.orders.get(orderId), 4000, 'the code order at the kiosk');
    const card = new SimulatedCard(
      uid,
      issueCardBlocks(layoutV1, { cardNumber, kind: 'traveller', expiry: '2031-03-31', sealKey: office.bo.db.cardSealKey(cardNumber) }, {
        balanceCents: 500,
        products: Array.from({ length: PRODUCT_SLOTS }, () => null),
        journal: [],
      }),
    );
    reader.tap(card);
    await delivery.readCard(card.uid);
    const order = delivery.lookupOrders(cardNumber).find((o) => o.id === orderId);
    if (!order) throw new Error('the code order is not offered');
    const outcome = await delivery.deliver({ uid: card.uid, cardNumber, order });
    reader.remove();
    if (outcome.kind !== 'kaartservicecode') throw new Error('no code revealed');
    await eventually(async () => (await office.bo.store.getOrder(orderId))?.status === 'delivered', 4000, 'the pickup reported');
    return outcome.code;
  };
  return { office, sender, k, kiosk, pickUpCode, advance: (ms: number) => void (clock += ms) };
}

describe('Mijn NS: the four steps, end to end', () => {
  it('request online, two e-mails, pickup at the kiosk, link with the code (wrong, second use and expired refused), then the travel history', async () => {
    const { office, sender, kiosk, pickUpCode, advance } = await setUp();

    // Step 1: requested online; the same card again within minutes: the same order, no second one.
    const first = await office.online('POST', '/kaartservicecode-requests', { cardNumber: ANNA, email: 'anna@example.org', language: 'nl' });
    expect(first.status).toBe(201);
    const { order, repeated } = codeRequestResultSchema.parse(first.json);
    expect(repeated).toBe(false);
    expect(order).toMatchObject({ kind: 'kaartservicecode', status: 'pending', cardNumber: ANNA });
    advance(5 * 60_000);
    const again = await office.online('POST', '/kaartservicecode-requests', { cardNumber: ANNA, email: 'anna@example.org', language: 'nl' });
    expect(again.status).toBe(200);
    expect(codeRequestResultSchema.parse(again.json)).toEqual({ order, repeated: true });
    expect(office.bo.db.db.prepare(`SELECT count(*) FROM orders WHERE card_number = ? AND kind = 'kaartservicecode'`).pluck().get(ANNA)).toBe(1);

    // Step 2: both e-mails, in Dutch, sent through the outbox.
    await eventually(() => sender.sent.filter((m) => m.orderId === order.id).length === 2, 4000, 'both e-mails sent');
    const mails = sender.sent.filter((m) => m.orderId === order.id);
    expect(mails.map((m) => [m.template, m.to, m.subject])).toEqual([
      ['code-requested', 'anna@example.org', MAIL_CATALOGS.nl['code-requested'].subject],
      ['code-ready', 'anna@example.org', MAIL_CATALOGS.nl['code-ready'].subject],
    ]);
    expect(mails[1]?.text).toContain('Ophalen bestelling');
    expect(mails[1]?.text).toContain('•••• 5678');

    // Step 3: at the kiosk, with the card.
    const code = await pickUpCode('04A1B2C3', ANNA, order.id);
    expect(code).toMatch(/^\d{4}-\d{4}-\d{4}$/);
    for (const mail of sender.sent) expect(`${mail.subject}\n${mail.text}`).not.toContain(code);
    expect(JSON.stringify(office.bo.db.db.prepare('SELECT * FROM code_requests').all())).not.toContain(code);
    expect(JSON.stringify(office.bo.db.db.prepare('SELECT * FROM code_requests').all())).not.toContain(code.replace(/-/g, ''));

    // A kiosk reports Anna's travel log before the card is linked (recorded, assessed).
    const checkIn = new Date(Date.now() - 2 * DAY).toISOString();
    const checkOut = new Date(Date.now() - 2 * DAY + 40 * 60_000).toISOString();
    const reported = await kiosk('/journeys', {
      cardNumber: ANNA,
      journeys: [
        { checkIn: { station: 'utrecht-centraal', at: checkIn }, checkOut: { station: 'amsterdam-centraal', at: checkOut }, chargedCents: 890 },
      ],
    });
    expect(reported.status).toBe(200);
    expect(journeysResponseSchema.parse(reported.json).journeys.map((j) => [j.journeyId, j.status, j.reason])).toEqual([[checkIn, 'none', 'noDelayKnown']]);

    // Step 4: a wrong code (counted), then the right one typed with spaces, then the same code again.
    const wrong = await office.online('POST', '/accounts/acc-anna/cards', { cardNumber: ANNA, code: '0000-0000-0000' });
    expect(wrong).toEqual({ status: 403, json: { error: 'wrongCode', attemptsLeft: 4 } });
    const linked = await office.online('POST', '/accounts/acc-anna/cards', { cardNumber: ANNA, code: code.replace(/-/g, ' ') });
    expect(linked.status).toBe(201);
    expect(linked.json).toMatchObject({ cardNumber: ANNA, accountId: 'acc-anna' });
    const second = await office.online('POST', '/accounts/acc-mallory/cards', { cardNumber: ANNA, code });
    expect(second).toEqual({ status: 409, json: { error: 'used', attemptsLeft: null } });

    // The travel history is the account's now, and only the linked card's.
    const history = await office.online('GET', '/accounts/acc-anna/journeys');
    expect(history.status).toBe(200);
    const parsed = accountJourneysSchema.parse(history.json);
    expect(parsed.cards.map((c) => c.cardNumber)).toEqual([ANNA]);
    expect(parsed.journeys.map((j) => [j.cardNumber, j.journey.checkIn.station, j.journey.checkOut?.station, j.assessment.journeyId])).toEqual([
      [ANNA, 'utrecht-centraal', 'amsterdam-centraal', checkIn],
    ]);
    expect(accountJourneysSchema.parse((await office.online('GET', '/accounts/acc-mallory/journeys')).json)).toEqual({ cards: [], journeys: [] });

    // An expired code: Bram's, picked up, typed 31 days later.
    const bram = codeRequestResultSchema.parse((await office.online('POST', '/kaartservicecode-requests', { cardNumber: BRAM, email: 'bram@example.org', language: 'en' })).json);
    const bramCode = await pickUpCode('04B2C3D4', BRAM, bram.order.id);
    await eventually(() => sender.sent.filter((m) => m.orderId === bram.order.id && m.subject === MAIL_CATALOGS.en['code-ready'].subject).length === 1, 4000, "Bram's e-mail in English");
    advance(31 * DAY);
    expect(await office.online('POST', '/accounts/acc-bram/cards', { cardNumber: BRAM, code: bramCode })).toEqual({ status: 410, json: { error: 'expired', attemptsLeft: null } });
    expect(accountJourneysSchema.parse((await office.online('GET', '/accounts/acc-bram/journeys')).json).cards).toEqual([]);
  });
});
