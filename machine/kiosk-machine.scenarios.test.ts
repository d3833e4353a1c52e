import { describe, expect, it } from 'vitest';
import { DELAYS, delayFor } from './delays.js';
import {
  codeOrder,
  deferred,
  KioskFailure,
  startHarness,
  topupOrder,
  travellerCard,
} from './test-helpers.js';
import type { CardSummary, DeliveryOutcome } from '../domain/index.js';
import { maintenanceOf } from './kiosk-machine.js';

async function toConfirm(h: ReturnType<typeof startHarness>, orderId = codeOrder.id) {
  h.tapCard();
  await h.settle();
  h.actor.send({ type: 'PICKUP' });
  await h.settle();
  h.actor.send({ type: 'SELECT_ORDER', orderId });
  expect(h.state()).toBe('session.confirm');
}

describe('a traveller collects an order', () => {
  it('taps, chooses Ophalen bestelling, picks the kaartservicecode and presses Akkoord', async () => {
    const h = startHarness();
    expect(h.state()).toBe('idle');
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    expect(h.state()).toBe('session.delivering');
    await h.settle();
    expect(h.state()).toBe('session.delivered');
    expect(h.actor.getSnapshot().context.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034' });
    h.actor.send({ type: 'STOP' });
    expect(h.state()).toBe('session.takeCard');
    h.removeCard();
    expect(h.state()).toBe('idle');
    expect(h.actor.getSnapshot().context.outcome).toBeNull();
  });

  it('an order id that was not offered is ignored', async () => {
    const h = startHarness();
    h.tapCard();
    await h.settle();
    h.actor.send({ type: 'PICKUP' });
    await h.settle();
    h.actor.send({ type: 'SELECT_ORDER', orderId: 'someone-elses-order' });
    expect(h.state()).toBe('session.orders');
  });

  it('a card without orders gets the noOrders screen', async () => {
    const h = startHarness({ lookupOrders: async () => [] });
    h.tapCard();
    await h.settle();
    h.actor.send({ type: 'PICKUP' });
    await h.settle();
    expect(h.state()).toBe('session.noOrders');
    h.actor.send({ type: 'BACK' });
    expect(h.state()).toBe('session.menu');
  });
});

describe('awkward timings', () => {
  it('card removed during the read: back to idle, the late result is dropped', async () => {
    const read = deferred<CardSummary>();
    const h = startHarness({ readCard: () => read.promise });
    h.tapCard();
    expect(h.state()).toBe('session.readingCard');
    h.removeCard();
    expect(h.state()).toBe('idle');
    read.resolve(travellerCard);
    await h.settle();
    expect(h.state()).toBe('idle');
    expect(h.actor.getSnapshot().context.card).toBeNull();
  });

  it('Akkoord pressed twice delivers once', async () => {
    const done = deferred<DeliveryOutcome>();
    const h = startHarness({ deliver: () => done.promise });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    h.actor.send({ type: 'CONFIRM' });
    done.resolve({ kind: 'kaartservicecode', code: '1111-2222' });
    await h.settle();
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.deliveries).toHaveLength(1);
    expect(h.state()).toBe('session.delivered');
  });

  it('timeout during delivery: the delivery is aborted and the traveller told the order is safe', async () => {
    let aborted = false;
    const h = startHarness({
      deliver: (_input, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.advance(DELAYS.deliveryTimeout - 1);
    expect(h.state()).toBe('session.delivering');
    await h.advance(1);
    expect(h.state()).toBe('session.failed');
    expect(h.actor.getSnapshot().context.deliveryFailure).toBe('timeout');
    expect(aborted).toBe(true);
  });

  it('card removed while writing, then the same card again: the delivery resumes', async () => {
    let attempt = 0;
    const h = startHarness({
      deliver: async () => {
        attempt++;
        if (attempt === 1) throw new KioskFailure('cardRemoved');
        return { kind: 'topup', amountCents: 2000, balanceCents: 3250 };
      },
    });
    await toConfirm(h, topupOrder.id);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.state()).toBe('session.interrupted');
    h.removeCard();
    expect(h.state()).toBe('session.interrupted');
    h.tapCard('04FFFFFF');
    expect(h.state()).toBe('session.interrupted');
    expect(h.actor.getSnapshot().context.differentCard).toBe(true);
    h.removeCard();
    expect(h.actor.getSnapshot().context.differentCard).toBe(false);
    h.tapCard();
    expect(h.state()).toBe('session.delivering');
    await h.settle();
    expect(h.state()).toBe('session.delivered');
    expect(h.deliveries.map((d) => d.order.id)).toEqual([topupOrder.id, topupOrder.id]);
  });

  it('card removed mid-delivery and not brought back before the deadline', async () => {
    const h = startHarness({ deliver: () => new Promise(() => undefined) });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    h.removeCard();
    expect(h.state()).toBe('session.interrupted');
    await h.advance(DELAYS.interruptedDeadline);
    expect(h.state()).toBe('session.failed');
    expect(h.actor.getSnapshot().context.deliveryFailure).toBe('cardRemoved');
    // The card is gone, so retrying from this screen is not possible...
    h.actor.send({ type: 'PICKUP' });
    expect(h.state()).toBe('session.failed');
    // ...but tapping it again starts a fresh session that settles the attempt.
    h.tapCard();
    expect(h.state()).toBe('session.readingCard');
  });

  it('reader unplugged on the confirm screen: out of service, then back to idle', async () => {
    const h = startHarness();
    await toConfirm(h);
    h.actor.send({ type: 'READER_STATUS', status: 'no_reader' });
    expect(h.state()).toBe('outOfService');
    h.actor.send({ type: 'READER_STATUS', status: 'ready' });
    expect(h.state()).toBe('idle');
  });

  it('reader unplugged while writing: the traveller is asked for the card again', async () => {
    const h = startHarness({ deliver: () => new Promise(() => undefined) });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    h.actor.send({ type: 'READER_STATUS', status: 'no_reader' });
    expect(h.state()).toBe('session.interrupted');
  });
});

describe('inactivity', () => {
  it('warns, then ends the session ("Neem uw kaart mee", the card is there); activity restarts the timers', async () => {
    const h = startHarness();
    h.tapCard();
    await h.settle();
    expect(h.state()).toBe('session.menu');
    await h.advance(DELAYS.inactivityWarning);
    expect(h.actor.getSnapshot().context.inactivityWarning).toBe(true);
    h.actor.send({ type: 'ACTIVITY' });
    expect(h.actor.getSnapshot().context.inactivityWarning).toBe(false);
    await h.advance(DELAYS.inactivityReset - 1);
    expect(h.state()).toBe('session.menu');
    await h.advance(1);
    expect(h.state()).toBe('session.takeCard');
  });

  it('is not applied while writing a card', async () => {
    const h = startHarness({ deliver: () => new Promise(() => undefined) });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.advance(DELAYS.inactivityReset);
    expect(h.state()).not.toBe('idle');
  });
});

describe('after an interrupted visit', () => {
  it('a delivery the card turns out to hold is shown as delivered when the card is read again', async () => {
    const h = startHarness({
      readCard: async (uid) => ({
        ...travellerCard,
        uid,
        settled: { order: codeOrder, outcome: { kind: 'kaartservicecode', code: '4821-9034' } },
      }),
    });
    h.tapCard();
    await h.settle();
    expect(h.state()).toBe('session.delivered');
    expect(h.actor.getSnapshot().context.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034' });
  });

  it('retry after a failure reads the card again first', async () => {
    const h = startHarness({ deliver: async () => Promise.reject(new KioskFailure('internal')) });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.state()).toBe('session.failed');
    h.actor.send({ type: 'PICKUP' });
    expect(h.state()).toBe('session.readingCard');
  });

  it('a reader lost during a session puts the machine out of service once the session ends', async () => {
    const h = startHarness({ deliver: () => new Promise(() => undefined) });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    h.actor.send({ type: 'READER_STATUS', status: 'no_reader' });
    expect(h.state()).toBe('session.interrupted');
    await h.advance(DELAYS.interruptedDeadline);
    await h.advance(DELAYS.inactivityReset);
    expect(h.state()).toBe('outOfService');
  });
});

describe('more time on request', () => {
  it('stretches the inactivity timers and is reset for the next traveller', async () => {
    const h = startHarness();
    h.tapCard();
    await h.settle();
    h.actor.send({ type: 'SET_ASSIST', option: 'moreTime', on: true });
    h.actor.send({ type: 'ACTIVITY' });
    await h.advance(DELAYS.inactivityReset);
    expect(h.state()).toBe('session.menu');
    await h.advance(delayFor('inactivityReset', { moreTime: true }) - DELAYS.inactivityReset);
    expect(h.state()).toBe('session.takeCard');
    h.removeCard();
    expect(h.state()).toBe('idle');
    expect(h.actor.getSnapshot().context.assist.moreTime).toBe(false);
  });
});

describe("a traveller's choices made on the idle screen", () => {
  it('are reset after a short time when no card comes (speech must not wait for the next person)', async () => {
    const h = startHarness();
    h.actor.send({ type: 'SET_ASSIST', option: 'speech', on: true });
    h.actor.send({ type: 'SET_LANGUAGE', language: 'de' });
    await h.advance(DELAYS.idleChoicesReset - 1);
    expect(h.actor.getSnapshot().context.assist.speech).toBe(true);
    // Each choice starts the wait again.
    h.actor.send({ type: 'SET_ASSIST', option: 'highContrast', on: true });
    await h.advance(DELAYS.idleChoicesReset - 1);
    expect(h.actor.getSnapshot().context.assist).toMatchObject({ speech: true, highContrast: true });
    await h.advance(1);
    expect(h.state()).toBe('idle');
    expect(h.actor.getSnapshot().context.assist).toMatchObject({ speech: false, highContrast: false, moreTime: false });
    expect(h.actor.getSnapshot().context.language).toBe('nl');
  });

  it('are kept for the traveller who made them and taps in time', async () => {
    const h = startHarness();
    h.actor.send({ type: 'SET_ASSIST', option: 'speech', on: true });
    await h.advance(DELAYS.idleChoicesReset - 1);
    h.tapCard();
    await h.settle();
    await h.advance(2); // past the moment the idle screen would have reset them
    expect(h.state()).toBe('session.menu');
    expect(h.actor.getSnapshot().context.assist.speech).toBe(true);
  });
});

describe('language', () => {
  it('switches in every state and resets for the next traveller', async () => {
    const h = startHarness();
    h.actor.send({ type: 'SET_LANGUAGE', language: 'en' });
    h.tapCard();
    await h.settle();
    expect(h.actor.getSnapshot().context.language).toBe('en');
    h.removeCard();
    expect(h.state()).toBe('session.cardRemoved');
    expect(h.actor.getSnapshot().context.language).toBe('en');
    await h.advance(DELAYS.cardRemovedNotice);
    expect(h.actor.getSnapshot().context.language).toBe('nl');
  });
});

describe('cards the kiosk cannot use', () => {
  it.each([['foreignCard'], ['corruptCard'], ['expiredCard']] as const)('%s ends in unknownCard', async (code) => {
    const h = startHarness({
      readCard: async () => {
        throw new KioskFailure(code);
      },
    });
    h.tapCard();
    await h.settle();
    expect(h.state()).toBe('session.unknownCard');
    expect(h.actor.getSnapshot().context.readFailure).toBe(code);
  });

  it('a technician card asks for the PIN instead of showing orders', async () => {
    const h = startHarness({ readCard: async () => ({ ...travellerCard, kind: 'technician' }) });
    h.tapCard();
    await h.settle();
    expect(h.state()).toBe('maintenance.pin');
  });

  it('a read that never finishes times out', async () => {
    const h = startHarness({ readCard: () => new Promise(() => undefined) });
    h.tapCard();
    await h.advance(DELAYS.readTimeout);
    expect(h.state()).toBe('session.unknownCard');
    expect(h.actor.getSnapshot().context.readFailure).toBe('unreadable');
  });
});

describe('maintenance for field technicians', () => {
  const technician = { ...travellerCard, uid: '04E5F607', cardNumber: '9999000012340001', kind: 'technician' as const };

  async function technicianIn(h: ReturnType<typeof startHarness>) {
    h.tapCard(technician.uid);
    await h.settle();
    expect(h.state()).toBe('maintenance.pin');
  }

  it('technician card + PIN opens maintenance; removing the card closes it', async () => {
    const h = startHarness({ readCard: async () => technician });
    await technicianIn(h);
    h.actor.send({ type: 'SUBMIT_PIN', pin: '4321' });
    await h.settle();
    expect(h.state()).toBe('maintenance.authenticated');
    expect(h.maintenance()?.pin).toBeNull();
    h.removeCard();
    expect(h.state()).toBe('idle');
    expect(h.maintenance()).toBeUndefined();
  });

  it('wrong PINs count down, then lock; the lock holds until the technician leaves', async () => {
    const verdicts = [
      { result: 'wrong', attemptsLeft: 1 },
      { result: 'locked', minutesLeft: 15 },
    ] as const;
    let call = 0;
    const h = startHarness({ readCard: async () => technician, verifyPin: async () => verdicts[call++] ?? verdicts[1] });
    await technicianIn(h);
    h.actor.send({ type: 'SUBMIT_PIN', pin: '0000' });
    await h.settle();
    expect(h.state()).toBe('maintenance.pin');
    expect(h.maintenance()).toMatchObject({ wrongPin: true, attemptsLeft: 1 });
    h.actor.send({ type: 'SUBMIT_PIN', pin: '0001' });
    await h.settle();
    expect(h.state()).toBe('maintenance.locked');
    h.actor.send({ type: 'SUBMIT_PIN', pin: '4321' });
    expect(h.state()).toBe('maintenance.locked');
    h.actor.send({ type: 'EXIT_MAINTENANCE' });
    expect(h.state()).toBe('idle');
  });

  it('the cabinet key leads to the PIN even when the reader is gone, and back to out of service', async () => {
    const h = startHarness();
    h.actor.send({ type: 'READER_STATUS', status: 'no_reader' });
    expect(h.state()).toBe('outOfService');
    h.actor.send({ type: 'SERVICE_KEY' });
    expect(h.state()).toBe('maintenance.technicianCard');
    expect(h.maintenance()?.entry).toBe('serviceKey');
    h.actor.send({ type: 'SUBMIT_TECHNICIAN_CARD', cardNumber: technician.cardNumber });
    expect(h.state()).toBe('maintenance.pin');
    h.actor.send({ type: 'EXIT_MAINTENANCE' });
    expect(h.state()).toBe('outOfService');
  });

  it('out of service with a reason: travellers cannot start, it survives a restart, technician brings it back', async () => {
    const h = startHarness({ readCard: async () => technician });
    await technicianIn(h);
    h.actor.send({ type: 'SUBMIT_PIN', pin: '4321' });
    await h.settle();
    h.actor.send({ type: 'MAINT_OUT_OF_SERVICE', reason: 'technicalFault' });
    await h.settle();
    expect(h.maintenance()?.serviceReason).toBe('technicalFault');
    h.actor.send({ type: 'EXIT_MAINTENANCE' });
    expect(h.state()).toBe('outOfService');
    // The reader reporting ready does not put the machine back in service.
    h.actor.send({ type: 'READER_STATUS', status: 'ready' });
    expect(h.state()).toBe('outOfService');

    // A traveller card is read and ignored.
    const restarted = startHarness({ serviceReason: 'technicalFault', readCard: async () => travellerCard });
    expect(restarted.state()).toBe('outOfService');
    restarted.tapCard();
    await restarted.settle();
    expect(restarted.state()).toBe('outOfService');

    // A technician card opens maintenance, and "back in service" ends it.
    const fixing = startHarness({ serviceReason: 'technicalFault', readCard: async () => technician });
    await technicianIn(fixing);
    fixing.actor.send({ type: 'SUBMIT_PIN', pin: '4321' });
    await fixing.settle();
    fixing.actor.send({ type: 'MAINT_ACTION', action: 'backInService' });
    await fixing.settle();
    fixing.actor.send({ type: 'EXIT_MAINTENANCE' });
    expect(fixing.state()).toBe('idle');
  });

  it('testing a card: the technician card may leave, the tested card is decoded', async () => {
    const h = startHarness({
      readCard: async () => technician,
      inspectCard: async (uid) => ({
        ok: true,
        uid,
        maskedNumber: '•••• •••• •••• 5678',
        kind: 'traveller',
        expiry: '2031-03-31',
        balanceCents: 1250,
        products: [],
        ordersOnCard: 0,
        activeRecord: 'A',
        sequence: 1,
        layoutVersion: 1,
      }),
    });
    await technicianIn(h);
    h.actor.send({ type: 'SUBMIT_PIN', pin: '4321' });
    await h.settle();
    h.actor.send({ type: 'MAINT_SHOW', page: 'testCard' });
    h.removeCard();
    expect(h.state()).toBe('maintenance.authenticated');
    h.tapCard('04A1B2C3');
    await h.settle();
    expect(h.maintenance()?.testCard).toMatchObject({ ok: true, uid: '04A1B2C3' });
    h.removeCard();
    h.actor.send({ type: 'MAINT_SHOW', page: 'status' });
    expect(h.state()).toBe('maintenance.authenticated');
  });

  it('maintenance ends after a technician-length inactivity', async () => {
    const h = startHarness({ readCard: async () => technician });
    await technicianIn(h);
    await h.advance(DELAYS.inactivityReset);
    expect(h.state()).toBe('maintenance.pin');
    await h.advance(DELAYS.maintenanceInactivityReset - DELAYS.inactivityReset);
    expect(h.state()).toBe('idle');
  });
});

// What only the chart encodes: each of these fails if one transition, guard or timer of
// the chart is changed (the mutations tried are listed in the closing note of issue 9).
describe('the traveller, by the chart', () => {
  const OTHER_CARD = '04FFFFFF';

  it('Annuleren on the confirm screen goes back to the list of orders, not to the menu', async () => {
    const h = startHarness();
    await toConfirm(h);
    h.actor.send({ type: 'CANCEL' });
    expect(h.state()).toBe('session.orders');
    expect(h.actor.getSnapshot().context.selectedOrder).toBeNull();
    expect(h.actor.getSnapshot().context.orders.map((order) => order.id)).toEqual([codeOrder.id, topupOrder.id]);
    expect(h.deliveries).toEqual([]);
  });

  it.each(['STOP', 'BACK', 'CANCEL', 'PICKUP', 'CONFIRM', 'SERVICE_KEY'] as const)(
    'no way out while writing: %s during the delivery changes nothing',
    async (type) => {
      let aborted = false;
      const h = startHarness({
        deliver: (_input, signal) =>
          new Promise(() => signal.addEventListener('abort', () => (aborted = true))),
      });
      await toConfirm(h);
      h.actor.send({ type: 'CONFIRM' });
      const before = h.actor.getSnapshot().context;
      h.actor.send({ type });
      await h.settle();
      expect(h.state()).toBe('session.delivering');
      expect(h.actor.getSnapshot().context).toEqual(before);
      expect(aborted).toBe(false);
      expect(h.deliveries).toHaveLength(1);
    },
  );

  it.each(['STOP', 'BACK', 'CANCEL', 'PICKUP'] as const)(
    'no way out while the card is away mid-write: %s keeps asking for the same card',
    async (type) => {
      const h = startHarness({ deliver: async () => Promise.reject(new KioskFailure('cardRemoved')) });
      await toConfirm(h);
      h.actor.send({ type: 'CONFIRM' });
      await h.settle();
      expect(h.state()).toBe('session.interrupted');
      h.actor.send({ type });
      expect(h.state()).toBe('session.interrupted');
    },
  );

  it('an interrupted delivery resumes only on the same card: a different card is refused', async () => {
    let attempt = 0;
    const h = startHarness({
      deliver: async () => {
        if (++attempt === 1) throw new KioskFailure('cardRemoved');
        return { kind: 'topup', amountCents: 2000, balanceCents: 3250 };
      },
    });
    await toConfirm(h, topupOrder.id);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.state()).toBe('session.interrupted');
    h.tapCard(OTHER_CARD);
    await h.settle();
    expect(h.state()).toBe('session.interrupted');
    expect(h.actor.getSnapshot().context).toMatchObject({ differentCard: true, uid: travellerCard.uid });
    expect(h.deliveries).toHaveLength(1);
    h.removeCard();
    expect(h.actor.getSnapshot().context.differentCard).toBe(false);
    h.tapCard(travellerCard.uid);
    await h.settle();
    expect(h.state()).toBe('session.delivered');
    expect(h.deliveries.map((d) => [d.uid, d.order.id])).toEqual([
      [travellerCard.uid, topupOrder.id],
      [travellerCard.uid, topupOrder.id],
    ]);
  });

  it('orders that cannot be looked up end in failed, reason internal', async () => {
    const h = startHarness({ lookupOrders: async () => Promise.reject(new Error('store unavailable')) });
    h.tapCard();
    await h.settle();
    h.actor.send({ type: 'PICKUP' });
    await h.settle();
    expect(h.state()).toBe('session.failed');
    expect(h.actor.getSnapshot().context.deliveryFailure).toBe('internal');
    expect(h.deliveries).toEqual([]);
  });

  it('a card the reader cannot read (card_error) in idle shows unknownCard, unreadable; taking it away ends it', async () => {
    const h = startHarness();
    h.actor.send({ type: 'READER_STATUS', status: 'card_error' });
    expect(h.state()).toBe('session.unknownCard');
    expect(h.actor.getSnapshot().context).toMatchObject({ readFailure: 'unreadable', cardPresent: true });
    h.removeCard();
    expect(h.state()).toBe('idle');
  });

  it('a card_error during a session is noted, not acted on', async () => {
    const h = startHarness();
    await toConfirm(h);
    h.actor.send({ type: 'READER_STATUS', status: 'card_error' });
    expect(h.state()).toBe('session.confirm');
    expect(h.actor.getSnapshot().context.readerStatus).toBe('card_error');
  });

  it('the cabinet key during a traveller session does nothing', async () => {
    const h = startHarness();
    await toConfirm(h);
    h.actor.send({ type: 'SERVICE_KEY' });
    expect(h.state()).toBe('session.confirm');
  });

  /** How to reach each interactive screen. */
  const screens = {
    unknownCard: { fakes: { readCard: async () => Promise.reject(new KioskFailure('foreignCard')) }, go: [] },
    menu: { fakes: {}, go: [] },
    orders: { fakes: {}, go: ['PICKUP'] },
    noOrders: { fakes: { lookupOrders: async () => [] }, go: ['PICKUP'] },
    confirm: { fakes: {}, go: ['PICKUP', 'SELECT_ORDER'] },
    delivered: { fakes: {}, go: ['PICKUP', 'SELECT_ORDER', 'CONFIRM'] },
    failed: { fakes: { deliver: async () => Promise.reject(new KioskFailure('internal')) }, go: ['PICKUP', 'SELECT_ORDER', 'CONFIRM'] },
  } satisfies Record<string, { fakes: Parameters<typeof startHarness>[0]; go: string[] }>;

  it.each(Object.keys(screens) as (keyof typeof screens)[])(
    'inactivity on %s: "Bent u er nog?" at the warning, the session ends exactly at the reset ("Neem uw kaart mee")',
    async (screen) => {
      const h = startHarness(screens[screen].fakes);
      h.tapCard();
      await h.settle();
      for (const type of screens[screen].go) {
        h.actor.send(type === 'SELECT_ORDER' ? { type, orderId: codeOrder.id } : ({ type } as { type: 'PICKUP' }));
        await h.settle();
      }
      expect(h.state()).toBe(`session.${screen}`);
      await h.advance(DELAYS.inactivityWarning - 1);
      expect(h.actor.getSnapshot().context.inactivityWarning).toBe(false);
      await h.advance(1);
      expect(h.actor.getSnapshot().context.inactivityWarning).toBe(true);
      await h.advance(DELAYS.inactivityReset - DELAYS.inactivityWarning - 1);
      expect(h.state()).toBe(`session.${screen}`);
      await h.advance(1);
      expect(h.state()).toBe('session.takeCard');
    },
  );

  it('more time also stretches the wait for the card to come back mid-write', async () => {
    const h = startHarness({ deliver: () => new Promise(() => undefined) });
    await toConfirm(h);
    h.actor.send({ type: 'SET_ASSIST', option: 'moreTime', on: true });
    h.actor.send({ type: 'CONFIRM' });
    h.removeCard();
    expect(h.state()).toBe('session.interrupted');
    const deadline = delayFor('interruptedDeadline', h.actor.getSnapshot().context.assist);
    expect(deadline).toBe(3 * DELAYS.interruptedDeadline);
    await h.advance(deadline - 1);
    expect(h.state()).toBe('session.interrupted');
    await h.advance(1);
    expect(h.state()).toBe('session.failed');
    expect(h.actor.getSnapshot().context.deliveryFailure).toBe('cardRemoved');
  });
});

describe('delayFor', () => {
  it('stretches only the waits that hurry a traveller, and only with more time', () => {
    const stretched = (Object.keys(DELAYS) as (keyof typeof DELAYS)[]).filter(
      (name) => delayFor(name, { moreTime: true }) !== delayFor(name, { moreTime: false }),
    );
    expect(stretched).toEqual(['inactivityWarning', 'inactivityReset', 'interruptedDeadline', 'deliveredGrace', 'cardRemovedNotice']);
    for (const name of stretched) expect(delayFor(name, { moreTime: true })).toBe(3 * DELAYS[name]);
    for (const name of Object.keys(DELAYS) as (keyof typeof DELAYS)[]) expect(delayFor(name, { moreTime: false })).toBe(DELAYS[name]);
  });
});

describe('maintenance, by the chart', () => {
  const technician = { ...travellerCard, uid: '04E5F607', cardNumber: '9999000012340001', kind: 'technician' as const };

  async function signedIn(fakes: Parameters<typeof startHarness>[0] = {}) {
    const h = startHarness({ readCard: async () => technician, ...fakes });
    h.tapCard(technician.uid);
    await h.settle();
    expect(h.state()).toBe('maintenance.pin');
    h.actor.send({ type: 'SUBMIT_PIN', pin: '4321' });
    await h.settle();
    return h;
  }

  it.each(['status', 'deliveries', 'log', 'audit', 'outOfService'] as const)(
    'the technician card leaving on the %s page ends maintenance',
    async (page) => {
      const h = await signedIn();
      h.actor.send({ type: 'MAINT_SHOW', page });
      expect(h.maintenance()?.page).toBe(page);
      h.removeCard();
      expect(h.state()).toBe('idle');
    },
  );

  it('the technician card leaving on the PIN screen ends maintenance', async () => {
    const h = startHarness({ readCard: async () => technician });
    h.tapCard(technician.uid);
    await h.settle();
    h.removeCard();
    expect(h.state()).toBe('idle');
  });

  it('the technician card leaving while PIN entry is locked ends maintenance', async () => {
    const h = await signedIn({ verifyPin: async () => ({ result: 'locked', minutesLeft: 15 }) });
    expect(h.state()).toBe('maintenance.locked');
    expect(h.maintenance()?.minutesLeft).toBe(15);
    h.removeCard();
    expect(h.state()).toBe('idle');
  });

  it('on the test-card page the technician card may leave; after that, no card leaving ends maintenance', async () => {
    const h = await signedIn();
    h.actor.send({ type: 'MAINT_SHOW', page: 'testCard' });
    h.removeCard();
    expect(h.state()).toBe('maintenance.authenticated');
    h.actor.send({ type: 'MAINT_SHOW', page: 'status' });
    h.tapCard(travellerCard.uid);
    h.removeCard();
    expect(h.state()).toBe('maintenance.authenticated');
    h.actor.send({ type: 'EXIT_MAINTENANCE' });
    expect(h.state()).toBe('idle');
  });

  it('a card tapped on the test-card page reaches the maintenance machine; elsewhere it is ignored', async () => {
    const inspected: string[] = [];
    const h = await signedIn({
      inspectCard: async (uid) => {
        inspected.push(uid);
        return { ok: false, reason: 'foreignCard' };
      },
    });
    h.tapCard(travellerCard.uid);
    await h.settle();
    expect(inspected).toEqual([]);
    h.actor.send({ type: 'MAINT_SHOW', page: 'testCard' });
    h.tapCard(travellerCard.uid);
    expect(h.state()).toBe('maintenance.inspecting');
    await h.settle();
    expect(h.state()).toBe('maintenance.authenticated');
    expect(inspected).toEqual([travellerCard.uid]);
    expect(h.maintenance()?.testCard).toEqual({ ok: false, reason: 'foreignCard' });
  });

  it('a wrong PIN shows the attempts left and keeps no PIN; a failed check counts as wrong without a count', async () => {
    const checked: { entry: string; cardNumber: string; pin: string }[] = [];
    const h = startHarness({
      readCard: async () => technician,
      verifyPin: async (input) => {
        checked.push(input);
        if (checked.length === 1) return { result: 'wrong', attemptsLeft: 2 };
        throw new Error('no PINs');
      },
    });
    h.tapCard(technician.uid);
    await h.settle();
    h.actor.send({ type: 'SUBMIT_PIN', pin: '0000' });
    await h.settle();
    expect(h.state()).toBe('maintenance.pin');
    expect(h.maintenance()).toMatchObject({ wrongPin: true, attemptsLeft: 2, pin: null });
    h.actor.send({ type: 'SUBMIT_PIN', pin: '1111' });
    await h.settle();
    expect(h.state()).toBe('maintenance.pin');
    expect(h.maintenance()).toMatchObject({ wrongPin: true, attemptsLeft: null, pin: null, technicianId: null });
    // The PIN is checked against the technician card that was read.
    expect(checked).toEqual([
      { entry: 'card', cardNumber: technician.cardNumber, pin: '0000' },
      { entry: 'card', cardNumber: technician.cardNumber, pin: '1111' },
    ]);
  });

  it('the cabinet key in idle asks which technician, then the PIN, without a card: no card leaving ends it', async () => {
    const checked: { entry: string; cardNumber: string; pin: string }[] = [];
    const h = startHarness({
      verifyPin: async (input) => {
        checked.push(input);
        return { result: 'ok', technicianId: 'T-0002' };
      },
    });
    h.actor.send({ type: 'SERVICE_KEY' });
    expect(h.state()).toBe('maintenance.technicianCard');
    expect(h.maintenance()?.entry).toBe('serviceKey');
    // No PIN before the technician has said who they are.
    expect(maintenanceOf(h.actor.getSnapshot())?.can({ type: 'SUBMIT_PIN', pin: '135790' })).toBe(false);
    h.removeCard();
    expect(h.state()).toBe('maintenance.technicianCard');
    h.actor.send({ type: 'SUBMIT_TECHNICIAN_CARD', cardNumber: '9999000012340002' });
    expect(h.state()).toBe('maintenance.pin');
    h.actor.send({ type: 'SUBMIT_PIN', pin: '135790' });
    await h.settle();
    expect(checked).toEqual([{ entry: 'serviceKey', cardNumber: '9999000012340002', pin: '135790' }]);
    expect(h.maintenance()).toMatchObject({ technicianId: 'T-0002' });
    h.removeCard();
    expect(h.state()).toBe('maintenance.authenticated');
  });

  it('the reader lost during maintenance: maintenance stays; leaving it goes out of service', async () => {
    const h = await signedIn();
    h.actor.send({ type: 'READER_STATUS', status: 'no_reader' });
    expect(h.state()).toBe('maintenance.authenticated');
    // The technician card went with the reader: nothing more to take away.
    h.removeCard();
    expect(h.state()).toBe('maintenance.authenticated');
    h.actor.send({ type: 'EXIT_MAINTENANCE' });
    expect(h.state()).toBe('outOfService');
  });

  it('the technician leaves the machine as they set it: out of service with a reason, or back in service', async () => {
    const h = await signedIn();
    h.actor.send({ type: 'MAINT_OUT_OF_SERVICE', reason: 'cleaning' });
    await h.settle();
    expect(h.maintenance()?.lastAction).toEqual({ action: 'outOfService', ok: true });
    h.removeCard();
    expect(h.state()).toBe('outOfService');
    expect(h.actor.getSnapshot().context.serviceReason).toBe('cleaning');

    const refused = await signedIn({ maintenanceAction: async (action) => ({ action: action.type, ok: false }) });
    refused.actor.send({ type: 'MAINT_OUT_OF_SERVICE', reason: 'cleaning' });
    await refused.settle();
    refused.actor.send({ type: 'EXIT_MAINTENANCE' });
    expect(refused.state()).toBe('idle');
    expect(refused.actor.getSnapshot().context.serviceReason).toBeNull();
  });

  it('a maintenance action that fails is shown as failed and changes nothing', async () => {
    const h = await signedIn({ maintenanceAction: async () => Promise.reject(new Error('sync failed')) });
    h.actor.send({ type: 'MAINT_ACTION', action: 'syncNow' });
    expect(h.state()).toBe('maintenance.working');
    await h.settle();
    expect(h.state()).toBe('maintenance.authenticated');
    expect(h.maintenance()).toMatchObject({ lastAction: { action: 'syncNow', ok: false }, pendingAction: null });
  });
});

describe('every exit explained', () => {
  async function toMenu(h: ReturnType<typeof startHarness>) {
    h.tapCard();
    await h.settle();
    expect(h.state()).toBe('session.menu');
  }

  it.each([
    ['menu', async (h: ReturnType<typeof startHarness>) => toMenu(h)],
    ['orders', async (h: ReturnType<typeof startHarness>) => {
      await toMenu(h);
      h.actor.send({ type: 'PICKUP' });
      await h.settle();
    }],
    ['confirm', async (h: ReturnType<typeof startHarness>) => toConfirm(h)],
  ])('card taken away on %s, before Akkoord: "Kaart weggenomen" for a while, then idle; nothing delivered', async (screen, reach) => {
    const h = startHarness();
    await reach(h);
    expect(h.state()).toBe(`session.${screen}`);
    h.removeCard();
    expect(h.state()).toBe('session.cardRemoved');
    await h.advance(DELAYS.cardRemovedNotice - 1);
    expect(h.state()).toBe('session.cardRemoved');
    await h.advance(1);
    expect(h.state()).toBe('idle');
    expect(h.deliveries).toEqual([]);
  });

  it('the card back during "Kaart weggenomen" starts again from reading it', async () => {
    const h = startHarness();
    await toMenu(h);
    h.removeCard();
    h.tapCard();
    expect(h.state()).toBe('session.readingCard');
    await h.settle();
    expect(h.state()).toBe('session.menu');
  });

  it('card lifted on the delivered screen: the code stays up for the grace period, then idle', async () => {
    const h = startHarness();
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.state()).toBe('session.delivered');
    h.removeCard();
    expect(h.state()).toBe('session.deliveredCardGone');
    expect(h.actor.getSnapshot().context.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034' });
    await h.advance(DELAYS.deliveredGrace - 1);
    expect(h.state()).toBe('session.deliveredCardGone');
    await h.advance(1);
    expect(h.state()).toBe('idle');
    expect(h.actor.getSnapshot().context.outcome).toBeNull();
  });

  it('the same card back in the grace period is read again (the kiosk shows its code again)', async () => {
    const h = startHarness();
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    h.removeCard();
    h.tapCard();
    expect(h.state()).toBe('session.readingCard');
  });

  it('Klaar with the card on the reader: "Neem uw kaart mee" until it leaves', async () => {
    const h = startHarness();
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    h.actor.send({ type: 'STOP' });
    expect(h.state()).toBe('session.takeCard');
    h.actor.send({ type: 'STOP' });
    expect(h.state()).toBe('session.takeCard');
    h.removeCard();
    expect(h.state()).toBe('idle');
  });

  it('Stoppen on the menu with the card on the reader asks to take it; left lying there, idle after a while', async () => {
    const h = startHarness();
    await toMenu(h);
    h.actor.send({ type: 'STOP' });
    expect(h.state()).toBe('session.takeCard');
    await h.advance(DELAYS.takeCardReminder);
    expect(h.state()).toBe('idle');
  });

  it('Klaar after the card was lifted goes straight to idle', async () => {
    const h = startHarness();
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    h.removeCard();
    h.actor.send({ type: 'STOP' });
    expect(h.state()).toBe('idle');
  });

  it.each(['balanceLimit', 'orderCancelled', 'orderExpired', 'unknownProduct', 'noFreeSlot'] as const)(
    'after %s, Opnieuw proberen does nothing (it would fail the same way); another order can be chosen',
    async (failure) => {
      const h = startHarness({ deliver: async () => Promise.reject(new KioskFailure(failure)) });
      await toConfirm(h);
      h.actor.send({ type: 'CONFIRM' });
      await h.settle();
      expect(h.state()).toBe('session.failed');
      expect(h.actor.getSnapshot().context.deliveryFailure).toBe(failure);
      h.actor.send({ type: 'PICKUP' });
      expect(h.state()).toBe('session.failed');
      h.actor.send({ type: 'BACK' });
      expect(h.state()).toBe('session.loadingOrders');
      await h.settle();
      expect(h.state()).toBe('session.orders');
    },
  );

  it('after a timeout, Opnieuw proberen reads the card again (settling the attempt); Andere bestelling is not offered', async () => {
    const h = startHarness({ deliver: async () => Promise.reject(new KioskFailure('internal')) });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.state()).toBe('session.failed');
    h.actor.send({ type: 'BACK' });
    expect(h.state()).toBe('session.failed');
    h.actor.send({ type: 'PICKUP' });
    expect(h.state()).toBe('session.readingCard');
  });

  it('after the wait for the same card ran out, no button retries (no card); the card itself does', async () => {
    const h = startHarness({ deliver: async () => Promise.reject(new KioskFailure('cardRemoved')) });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    h.removeCard();
    expect(h.state()).toBe('session.interrupted');
    await h.advance(DELAYS.interruptedDeadline);
    expect(h.state()).toBe('session.failed');
    h.actor.send({ type: 'PICKUP' });
    h.actor.send({ type: 'BACK' });
    expect(h.state()).toBe('session.failed');
    h.tapCard();
    expect(h.state()).toBe('session.readingCard');
  });
});

