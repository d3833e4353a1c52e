// Model-based tests: xstate/graph walks the statechart with every event the outside world
// can produce (traveller, reader, actor results, timers); each shortest path is then
// replayed on a live actor whose actors and clock the test controls, asserting every state.
// Coverage checks make sure every state node is reached and every transition is taken.
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock, type AnyStateNode } from 'xstate';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { DELAYS, MORE_TIME_FACTOR, STRETCHED, type DelayName } from './delays.js';
import { kioskMachine, type DeliverInput, type KioskEvent, type KioskSnapshot } from './kiosk-machine.js';
import { codeOrder, deferred, travellerCard } from './test-helpers.js';
import {
  KioskFailure,
  type CardInspection,
  type CardSummary,
  type DeliveryOutcome,
  type MaintenanceAction,
  type MaintenanceActionResult,
  type OfferedOrder,
  type PinResult,
} from '../domain/index.js';

/** Traveller and reader events, plus the actor results and timers the traversal fires. */
type AnyEvent = { type: string; output?: unknown; error?: unknown; [key: string]: unknown };

const OTHER_UID = '04FFFFFF';
const technicianCard: CardSummary = { ...travellerCard, kind: 'technician' };
const outcome: DeliveryOutcome = { kind: 'kaartservicecode', code: '4821-9034' };

const externalEvents: AnyEvent[] = [
  { type: 'READER_STATUS', status: 'ready' },
  { type: 'READER_STATUS', status: 'no_reader' },
  { type: 'READER_STATUS', status: 'card_error' },
  { type: 'CARD_PRESENT', uid: travellerCard.uid },
  { type: 'CARD_PRESENT', uid: OTHER_UID },
  { type: 'CARD_REMOVED' },
  { type: 'PICKUP' },
  { type: 'SELECT_ORDER', orderId: codeOrder.id },
  { type: 'SELECT_ORDER', orderId: 'not-offered' },
  { type: 'CONFIRM' },
  { type: 'CANCEL' },
  { type: 'BACK' },
  { type: 'STOP' },
  { type: 'ACTIVITY' },
  { type: 'SET_LANGUAGE', language: 'en' },
  { type: 'SET_ASSIST', option: 'moreTime', on: true },
  { type: 'SERVICE_KEY' },
  { type: 'SUBMIT_PIN', pin: '4321' },
  { type: 'EXIT_MAINTENANCE' },
  { type: 'MAINT_SHOW', page: 'testCard' },
  { type: 'MAINT_SHOW', page: 'status' },
  { type: 'MAINT_ACTION', action: 'backInService' },
  { type: 'MAINT_OUT_OF_SERVICE', reason: 'maintenance' },
];

/** Results of invoked actors, offered only while the actor runs. */
const actorResults: Record<string, AnyEvent[]> = {
  readCard: [
    { type: 'xstate.done.actor.readCard', output: travellerCard },
    { type: 'xstate.done.actor.readCard', output: technicianCard },
    { type: 'xstate.done.actor.readCard', output: { ...travellerCard, settled: { order: codeOrder, outcome } } },
    { type: 'xstate.error.actor.readCard', error: new KioskFailure('foreignCard') },
  ],
  lookupOrders: [
    { type: 'xstate.done.actor.lookupOrders', output: [codeOrder] },
    { type: 'xstate.done.actor.lookupOrders', output: [] },
    { type: 'xstate.error.actor.lookupOrders', error: new Error('store unavailable') },
  ],
  serviceCheckRead: [
    { type: 'xstate.done.actor.serviceCheckRead', output: technicianCard },
    { type: 'xstate.done.actor.serviceCheckRead', output: travellerCard },
    { type: 'xstate.error.actor.serviceCheckRead', error: new KioskFailure('foreignCard') },
  ],
  verifyPin: [
    { type: 'xstate.done.actor.verifyPin', output: { result: 'ok', technicianId: 'T1' } },
    { type: 'xstate.done.actor.verifyPin', output: { result: 'wrong', attemptsLeft: 3 } },
    { type: 'xstate.done.actor.verifyPin', output: { result: 'locked', minutesLeft: 15 } },
    { type: 'xstate.error.actor.verifyPin', error: new Error('no credentials') },
  ],
  maintenanceAction: [
    { type: 'xstate.done.actor.maintenanceAction', output: { action: 'syncNow', ok: true } },
    { type: 'xstate.error.actor.maintenanceAction', error: new Error('sync failed') },
  ],
  inspectCard: [
    { type: 'xstate.done.actor.inspectCard', output: { ok: false, reason: 'foreignCard' } },
    { type: 'xstate.error.actor.inspectCard', error: new Error('card gone') },
  ],
  deliver: [
    { type: 'xstate.done.actor.deliver', output: outcome },
    { type: 'xstate.error.actor.deliver', error: new KioskFailure('cardRemoved') },
    { type: 'xstate.error.actor.deliver', error: new KioskFailure('balanceLimit') },
  ],
};

function activeNodes(snapshot: KioskSnapshot): AnyStateNode[] {
  return (snapshot as unknown as { _nodes: AnyStateNode[] })._nodes;
}

function eventsFor(snapshot: KioskSnapshot): AnyEvent[] {
  const events = [...externalEvents];
  for (const node of activeNodes(snapshot)) {
    for (const invoke of node.invoke) events.push(...(actorResults[invoke.id] ?? []));
    for (const delayed of node.after) events.push({ type: delayed.eventType });
  }
  return events;
}

