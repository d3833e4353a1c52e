// The kiosk's log says what happened: every event a machine took, beside the state it led
// to — and nothing private (no PIN, card number, card UID or code), whatever the event held.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPin } from '../backoffice/pins.js';
import { DEMO_TECHNICIAN } from '../demo/cards.js';
import { startTestKiosk, type TestKiosk } from '../test/kiosk-harness.js';
import { describeEvent, stateName } from './event-log.js';

let k: TestKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

function capture() {
  const lines: Record<string, unknown>[] = [];
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines, text: () => text };
}

const events = (lines: Record<string, unknown>[]) => lines.filter((l) => typeof l.event === 'string').map((l) => `${String(l.event)} → ${String(l.state)}`);

describe('the event log', () => {
  it('names a state as one dotted path', () => {
    expect(stateName('idle')).toBe('idle');
    expect(stateName({ session: 'orders' })).toBe('session.orders');
    expect(stateName({ session: { delivering: 'writing' } })).toBe('session.delivering.writing');
  });

  it('keeps only the fields that say nothing about the traveller', () => {
    expect(describeEvent({ type: 'SUBMIT_PIN', pin: '123456' })).toEqual({ event: 'SUBMIT_PIN' });
    expect(describeEvent({ type: 'CARD_PRESENT', uid: '04A1B2C3' })).toEqual({ event: 'CARD_PRESENT' });
    expect(describeEvent({ type: 'SELECT_ORDER', orderId: 'o-1' })).toEqual({ event: 'SELECT_ORDER', orderId: 'o-1' });
    expect(describeEvent({ type: 'SET_ASSIST', option: 'speech', on: true })).toEqual({ event: 'SET_ASSIST', option: 'speech', on: true });
    expect(describeEvent({ type: 'ORDERS_CHANGED', orders: [{ cardNumber: '3528010012345678' }], gone: [] })).toEqual({
      event: 'ORDERS_CHANGED',
      orders: 1,
      gone: 0,
    });
    // An actor's output (the card as read) is never taken apart.
    expect(describeEvent({ type: 'xstate.done.actor.readCard', output: { cardNumber: '3528010012345678' } })).toEqual({
      event: 'xstate.done.actor.readCard',
    });
  });

  it('logs every event of a pickup beside the state it led to, and no card number or code', async () => {
    const out = capture();
    k = startTestKiosk({ log: out.log });
    await k.tapCard('anna');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    await k.waitFor('orders');
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-code' });
    await k.waitFor('confirm');
    k.press({ type: 'CONFIRM' });
    await k.waitFor('delivered');
    k.press({ type: 'ACTIVITY' });
    const seen = events(out.lines);
    expect(seen).toEqual(
      expect.arrayContaining([
        'CARD_PRESENT → session.readingCard',
        expect.stringMatching(/^xstate\.done\.actor\.\w+ → session\.menu$/) as string,
        'PICKUP → session.loadingOrders',
        expect.stringMatching(/^xstate\.done\.actor\.\w+ → session\.orders$/) as string,
        'SELECT_ORDER → session.confirm',
        expect.stringMatching(/^CONFIRM → session\.delivering/) as string,
        expect.stringMatching(/→ session\.delivered$/) as string,
      ]),
    );
    // The renderer's "someone is here" pings are there when asked for, at debug only.
    expect(out.lines.find((l) => l.event === 'ACTIVITY')?.level).toBe(20);
    expect(out.lines.filter((l) => l.event === 'SELECT_ORDER').map((l) => l.orderId)).toEqual(['demo-anna-code']);
    const text = out.text();
    expect(text).not.toContain('3528010012345678');
    expect(text).not.toContain('4821-9034-7713');
    expect(text).not.toContain('4821');
    expect(text).not.toContain('kiosk state');
  });

  it('in maintenance: the technician side, once per event, and never the PIN', async () => {
    const out = capture();
    k = startTestKiosk({ log: out.log });
    const { technicianId, cardNumber, pin } = DEMO_TECHNICIAN;
    k.store.maintenance.technicians.replaceAll([{ technicianId, cardNumber, ...hashPin(pin, { N: 1024, r: 8, p: 1, keylen: 32 }) }]);
    await k.tapCard('technician');
    await k.waitFor('pin');
    k.press({ type: 'SUBMIT_PIN', pin });
    await k.waitFor('maintenance');
    k.press({ type: 'MAINT_SHOW', page: 'log' });
    const seen = events(out.lines);
    expect(seen.filter((e) => e.startsWith('SUBMIT_PIN'))).toEqual(['SUBMIT_PIN → maintenance.checkingPin']);
    expect(seen).toContain('MAINT_SHOW → maintenance.authenticated');
    expect(seen).toContain('xstate.done.actor.verifyPin → maintenance.authenticated');
    expect(out.lines.find((l) => l.event === 'MAINT_SHOW')?.page).toBe('log');
    expect(out.text()).not.toContain(`"${pin}"`);
    expect(out.text()).not.toMatch(/pin":/);
  });
});

describe("the technician's log page gets each line's state, order and reason", () => {
  it('from the fields the kiosk logs, and nothing else of the record', async () => {
    const { LogBuffer } = await import('./log-buffer.js');
    const buffer = new LogBuffer();
    const log = pino({ level: 'info' }, buffer);
    log.info({ event: 'CONFIRM', state: 'session.delivering', orderId: 'o-7' }, 'event CONFIRM');
    log.warn({ orderId: 'o-7', failure: 'cardRemoved', cardNumber: '3528010012345678' }, 'delivery failed');
    log.error({ err: new Error('SQLITE_FULL: database or disk is full') }, 'store write failed');
    log.info('plain');
    await new Promise((resolve) => setImmediate(resolve));
    const [plain, error, failed, event] = buffer.recent();
    expect(event).toMatchObject({ level: 'info', message: 'event CONFIRM', state: 'session.delivering', order: 'o-7' });
    expect(failed).toMatchObject({ level: 'warn', message: 'delivery failed', order: 'o-7', reason: 'cardRemoved' });
    expect(JSON.stringify(failed)).not.toContain('3528010012345678');
    expect(error).toMatchObject({ level: 'error', reason: 'SQLITE_FULL: database or disk is full' });
    expect(plain).toEqual({ at: expect.any(String) as string, level: 'info', message: 'plain' });
  });
});