describe('live lists and what can be delivered', () => {
  async function toOrders(h: ReturnType<typeof startHarness>) {
    h.tapCard();
    await h.settle();
    h.actor.send({ type: 'PICKUP' });
    await h.settle();
    expect(h.state()).toBe('session.orders');
  }

  it('the open list follows the cache: an order arrives, one is cancelled; what changed is kept to announce', async () => {
    const h = startHarness();
    await toOrders(h);
    const newOrder = { ...topupOrder, id: 'ord-new', amountCents: 500 };
    h.actor.send({ type: 'ORDERS_CHANGED', orders: [topupOrder, newOrder], gone: [{ order: codeOrder, reason: 'cancelled' }] });
    expect(h.state()).toBe('session.orders');
    const c = h.actor.getSnapshot().context;
    expect(c.orders.map((o) => o.id)).toEqual(['ord-topup', 'ord-new']);
    expect(c.orderChange).toEqual({ added: 1, gone: [{ order: codeOrder, reason: 'cancelled' }] });
    // The cancelled order can no longer be chosen.
    h.actor.send({ type: 'SELECT_ORDER', orderId: codeOrder.id });
    expect(h.state()).toBe('session.orders');
  });

  it('the last order going while the list is open leads to "Geen bestellingen", saying why', async () => {
    const h = startHarness({ lookupOrders: async () => [codeOrder] });
    await toOrders(h);
    h.actor.send({ type: 'ORDERS_CHANGED', orders: [], gone: [{ order: codeOrder, reason: 'expired' }] });
    expect(h.state()).toBe('session.noOrders');
    expect(h.actor.getSnapshot().context.orderChange?.gone).toEqual([{ order: codeOrder, reason: 'expired' }]);
  });

  it('an order arriving while "Geen bestellingen" is up shows the list with it', async () => {
    const h = startHarness({ lookupOrders: async () => [] });
    h.tapCard();
    await h.settle();
    h.actor.send({ type: 'PICKUP' });
    await h.settle();
    expect(h.state()).toBe('session.noOrders');
    h.actor.send({ type: 'ORDERS_CHANGED', orders: [codeOrder], gone: [] });
    expect(h.state()).toBe('session.orders');
    expect(h.actor.getSnapshot().context.orderChange).toEqual({ added: 1, gone: [] });
  });

  it('a change to the list does not count as the traveller being there (inactivity still ends it)', async () => {
    const h = startHarness();
    await toOrders(h);
    await h.advance(DELAYS.inactivityWarning - 1);
    h.actor.send({ type: 'ORDERS_CHANGED', orders: [codeOrder], gone: [] });
    await h.advance(1);
    expect(h.actor.getSnapshot().context.inactivityWarning).toBe(true);
  });

  it('a top-up that would take the card past €150 cannot be chosen', async () => {
    const big = { ...topupOrder, amountCents: 14_000 };
    const h = startHarness({ lookupOrders: async () => [big, codeOrder] });
    await toOrders(h);
    h.actor.send({ type: 'SELECT_ORDER', orderId: big.id });
    expect(h.state()).toBe('session.orders');
    h.actor.send({ type: 'SELECT_ORDER', orderId: codeOrder.id });
    expect(h.state()).toBe('session.confirm');
  });
});

