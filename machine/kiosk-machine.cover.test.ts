// The kiosk machine's transition cover: a few named paths that together reach every state
// and take every transition (each stretched timer also with "more time"), played on a
// live actor. After each step the actor must be where the path says, and run exactly the
// timers the spec table below says, for as long as delayFor() says; a timer must not fire
// a millisecond early. Maintenance is a child machine with a cover of its own
// (maintenance-machine.cover.test.ts); here it is an actor that ends when the path says.
import { describe, expect, it } from 'vitest';
import { createActor, type AnyStateNode } from 'xstate';
import { delayFor, STRETCHED, type DelayName } from './delays.js';
import { kioskMachine, type KioskSnapshot, type maintenanceMachine } from './kiosk-machine.js';
import { assessment, codeOrder, delayedJourney, forgottenJourney, journeyCard, onTimeJourney, topupOrder, travellerCard } from './test-helpers.js';
import { activeNodes, allNodes, definedTransitions, transitionCover, transitionsTaken, type AnyEvent } from './test/cover.js';
import { controlledActors, liveActor } from './test/live.js';
import { KioskFailure, type CardSummary, type DeliveryOutcome } from '../domain/index.js';

const CARD = travellerCard.uid;
const OTHER_CARD = '04FFFFFF';
const technicianCard: CardSummary = { ...travellerCard, kind: 'technician' };
const outcome: DeliveryOutcome = { kind: 'kaartservicecode', code: '4821-9034' };

/** The traveller's screens: each warns, then ends the session, after a while without input. */
const INTERACTIVE = ['unknownCard', 'menu', 'orders', 'noOrders', 'confirm', 'delivered', 'failed', 'journeys', 'chooseDestination', 'confirmClaim', 'claimResult'];

/** The screens of Reizen en Geld Terug, where the card's travel log and the claim matter. */
const JOURNEY_SCREENS = ['menu', 'loadingJourneys', 'journeys', 'chooseDestination', 'confirmClaim', 'claiming', 'claimResult'];

/** The timers each state runs (the spec, written down apart from the chart). */
const TIMERS: Record<string, readonly DelayName[]> = {
  outOfService: [],
  serviceCheck: ['readTimeout'],
  maintenance: [],
  idle: [],
  'session.readingCard': ['readTimeout'],
  'session.loadingOrders': [],
  'session.loadingJourneys': ['assessTimeout'],
  'session.claiming': ['claimTimeout'],
  'session.delivering': ['deliveryTimeout'],
  'session.interrupted': ['interruptedDeadline'],
  'session.cardRemoved': ['cardRemovedNotice'],
  'session.deliveredCardGone': ['deliveredGrace'],
  'session.takeCard': ['takeCardReminder'],
  ...Object.fromEntries(INTERACTIVE.map((screen) => [`session.${screen}`, ['inactivityWarning', 'inactivityReset']])),
};

function stateOf(snapshot: KioskSnapshot): string {
  const value = snapshot.value;
  return typeof value === 'string' ? value : Object.entries(value).map(([parent, child]) => `${parent}.${String(child)}`).join();
}

