import { describe, expect, it } from 'vitest';
import { DELAYS } from './delays.js';
import {
  codeOrder,
  deferred,
  KioskFailure,
  startHarness,
  topupOrder,
  travellerCard,
} from './test-helpers.js';
import type { CardSummary, DeliveryOutcome } from './types.js';

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
  it('warns, then resets to idle; activity restarts the timers', async () => {
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
    expect(h.state()).toBe('idle');
  });

  it('is not applied while writing a card', async () => {
    const h = startHarness({ deliver: () => new Promise(() => undefined) });
    await toConfirm(h);
    h.actor.send({ type: 'CONFIRM' });
    await h.advance(DELAYS.inactivityReset);
    expect(h.state()).not.toBe('idle');
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

  it('a technician card is not a traveller card', async () => {
    const h = startHarness({ readCard: async () => ({ ...travellerCard, kind: 'technician' }) });
    h.tapCard();
    await h.settle();
    expect(h.actor.getSnapshot().context.readFailure).toBe('serviceCard');
  });

  it('a read that never finishes times out', async () => {
    const h = startHarness({ readCard: () => new Promise(() => undefined) });
    h.tapCard();
    await h.advance(DELAYS.readTimeout);
    expect(h.state()).toBe('session.unknownCard');
    expect(h.actor.getSnapshot().context.readFailure).toBe('unreadable');
  });
});
