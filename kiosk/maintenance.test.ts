// Maintenance mode on a whole kiosk: technician card + PIN, lockout, actions, audit,
// out of service across a restart. PIN hashes use small scrypt parameters to keep it quick.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestKiosk, type TestKiosk } from '../test/kiosk-harness.js';
import { DELAYS } from '../machine/delays.js';
import { DEMO_TECHNICIAN } from '../demo/cards.js';
import { hashPin } from '../backoffice/pins.js';
import type { KioskView } from './contract.js';
import { pinMatches } from './pin.js';
import { maskCardNumber } from './view.js';

const FAST = { N: 1024, r: 8, p: 1, keylen: 32 };
let k: TestKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

async function withTechnician(): Promise<TestKiosk> {
  const kiosk = startTestKiosk();
  const { technicianId, cardNumber, pin } = DEMO_TECHNICIAN;
  kiosk.store.maintenance.technicians.replaceAll([{ technicianId, cardNumber, ...hashPin(pin, FAST) }]);
  return kiosk;
}

async function signIn(kiosk: TestKiosk, pin: string = DEMO_TECHNICIAN.pin) {
  await kiosk.tapCard('technician');
  await kiosk.waitFor('pin');
  kiosk.press({ type: 'SUBMIT_PIN', pin });
}

describe('PIN hashes', () => {
  it('match only the PIN they were made from, and never hold it', async () => {
    const credential = hashPin('4321', FAST);
    expect(JSON.stringify(credential)).not.toContain('4321');
    expect(await pinMatches('4321', credential)).toBe(true);
    expect(await pinMatches('4322', credential)).toBe(false);
    expect(hashPin('4321', FAST).hash).not.toBe(credential.hash);
  });
});