/** The timers `snapshot` should run: the warning only until it has been shown. */
function expectedTimers(snapshot: KioskSnapshot): { name: DelayName; delay: number }[] {
  const names = TIMERS[stateOf(snapshot)];
  if (!names) throw new Error(`no timers written down for ${stateOf(snapshot)}`);
  return names
    .filter((name) => !(name === 'inactivityWarning' && snapshot.context.inactivityWarning))
    .map((name) => ({ name, delay: delayFor(name, snapshot.context.assist) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What the outside world can do: people, the reader, actor results, timers. */
function eventsFor(snapshot: KioskSnapshot): AnyEvent[] {
  const c = snapshot.context;
  const events: AnyEvent[] = [
    { type: 'READER_STATUS', status: 'ready' },
    { type: 'READER_STATUS', status: 'no_reader' },
    { type: 'CARD_PRESENT', uid: CARD },
    { type: 'CARD_REMOVED' },
    { type: 'PICKUP' },
    { type: 'SELECT_ORDER', orderId: codeOrder.id },
    { type: 'PICKUP_ALL' },
    { type: 'SELECT_ORDER', orderId: 'not-offered' },
    { type: 'CONFIRM' },
    { type: 'CANCEL' },
    { type: 'BACK' },
    { type: 'STOP' },
    { type: 'ACTIVITY' },
    { type: 'SET_LANGUAGE', language: 'en' },
    { type: 'SERVICE_KEY' },
    { type: 'SUBMIT_TECHNICIAN_CARD', cardNumber: '9999000012340001' },
    { type: 'SUBMIT_PIN', pin: '135790' },
    { type: 'EXIT_MAINTENANCE' },
    { type: 'MAINT_SHOW', page: 'testCard' },
    { type: 'MAINT_ACTION', action: 'syncNow' },
    { type: 'MAINT_OUT_OF_SERVICE', reason: 'maintenance' },
    { type: 'FAULT', fault: { code: 'storeFull', file: '/data/kiosk.db', detail: { kind: 'sqlite', sqliteCode: 'SQLITE_FULL' } } },
    { type: 'FAULT_CLEARED' },
    { type: 'PRINT_RECEIPT' },
    { type: 'JOURNEYS' },
    { type: 'SELECT_JOURNEY', journeyId: delayedJourney.checkIn.at },
    { type: 'SELECT_JOURNEY', journeyId: forgottenJourney.checkIn.at },
    { type: 'SELECT_JOURNEY', journeyId: onTimeJourney.checkIn.at },
    { type: 'SELECT_DESTINATION', station: 'amsterdam-centraal' },
    { type: 'SELECT_DESTINATION', station: 'zwolle' },
  ];
  // The receipt's printer answers while one is printing (an actor spawned beside the screens).
  if (c.receipt === 'printing') {
    events.push(
      { type: 'xstate.done.actor.printReceipt', output: 'printed' },
      { type: 'xstate.error.actor.printReceipt', error: new Error('paper out') },
    );
  }
  // The order cache changes under an open list: an order arrives, or the last one goes.
  if (snapshot.matches({ session: 'noOrders' })) events.push({ type: 'ORDERS_CHANGED', orders: [codeOrder], gone: [] });
  if (snapshot.matches({ session: 'orders' })) {
    events.push(
      { type: 'ORDERS_CHANGED', orders: [codeOrder, topupOrder], gone: [] },
      { type: 'ORDERS_CHANGED', orders: [], gone: [{ order: codeOrder, reason: 'cancelled' }] },
    );
  }
  // An unreadable card matters where the kiosk waits for a card; a different card where it waits for the same one.
  if (snapshot.matches('idle')) events.push({ type: 'READER_STATUS', status: 'card_error' });
  // Raised by the idle screen itself a while after a choice (its timing: the scenario tests).
  if (snapshot.matches('idle')) events.push({ type: 'IDLE_CHOICES_EXPIRED' });
  if (snapshot.matches({ session: 'interrupted' })) events.push({ type: 'CARD_PRESENT', uid: OTHER_CARD });
  if (!c.assist.moreTime) events.push({ type: 'SET_ASSIST', option: 'moreTime', on: true });
  for (const node of activeNodes(snapshot)) {
    for (const invoke of node.invoke) events.push(...(actorResults[invoke.id] ?? []));
    // Timers in the order they fire: the inactivity reset comes after the warning.
    for (const delayed of node.after) {
      if (delayed.eventType.includes('.inactivityReset.') && !c.inactivityWarning) continue;
      events.push({ type: delayed.eventType });
    }
  }
  return events;
}

const actorResults: Record<string, AnyEvent[]> = {
  readCard: [
    { type: 'xstate.done.actor.readCard', output: travellerCard },
    { type: 'xstate.done.actor.readCard', output: journeyCard },
    { type: 'xstate.done.actor.readCard', output: technicianCard },
    { type: 'xstate.done.actor.readCard', output: { ...travellerCard, settled: { order: codeOrder, outcome } } },
    { type: 'xstate.error.actor.readCard', error: new KioskFailure('foreignCard') },
  ],
  serviceCheckRead: [
    { type: 'xstate.done.actor.serviceCheckRead', output: technicianCard },
    { type: 'xstate.done.actor.serviceCheckRead', output: travellerCard },
    { type: 'xstate.error.actor.serviceCheckRead', error: new KioskFailure('foreignCard') },
  ],
  lookupOrders: [
    { type: 'xstate.done.actor.lookupOrders', output: [codeOrder] },
    { type: 'xstate.done.actor.lookupOrders', output: [codeOrder, topupOrder] },
    { type: 'xstate.done.actor.lookupOrders', output: [] },
    { type: 'xstate.error.actor.lookupOrders', error: new Error('store unavailable') },
  ],
  deliver: [
    { type: 'xstate.done.actor.deliver', output: outcome },
    { type: 'xstate.error.actor.deliver', error: new KioskFailure('cardRemoved') },
    { type: 'xstate.error.actor.deliver', error: new KioskFailure('balanceLimit') },
    { type: 'xstate.error.actor.deliver', error: new KioskFailure('timeout') },
  ],
  assessJourneys: [
    { type: 'xstate.done.actor.assessJourneys', output: assessment },
    { type: 'xstate.error.actor.assessJourneys', error: new KioskFailure('unreachable') },
  ],
  claim: [
    { type: 'xstate.done.actor.claim', output: { status: 'granted', orderId: 'refund-1', amountCents: 445 } },
    { type: 'xstate.done.actor.claim', output: { status: 'waiting', decisionAfter: '2026-11-27T00:00:00.000Z' } },
    { type: 'xstate.error.actor.claim', error: new KioskFailure('timeout') },
  ],
  maintenance: [
    { type: 'xstate.done.actor.maintenance', output: { serviceReason: null } },
    { type: 'xstate.done.actor.maintenance', output: { serviceReason: 'maintenance' } },
    { type: 'xstate.error.actor.maintenance', error: new Error('maintenance broke') },
  ],
};

/**
 * What the guards read and the screens show: what every state has, and what only some
 * screens show (a stale failure or order left in the context is not part of later states).
 */
function serialize(snapshot: KioskSnapshot): string {
  const c = snapshot.context;
  const shown = (screens: readonly string[], value: unknown) =>
    screens.some((screen) => snapshot.matches({ session: screen as 'menu' })) ? value : null;
  return JSON.stringify([
    snapshot.value,
    c.readerStatus,
    c.serviceReason,
    c.fault?.code ?? null,
    c.assist.moreTime,
    c.inactivityWarning,
    c.uid === null ? null : c.uid === CARD ? 'card' : 'other',
    c.cardPresent,
    c.card?.kind ?? null,
    shown(['unknownCard'], c.readFailure),
    shown(['orders'], c.orders.length),
    shown(['orders', 'noOrders'], c.orderChange === null ? null : [c.orderChange.added, c.orderChange.gone.length]),
    shown(['confirm', 'delivering', 'interrupted', 'delivered', 'deliveredCardGone'], c.selectedOrder?.id ?? null),
    shown(['confirm', 'delivering', 'interrupted'], c.queue.length),
    shown(['delivered', 'deliveredCardGone', 'failed'], c.collected.length),
    shown(['delivered', 'deliveredCardGone'], c.outcome !== null),
    shown(['delivered', 'deliveredCardGone'], c.receipt),
    shown(['interrupted'], c.differentCard),
    shown(['failed'], c.deliveryFailure),
    shown(JOURNEY_SCREENS, (c.card?.journeys?.length ?? 0) > 0),
    shown(JOURNEY_SCREENS, c.assessment === null ? null : c.assessment.length),
    shown(JOURNEY_SCREENS, c.journeysFailure),
    shown(JOURNEY_SCREENS, [c.chosenJourney, c.destination]),
    shown(JOURNEY_SCREENS, [c.claimOutcome?.status ?? null, c.claimFailure]),
  ]);
}

function stepName(event: AnyEvent): string {
  const [, kind, , id] = event.type.split('.');
  const output = event.output as { kind?: string; settled?: unknown; serviceReason?: string | null } | unknown[] | undefined;
  const error = event.error instanceof KioskFailure ? event.error.code : 'an error';
  if (event.type.startsWith('xstate.after.')) return `wait ${event.type.split('.')[2] ?? ''}`;
  if (kind === 'error') {
    if (id === 'lookupOrders') return 'order lookup fails';
    if (id === 'assessJourneys') return 'assessment fails (back office unreachable)';
    if (id === 'claim') return 'claim fails (no answer in time)';
    return `${id === 'deliver' ? 'delivery' : id === 'maintenance' ? 'maintenance' : 'read'} fails (${error})`;
  }
  if (kind === 'done') {
    if (id === 'lookupOrders') {
      if (!Array.isArray(output) || output.length === 0) return 'no orders found';
      return output.length > 1 ? 'orders found (several)' : 'orders found';
    }
    if (id === 'deliver') return 'delivered';
    if (id === 'assessJourneys') return 'journeys assessed';
    if (id === 'claim') return `claim ${String((output as { status?: string }).status)}`;
    if (id === 'maintenance') {
      const reason = (output as { serviceReason?: string | null }).serviceReason;
      return reason ? `technician leaves it out of service (${reason})` : 'technician leaves it in service';
    }
    const card = output as { kind?: string; settled?: unknown };
    if (card.settled) return 'read: card holds the delivery';
    return `read: ${card.kind ?? '?'} card${(output as { journeys?: unknown[] }).journeys?.length ? ' with journeys' : ''}`;
  }
  switch (event.type) {
    case 'READER_STATUS':
      return `reader ${String(event.status)}`;
    case 'CARD_PRESENT':
      return event.uid === CARD ? 'tap card' : 'tap other card';
    case 'CARD_REMOVED':
      return 'remove card';
    case 'SELECT_JOURNEY':
      return `SELECT_JOURNEY (${event.journeyId === delayedJourney.checkIn.at ? 'delayed' : event.journeyId === forgottenJourney.checkIn.at ? 'forgotten check-out' : 'earns nothing'})`;
    case 'SELECT_DESTINATION':
      return `SELECT_DESTINATION ${String(event.station)}`;
    case 'SELECT_ORDER':
      return event.orderId === codeOrder.id ? 'SELECT_ORDER' : 'SELECT_ORDER (not offered)';
    case 'SET_LANGUAGE':
      return `language ${String(event.language)}`;
    case 'SET_ASSIST':
      return 'more time';
    case 'ORDERS_CHANGED':
      return Array.isArray(event.orders) && event.orders.length > 0 ? 'an order arrives' : 'the last order is cancelled';
    default:
      return event.type;
  }
}

/** The transitions an edge takes; a stretched timer counts once more with "more time". */
function edgeKeys(from: KioskSnapshot, event: AnyEvent): string[] {
  const keys = transitionsTaken(kioskMachine, from, event);
  const delay = event.type.startsWith('xstate.after.') ? (event.type.split('.')[2] as DelayName) : null;
  if (delay && STRETCHED.includes(delay) && from.context.assist.moreTime) keys.push(...keys.map((k) => `${k} with more time`));
  return keys;
}

const cover = transitionCover<KioskSnapshot>({
  machine: kioskMachine,
  // A station with a receipt printer: "Bon afdrukken" is part of the chart's paths.
  input: { serviceReason: null, receiptPrinter: true },
  events: eventsFor,
  serialize,
  stateKeys: (snapshot) => activeNodes(snapshot).map((node) => node.id),
  edgeKeys,
  stepName,
});

function liveKiosk() {
  const { pending, logic } = controlledActors();
  const machine = kioskMachine.provide({
    actors: {
      readCard: logic(),
      lookupOrders: logic(),
      deliver: logic(),
      assessJourneys: logic(),
      claim: logic(),
      printReceipt: logic(),
      // The technician's side has a cover of its own: here maintenance ends when the path says.
      maintenance: logic() as unknown as typeof maintenanceMachine,
    },
  });
  return liveActor<KioskSnapshot>((clock) => createActor(machine, { clock, input: { serviceReason: null, receiptPrinter: true } }).start(), pending);
}

const transient = (node: AnyStateNode) => (node.always?.length ?? 0) > 0 && node.transitions.size === 0;

describe(`kiosk machine: transition cover (${String(cover.paths.length)} paths over ${String(cover.states)} states)`, () => {
  it('every path has its own name', () => {
    const names = cover.paths.map((path) => path.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('reaches every state node', () => {
    const reached = new Set(cover.paths.flatMap((path) => path.steps.flatMap((step) => activeNodes(step.state).map((n) => n.id))));
    // Transient states (only eventless transitions) are passed through; their transitions are checked below.
    const all = [...allNodes(kioskMachine.root)].filter((n) => !transient(n)).map((n) => n.id);
    expect(all.filter((id) => !reached.has(id))).toEqual([]);
    expect(all).toEqual(
      expect.arrayContaining(
        ['outOfService', 'serviceCheck', 'maintenance', 'idle', 'readingCard', 'unknownCard', 'menu', 'loadingOrders']
          .concat(['orders', 'noOrders', 'confirm', 'delivering', 'delivered', 'interrupted', 'failed'])
          .concat(['cardRemoved', 'deliveredCardGone', 'takeCard'])
          .concat(['loadingJourneys', 'journeys', 'chooseDestination', 'confirmClaim', 'claiming', 'claimResult'])
          .map((name) => expect.stringContaining(name)),
      ),
    );
  });

  it('takes every transition the chart defines, and every stretched timer with more time too', () => {
    const taken = new Set<string>();
    for (const path of cover.paths) {
      path.steps.forEach((step, i) => {
        const before = path.steps[i - 1]?.state;
        if (before) for (const key of edgeKeys(before, step.event)) taken.add(key);
      });
    }
    const defined = definedTransitions(kioskMachine);
    const stretched = defined.filter((key) => STRETCHED.some((name) => key.includes(`--xstate.after.${name}.`)));
    expect(defined.length).toBeGreaterThan(60);
    expect(stretched.length).toBeGreaterThan(10);
    expect([...defined, ...stretched.map((key) => `${key} with more time`)].filter((key) => !taken.has(key))).toEqual([]);
  });

  it.each(cover.paths.map((path) => [path.name, path] as const))('%s', async (_name, path) => {
    const kiosk = liveKiosk();
    expect(serialize(kiosk.snapshot()), 'the start').toBe(serialize((path.steps[0] as (typeof path.steps)[number]).state));
    for (const [i, step] of path.steps.entries()) {
      if (i === 0) continue;
      const before = (path.steps[i - 1] as (typeof path.steps)[number]).state;
      const where = `step ${String(i)}: ${stepName(step.event)}`;
      if (step.event.type.startsWith('xstate.after.')) {
        await kiosk.untilJustBefore(step.event.type);
        expect(serialize(kiosk.snapshot()), `${where}, a millisecond early`).toBe(serialize(before));
      }
      await kiosk.play(step.event);
      expect(serialize(kiosk.snapshot()), where).toBe(serialize(step.state));
      const timers = kiosk.timers().map(({ name, delay }) => ({ name, delay })).sort((a, b) => a.name.localeCompare(b.name));
      expect(timers, `${where}: timers in ${stateOf(step.state)}`).toEqual(expectedTimers(step.state));
    }
  });
});