/** What makes two snapshots behave differently (the guards read these). */
function serialize(snapshot: KioskSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.language,
    c.assist.moreTime,
    c.uid,
    c.cardPresent,
    c.card?.kind ?? null,
    c.orders.length,
    c.inactivityWarning,
    c.differentCard,
    c.readFailure,
    c.deliveryFailure,
    c.readerStatus,
    c.serviceReason,
    c.maintenance && [c.maintenance.entry, c.maintenance.page, c.maintenance.wrongPin, c.maintenance.testCard !== null],
  ]);
}

// createTestModel refuses machines that invoke actors, so the traversal is used directly.
const traversal = {
  events: (snapshot: KioskSnapshot) => eventsFor(snapshot) as KioskEvent[],
  serializeState: (snapshot: KioskSnapshot) => serialize(snapshot),
};
const paths = getShortestPaths(kioskMachine, traversal);

function delayOf(eventType: string): DelayName {
  const name = eventType.split('.')[2] as DelayName;
  if (!(name in DELAYS)) throw new Error(`unknown delay in ${eventType}`);
  return name;
}

/** A live actor whose invoked actors wait for the test to say how they end. */
function liveKiosk() {
  const pending: Record<string, ReturnType<typeof deferred<unknown>>> = {};
  const controlled = <T, I>(id: string) =>
    fromPromise<T, I>(() => {
      pending[id] = deferred<unknown>();
      return pending[id].promise as Promise<T>;
    });
  const clock = new SimulatedClock();
  const actor = createActor(
    kioskMachine.provide({
      actors: {
        readCard: fromPromise<CardSummary, { uid: string }>(({ self }) => {
          // Two states read cards; their invoke ids tell the results apart.
          const id = self.id;
          pending[id] = deferred<unknown>();
          return pending[id].promise as Promise<CardSummary>;
        }),
        verifyPin: controlled<PinResult, { cardNumber: string | null; pin: string }>('verifyPin'),
        maintenanceAction: controlled<MaintenanceActionResult, { action: MaintenanceAction; technicianId: string }>(
          'maintenanceAction',
        ),
        inspectCard: controlled<CardInspection, { uid: string }>('inspectCard'),
        lookupOrders: controlled<readonly OfferedOrder[], { cardNumber: string }>('lookupOrders'),
        deliver: controlled<DeliveryOutcome, DeliverInput>('deliver'),
      },
    }),
    { clock, input: { serviceReason: null } },
  );
  actor.start();
  const flush = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    actor,
    async exec(event: AnyEvent) {
      const [prefix, kind, , id] = event.type.split('.');
      if (prefix === 'xstate' && kind === 'done' && id) pending[id]?.resolve(event.output);
      else if (prefix === 'xstate' && kind === 'error' && id) pending[id]?.reject(event.error);
      else if (prefix === 'xstate' && kind === 'after') {
        const name = delayOf(event.type);
        const stretch = actor.getSnapshot().context.assist.moreTime && STRETCHED.includes(name) ? MORE_TIME_FACTOR : 1;
        clock.increment(DELAYS[name] * stretch);
      }
      else actor.send(event as KioskEvent);
      await flush();
    },
  };
}

describe('kiosk machine, model-based', () => {
  it('reaches every state node', () => {
    const reached = new Set<string>();
    for (const path of paths) for (const step of path.steps) for (const n of activeNodes(step.state)) reached.add(n.id);
    // Transient states (only `always` transitions) are passed through, never rested in;
    // their branches are covered by the scenario tests "leaving maintenance".
    const transient = (n: AnyStateNode) => (n.always?.length ?? 0) > 0 && n.transitions.size === 0;
    const all = [...collectNodes(kioskMachine.root)].filter((n) => !transient(n)).map((n) => n.id);
    expect(all.filter((id) => !reached.has(id))).toEqual([]);
    expect(all).toEqual(
      expect.arrayContaining(
        ['outOfService', 'idle', 'readingCard', 'unknownCard', 'menu', 'loadingOrders', 'orders', 'noOrders']
          .concat(['confirm', 'delivering', 'delivered', 'interrupted', 'failed'])
          .concat(['serviceCheck', 'pin', 'checkingPin', 'locked', 'authenticated', 'working', 'inspecting'])
          .map((name) => expect.stringContaining(name)),
      ),
    );
  });

  it('takes every transition the chart defines', { timeout: 60_000 }, () => {
    const adjacency = getAdjacencyMap(kioskMachine, traversal);
    const taken = new Set<string>();
    for (const { state, transitions } of Object.values(adjacency)) {
      for (const { event } of Object.values(transitions) as { event: AnyEvent }[]) {
        // The transitions the machine itself selects for this event in this state.
        for (const def of kioskMachine.getTransitionData(state, event as KioskEvent)) {
          const defs = def.source.transitions.get(event.type) ?? [];
          taken.add(`${def.source.id} --${event.type}--> #${defs.indexOf(def)}`);
        }
      }
    }
    const missing: string[] = [];
    for (const node of collectNodes(kioskMachine.root)) {
      for (const [eventType, defs] of node.transitions) {
        defs.forEach((_def, i) => {
          const key = `${node.id} --${eventType}--> #${i}`;
          if (!taken.has(key)) missing.push(key);
        });
      }
    }
    expect(missing).toEqual([]);
  });

  const described = paths.map((path) => [path.steps.map((step) => step.event.type).join(' → '), path] as const);
  describe.each(described)('%s', (_description, path) => {
    it('the live actor follows the path', async () => {
      const kiosk = liveKiosk();
      for (const step of path.steps) {
        await kiosk.exec(step.event);
        const actual = kiosk.actor.getSnapshot();
        expect(actual.value).toEqual(step.state.value);
        expect(serialize(actual)).toEqual(serialize(step.state));
      }
    });
  });
});

function* collectNodes(node: AnyStateNode): Generator<AnyStateNode> {
  yield node;
  for (const child of Object.values(node.states)) yield* collectNodes(child);
}