describe('maintenance mode', () => {
  it('technician card + PIN opens the status; the card leaving closes it; both are audited', async () => {
    k = await withTechnician();
    await signIn(k);
    const view = await k.waitFor('maintenance');
    expect(view.screen.name === 'maintenance' && view.screen.maintenance.status.reader.status).toBe('card_present');
    expect(view.screen.name === 'maintenance' && view.screen.maintenance.status.store.pendingOrders).toBe(5);
    k.removeCard();
    await k.waitFor('idle');
    expect(k.store.maintenance.audit.recent(10).map((a) => a.action)).toEqual(['exit', 'login']);
  });

  it('the maintenance screens are published as maintenance moves on by itself: the question, then the traveller screens', async () => {
    k = await withTechnician();
    await signIn(k);
    await k.waitFor('maintenance');
    const published: KioskView[] = [];
    k.kiosk.subscribe((view) => published.push(view));
    k.clock.increment(DELAYS.maintenanceInactivityWarning);
    expect(published.at(-1)).toMatchObject({ screen: { name: 'maintenance' }, inactivityWarning: true });
    k.clock.increment(DELAYS.maintenanceInactivityReset - DELAYS.maintenanceInactivityWarning);
    expect(published.at(-1)).toMatchObject({ screen: { name: 'idle' }, inactivityWarning: false });
    expect(k.store.maintenance.audit.recent(10).map((a) => a.action)).toEqual(['exit', 'login']);
  });

  it('five wrong PINs lock entry, and the lock survives a restart', async () => {
    k = await withTechnician();
    for (let attempt = 1; attempt <= 4; attempt++) {
      await signIn(k, '000000');
      await k.waitFor('checkingPin');
      const wrong = await k.waitFor('pin');
      expect(wrong.screen).toMatchObject({ name: 'pin', wrongPin: true, attemptsLeft: 5 - attempt });
      k.removeCard();
      await k.waitFor('idle');
    }
    await signIn(k, '000000');
    await k.waitFor('pinLocked');
    await k.restart();
    k.removeCard();
    await signIn(k);
    const locked = await k.waitFor('pinLocked');
    expect(locked.screen).toEqual({ name: 'pinLocked', minutesLeft: 15 });
    // The lock, then the attempt made during it (audited as well).
    expect(k.store.maintenance.audit.recent(2).map((a) => a.action)).toEqual(['pin.lockedAttempt', 'pin.locked']);
  });

  it("ATTACK (issue 11): wrong PINs at the service key do not lock the technician card out; every attempt during a lock is audited; locks grow", async () => {
    let t = Date.parse('2026-11-21T12:00:00Z');
    k = startTestKiosk({ now: () => new Date(t) });
    const other = { technicianId: 'T-0002', cardNumber: '3528010000000002', ...hashPin('739105', FAST) };
    const { technicianId, cardNumber, pin } = DEMO_TECHNICIAN;
    k.store.maintenance.technicians.replaceAll([{ technicianId, cardNumber, ...hashPin(pin, FAST) }, other]);
    const m = k.kiosk.maintenance;
    // Someone at the service key locks it for this technician...
    for (let i = 0; i < 5; i++) await m.verifyPin({ entry: 'serviceKey', cardNumber, pin: '000000' });
    expect(await m.verifyPin({ entry: 'serviceKey', cardNumber, pin })).toMatchObject({ result: 'locked' });
    // ...but the technician with their card still gets in (before: locked as well).
    expect(await m.verifyPin({ entry: 'card', cardNumber, pin })).toEqual({ result: 'ok', technicianId });
    const actions = k.store.maintenance.audit.recent(20).map((a) => `${a.actor}:${a.action}`);
    expect(actions).toContain(`service key ${maskCardNumber(cardNumber)}:pin.lockedAttempt`);
    // One card's lock is its own too, and a second lock lasts twice as long.
    for (let i = 0; i < 5; i++) await m.verifyPin({ entry: 'card', cardNumber: other.cardNumber, pin: '000000' });
    const first = await m.verifyPin({ entry: 'card', cardNumber: other.cardNumber, pin: '739105' });
    expect(first).toEqual({ result: 'locked', minutesLeft: 15 });
    expect(await m.verifyPin({ entry: 'card', cardNumber, pin })).toEqual({ result: 'ok', technicianId });
    t += 16 * 60_000;
    for (let i = 0; i < 5; i++) await m.verifyPin({ entry: 'card', cardNumber: other.cardNumber, pin: '000000' });
    expect(await m.verifyPin({ entry: 'card', cardNumber: other.cardNumber, pin: '739105' })).toEqual({ result: 'locked', minutesLeft: 30 });
    // A good PIN once the lock is over starts the count afresh.
    t += 31 * 60_000;
    expect(await m.verifyPin({ entry: 'card', cardNumber: other.cardNumber, pin: '739105' })).toEqual({ result: 'ok', technicianId: 'T-0002' });
  });

  it('ATTACK (issue 11): the service key asks which technician; another technician\'s PIN does not open it', async () => {
    k = startTestKiosk();
    const other = { technicianId: 'T-0002', cardNumber: '3528010000000002', ...hashPin('739105', FAST) };
    const { technicianId, cardNumber, pin } = DEMO_TECHNICIAN;
    k.store.maintenance.technicians.replaceAll([{ technicianId, cardNumber, ...hashPin(pin, FAST) }, other]);
    await k.waitFor('idle');
    k.press({ type: 'SERVICE_KEY' });
    await k.waitFor('technicianCard');
    // No PIN is taken before the technician has said who they are.
    expect(k.kiosk.receiveUiEvent({ type: 'SUBMIT_PIN', pin })).toMatchObject({ ok: false, notTaken: true });
    k.press({ type: 'SUBMIT_TECHNICIAN_CARD', cardNumber });
    await k.waitFor('pin');
    expect(k.view().screen).toMatchObject({ name: 'pin', entry: 'serviceKey' });
    // Before: any technician's PIN opened the service key (as that technician).
    k.press({ type: 'SUBMIT_PIN', pin: '739105' });
    await k.waitFor('checkingPin');
    expect((await k.waitFor('pin')).screen).toMatchObject({ name: 'pin', wrongPin: true, attemptsLeft: 4 });
    k.press({ type: 'SUBMIT_PIN', pin });
    await k.waitFor('maintenance');
    const audit = k.store.maintenance.audit.recent(3).map((a) => `${a.actor}:${a.action}:${a.detail ?? ''}`);
    expect(audit).toEqual([`${technicianId}:login:service key`, `service key ${maskCardNumber(cardNumber)}:pin.wrong:`]);
    // A malformed number is refused at the boundary.
    k.press({ type: 'EXIT_MAINTENANCE' });
    await k.waitFor('idle');
    k.press({ type: 'SERVICE_KEY' });
    await k.waitFor('technicianCard');
    expect(k.kiosk.receiveUiEvent({ type: 'SUBMIT_TECHNICIAN_CARD', cardNumber: '12ab' })).toMatchObject({ ok: false });
    expect(k.view().screen.name).toBe('technicianCard');
  });

  it('"Kaartlezer herstarten" keeps the technician logged in, though the reader (and the card on it) went away meanwhile', async () => {
    k = await withTechnician();
    await signIn(k);
    await k.waitFor('maintenance');
    k.press({ type: 'MAINT_ACTION', action: 'restartReader' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const view = await k.waitFor(['maintenance', 'idle', 'outOfService']);
    expect(view.screen.name).toBe('maintenance');
    expect(view.screen.name === 'maintenance' && view.screen.maintenance.lastAction).toEqual({ action: 'restartReader', ok: true });
    expect(k.store.maintenance.audit.recent(10).map((a) => a.action)).toEqual(['restartReader', 'login']);
    // Still the technician's session: pages open, and leaving is by Afsluiten.
    k.press({ type: 'MAINT_SHOW', page: 'log' });
    expect(k.view().screen.name).toBe('maintenance');
    k.press({ type: 'EXIT_MAINTENANCE' });
    await k.waitFor('idle');
  });

  it('a PIN has 6 to 8 digits: a shorter or longer one is refused at the boundary, before any check', async () => {
    k = await withTechnician();
    await k.tapCard('technician');
    await k.waitFor('pin');
    for (const pin of ['4321', '12345', '123456789']) {
      const result = k.kiosk.receiveUiEvent({ type: 'SUBMIT_PIN', pin });
      expect(result.ok, pin).toBe(false);
      expect(result).not.toHaveProperty('notTaken');
    }
    expect(k.view().screen).toMatchObject({ name: 'pin', wrongPin: false });
  });

  it('a traveller card never reaches maintenance', async () => {
    k = await withTechnician();
    await k.tapCard('anna');
    await k.waitFor('menu');
    // A valid event, but not one the menu takes: refused as such.
    expect(k.kiosk.receiveUiEvent({ type: 'SUBMIT_PIN', pin: DEMO_TECHNICIAN.pin })).toMatchObject({ ok: false, notTaken: true });
    expect(k.view().screen.name).toBe('menu');
  });

  it('out of service with a reason persists over a restart until a technician lifts it', async () => {
    k = await withTechnician();
    await signIn(k);
    await k.waitFor('maintenance');
    k.press({ type: 'MAINT_OUT_OF_SERVICE', reason: 'technicalFault' });
    await k.waitFor('maintenance');
    await new Promise((resolve) => setTimeout(resolve, 20));
    k.press({ type: 'EXIT_MAINTENANCE' });
    expect(k.view().screen).toEqual({ name: 'outOfService', reason: 'manual', serviceReason: 'technicalFault', fault: null });

    k.removeCard();
    await k.restart();
    expect(k.view().screen).toMatchObject({ name: 'outOfService', reason: 'manual' });
    await k.tapCard('anna');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(k.view().screen).toMatchObject({ name: 'outOfService', reason: 'manual' });
    k.removeCard();

    await signIn(k);
    await k.waitFor('maintenance');
    k.press({ type: 'MAINT_ACTION', action: 'backInService' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    k.press({ type: 'EXIT_MAINTENANCE' });
    await k.waitFor('idle');
    const actions = k.store.maintenance.audit.recent(20).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['outOfService', 'backInService']));
  });

  it('testing a card counts the orders its ledger records', async () => {
    k = await withTechnician();
    await k.tapCard('anna');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    await k.waitFor('orders');
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-topup' });
    await k.waitFor('confirm');
    k.press({ type: 'CONFIRM' });
    await k.waitFor('delivered');
    k.removeCard();
    // What was delivered stays up a while after the card left.
    k.clock.increment(DELAYS.deliveredGrace);
    await k.waitFor('idle');
    await signIn(k);
    await k.waitFor('maintenance');
    k.press({ type: 'MAINT_SHOW', page: 'testCard' });
    k.removeCard();
    await k.tapCard('anna');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const view = k.view();
    const testCard = view.screen.name === 'maintenance' ? view.screen.maintenance.testCard : null;
    expect(testCard).toMatchObject({ ok: true, balanceCents: 3250, ordersOnCard: 1 });
  });

  it('testing a card shows its layout with the number masked', async () => {
    k = await withTechnician();
    await signIn(k);
    await k.waitFor('maintenance');
    k.press({ type: 'MAINT_SHOW', page: 'testCard' });
    k.removeCard();
    await k.tapCard('anna');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const view = k.view();
    const testCard = view.screen.name === 'maintenance' ? view.screen.maintenance.testCard : null;
    expect(testCard).toMatchObject({ ok: true, maskedNumber: '•••• •••• •••• 5678', balanceCents: 1250, activeRecord: 'A' });
    expect(JSON.stringify(view)).not.toContain('3528010012345678');
  });

  it('releasing an open delivery offers the order again without ever writing it twice', async () => {
    k = await withTechnician();
    await k.tapCard('anna');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    await k.waitFor('orders');
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-topup' });
    await k.waitFor('confirm');
    k.tearAfter(15 + 6, 'operations'); // card gone after the record was written, before it was verified
    k.press({ type: 'CONFIRM' });
    await k.waitFor('interrupted');
    expect(k.store.deliveries.unsettledCount()).toBe(1);
    k.clock.increment(DELAYS.interruptedDeadline);
    await k.waitFor('failed');

    await signIn(k);
    await k.waitFor('maintenance');
    k.press({ type: 'MAINT_SHOW', page: 'deliveries' });
    const listed = k.view();
    expect(listed.screen.name === 'maintenance' && listed.screen.maintenance.deliveries).toHaveLength(1);
    k.press({ type: 'MAINT_ACTION', action: 'releaseDeliveries' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(k.store.deliveries.unsettledCount()).toBe(0);
    k.removeCard();
    await k.waitFor('idle');

    // The card holds the top-up: its next read settles the released attempt from the
    // card's ledger (delivered, reported once) and nothing is written again.
    await k.tapCard('anna');
    await k.waitFor('delivered');
    expect((await k.inspect('anna')).state.balanceCents).toBe(1250 + 2000);
    expect(k.store.orders.get('demo-anna-topup')?.status).toBe('delivered');
    expect(k.store.deliveries.forOrder('demo-anna-topup').map((d) => d.state)).toEqual(['written']);
    expect(k.store.outbox.pending(10).map((item) => item.report.orderId)).toEqual(['demo-anna-topup']);
  });
});