describe('Alles ophalen', () => {
  async function toOrders(h: ReturnType<typeof startHarness>) {
    h.tapCard();
    await h.settle();
    h.actor.send({ type: 'PICKUP' });
    await h.settle();
  }

  it('collects every order one after the other, the kaartservicecode last, after one Akkoord', async () => {
    const h = startHarness({
      deliver: async (input) =>
        input.order.kind === 'topup'
          ? { kind: 'topup', amountCents: input.order.amountCents, balanceCents: 3250 }
          : { kind: 'kaartservicecode', code: '4821-9034' },
    });
    await toOrders(h);
    h.actor.send({ type: 'PICKUP_ALL' });
    expect(h.state()).toBe('session.confirm');
    expect(h.actor.getSnapshot().context.selectedOrder?.id).toBe(topupOrder.id);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.state()).toBe('session.delivered');
    expect(h.deliveries.map((d) => d.order.id)).toEqual([topupOrder.id, codeOrder.id]);
    const c = h.actor.getSnapshot().context;
    expect(c.collected.map((done) => done.order.id)).toEqual([topupOrder.id]);
    expect(c.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034' });
  });

  it('takes one kaartservicecode at most: a second one would be shown nowhere', async () => {
    const second = { ...codeOrder, id: 'ord-code-2' };
    const h = startHarness({ lookupOrders: async () => [codeOrder, second, topupOrder] });
    await toOrders(h);
    h.actor.send({ type: 'PICKUP_ALL' });
    const c = h.actor.getSnapshot().context;
    expect([c.selectedOrder?.id, ...c.queue.map((o) => o.id)]).toEqual([topupOrder.id, codeOrder.id]);
  });

  it('is not offered for a single order, nor counts a top-up past the limit', async () => {
    const h = startHarness({ lookupOrders: async () => [codeOrder, { ...topupOrder, amountCents: 14_500 }] });
    await toOrders(h);
    h.actor.send({ type: 'PICKUP_ALL' });
    expect(h.state()).toBe('session.orders');
  });

  it('stopped part-way by a failure: what was collected is kept to tell', async () => {
    const h = startHarness({
      deliver: async (input) => {
        if (input.order.kind === 'kaartservicecode') throw new KioskFailure('orderCancelled');
        return { kind: 'topup', amountCents: 2000, balanceCents: 3250 };
      },
    });
    await toOrders(h);
    h.actor.send({ type: 'PICKUP_ALL' });
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.state()).toBe('session.failed');
    expect(h.actor.getSnapshot().context.collected.map((done) => done.order.id)).toEqual([topupOrder.id]);
  });

  it('Annuleren leaves nothing queued: one order chosen next is delivered alone', async () => {
    const h = startHarness();
    await toOrders(h);
    h.actor.send({ type: 'PICKUP_ALL' });
    h.actor.send({ type: 'CANCEL' });
    h.actor.send({ type: 'SELECT_ORDER', orderId: codeOrder.id });
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.deliveries.map((d) => d.order.id)).toEqual([codeOrder.id]);
  });
});
