// The maintenance machine's transition cover, from both ways in (a technician card, the
// cabinet's key): named paths that together reach every state and take every transition,
// played on a live maintenance machine. After each step it must be where the path says
// and run the timers the table says, for as long as they last; none may fire early.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { DELAYS, type DelayName } from './delays.js';
import { maintenanceMachine, type MaintenanceInput, type MaintenanceSnapshot } from './maintenance-machine.js';
import { activeNodes, allNodes, definedTransitions, transitionCover, transitionsTaken, type AnyEvent } from './test/cover.js';
import { controlledActors, liveActor } from './test/live.js';
import type { CardInspection } from '../domain/index.js';

const TEST_CARD = '04A1B2C3';
const inspection: CardInspection = {
  ok: true,
  uid: TEST_CARD,
  maskedNumber: '•••• •••• •••• 5678',
  kind: 'traveller',
  expiry: '2031-03-31',
  balanceCents: 1250,
  products: [],
  ordersOnCard: 0,
  activeRecord: 'A',
  sequence: 1,
  layoutVersion: 1,
};

const ENTRIES: Record<string, MaintenanceInput> = {
  'by card': { entry: 'card', cardNumber: '9999000012340001', serviceReason: null },
  'by key': { entry: 'serviceKey', cardNumber: null, serviceReason: 'technicalFault' },
};

/** The timers each state runs (the spec, written down apart from the chart). */
const SCREEN: readonly DelayName[] = ['maintenanceInactivityReset', 'maintenanceInactivityWarning'];
const TIMERS: Record<string, readonly DelayName[]> = {
  technicianCard: SCREEN,
  pin: SCREEN,
  checkingPin: [],
  locked: SCREEN,
  authenticated: SCREEN,
  working: [],
  inspecting: [],
  ended: [],
};

function expectedTimers(snapshot: MaintenanceSnapshot): { name: DelayName; delay: number }[] {
  const names = TIMERS[String(snapshot.value)];
  if (!names) throw new Error(`no timers written down for ${String(snapshot.value)}`);
  return names
    .filter((name) => !(name === 'maintenanceInactivityWarning' && snapshot.context.inactivityWarning))
    .map((name) => ({ name, delay: DELAYS[name] }));
}

const actorResults: Record<string, AnyEvent[]> = {
  verifyPin: [
    { type: 'xstate.done.actor.verifyPin', output: { result: 'ok', technicianId: 'T-0001' } },
    { type: 'xstate.done.actor.verifyPin', output: { result: 'wrong', attemptsLeft: 3 } },
    { type: 'xstate.done.actor.verifyPin', output: { result: 'locked', minutesLeft: 15 } },
    { type: 'xstate.error.actor.verifyPin', error: new Error('no credentials') },
  ],
  maintenanceAction: [
    { type: 'xstate.done.actor.maintenanceAction', output: { action: 'syncNow', ok: true } },
    { type: 'xstate.done.actor.maintenanceAction', output: { action: 'syncNow', ok: false } },
    { type: 'xstate.error.actor.maintenanceAction', error: new Error('sync failed') },
  ],
  inspectCard: [
    { type: 'xstate.done.actor.inspectCard', output: inspection },
    { type: 'xstate.error.actor.inspectCard', error: new Error('card gone') },
  ],
};

function eventsFor(snapshot: MaintenanceSnapshot): AnyEvent[] {
  if (snapshot.status !== 'active') return [];
  const c = snapshot.context;
  const events: AnyEvent[] = [
    { type: 'SUBMIT_TECHNICIAN_CARD', cardNumber: '9999000012340001' },
    { type: 'SUBMIT_PIN', pin: '135790' },
    { type: 'EXIT_MAINTENANCE' },
    { type: 'MAINT_SHOW', page: c.page === 'testCard' ? 'status' : 'testCard' },
    { type: 'MAINT_ACTION', action: 'backInService' },
    { type: 'MAINT_ACTION', action: 'restartReader' },
    { type: 'MAINT_OUT_OF_SERVICE', reason: 'maintenance' },
    { type: 'ACTIVITY' },
    { type: 'CARD_PRESENT', uid: TEST_CARD },
    { type: 'CARD_REMOVED' },
    { type: 'READER_STATUS', status: 'no_reader' },
    { type: 'READER_STATUS', status: 'ready' },
  ];
  for (const node of activeNodes(snapshot)) {
    for (const invoke of node.invoke) events.push(...(actorResults[invoke.id] ?? []));
    for (const delayed of node.after) {
      if (delayed.eventType.includes('.maintenanceInactivityReset.') && !c.inactivityWarning) continue;
      events.push({ type: delayed.eventType });
    }
  }
  return events;
}

function serialize(snapshot: MaintenanceSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    snapshot.status,
    c.entry,
    c.cardNumber,
    c.technicianCardPresent,
    c.technicianId,
    c.page,
    c.wrongPin,
    c.attemptsLeft,
    c.minutesLeft,
    c.pin,
    c.pendingAction,
    c.lastAction?.ok ?? null,
    c.inspectUid,
    c.testCard?.ok ?? null,
    c.inactivityWarning,
    c.serviceReason,
  ]);
}

function stepName(event: AnyEvent): string {
  const [, kind, , id] = event.type.split('.');
  if (event.type.startsWith('xstate.after.')) return `wait ${event.type.split('.')[2] ?? ''}`;
  if (kind === 'error') return `${id === 'verifyPin' ? 'PIN check' : id === 'inspectCard' ? 'card test' : 'action'} fails`;
  if (kind === 'done' && id === 'verifyPin') return `PIN ${String((event.output as { result: string }).result)}`;
  if (kind === 'done' && id === 'maintenanceAction') return (event.output as { ok: boolean }).ok ? 'action done' : 'action refused';
  if (kind === 'done' && id === 'inspectCard') return 'card decoded';
  switch (event.type) {
    case 'READER_STATUS':
      return `reader ${String(event.status)}`;
    case 'CARD_PRESENT':
      return 'tap a card';
    case 'CARD_REMOVED':
      return 'remove card';
    case 'MAINT_SHOW':
      return `show ${String(event.page)}`;
    case 'MAINT_ACTION':
      return String(event.action);
    case 'MAINT_OUT_OF_SERVICE':
      return `out of service (${String(event.reason)})`;
    default:
      return event.type;
  }
}

const covers = Object.entries(ENTRIES).map(([way, input]) => {
  const cover = transitionCover<MaintenanceSnapshot>({
    machine: maintenanceMachine,
    input,
    events: eventsFor,
    serialize,
    stateKeys: (snapshot) => [...activeNodes(snapshot).map((node) => node.id), `status:${snapshot.status}`],
    edgeKeys: (from, event) => transitionsTaken(maintenanceMachine, from, event),
    stepName,
  });
  return { way, input, cover };
});
const paths = covers.flatMap(({ way, input, cover }) =>
  cover.paths.map((path) => ({ ...path, name: `${way}: ${path.name || '(start)'}`, input })),
);

function liveMaintenance(input: MaintenanceInput) {
  const { pending, logic } = controlledActors();
  const machine = maintenanceMachine.provide({
    actors: { verifyPin: logic(), maintenanceAction: logic(), inspectCard: logic() },
  });
  return liveActor<MaintenanceSnapshot>((clock) => createActor(machine, { clock, input }).start(), pending);
}

describe(`maintenance machine: transition cover (${String(paths.length)} paths)`, () => {
  it('every path has its own name', () => {
    const names = paths.map((path) => path.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('reaches every state node, the end included', () => {
    const reached = new Set(paths.flatMap((path) => path.steps.flatMap((step) => activeNodes(step.state).map((n) => n.id))));
    // `entering` only passes the start on (by card to the PIN, by key to "which technician").
    const all = [...allNodes(maintenanceMachine.root)].map((n) => n.id).filter((id) => id !== 'maintenance.entering');
    expect(all.filter((id) => !reached.has(id))).toEqual([]);
    expect(all).toEqual(
      expect.arrayContaining(
        ['technicianCard', 'pin', 'checkingPin', 'locked', 'authenticated', 'working', 'inspecting', 'ended'].map((name) => `maintenance.${name}`),
      ),
    );
  });

  it('takes every transition the chart defines', () => {
    const taken = new Set<string>();
    for (const path of paths) {
      path.steps.forEach((step, i) => {
        const before = path.steps[i - 1]?.state;
        if (before) for (const key of transitionsTaken(maintenanceMachine, before, step.event)) taken.add(key);
      });
    }
    // The start's eventless step out of `entering`: the one whose target each way in starts in.
    const entering = maintenanceMachine.getStateNodeById('maintenance.entering');
    for (const path of paths) {
      const start = (path.steps[0] as (typeof path.steps)[number]).state;
      const index = (entering.always ?? []).findIndex((def) => (def.target ?? []).some((target) => activeNodes(start).includes(target)));
      if (index >= 0) taken.add(`${entering.id} --(always)--> #${String(index)}`);
    }
    const defined = definedTransitions(maintenanceMachine);
    expect(defined.length).toBeGreaterThan(20);
    expect(defined.filter((key) => !taken.has(key))).toEqual([]);
  });

  it.each(paths.map((path) => [path.name, path] as const))('%s', async (_name, path) => {
    const live = liveMaintenance(path.input);
    expect(serialize(live.snapshot()), 'the start').toBe(serialize((path.steps[0] as (typeof path.steps)[number]).state));
    for (const [i, step] of path.steps.entries()) {
      if (i === 0) continue;
      const before = (path.steps[i - 1] as (typeof path.steps)[number]).state;
      const where = `step ${String(i)}: ${stepName(step.event)}`;
      if (step.event.type.startsWith('xstate.after.')) {
        await live.untilJustBefore(step.event.type);
        expect(serialize(live.snapshot()), `${where}, a millisecond early`).toBe(serialize(before));
      }
      await live.play(step.event);
      expect(serialize(live.snapshot()), where).toBe(serialize(step.state));
      const timers = live.timers().map(({ name, delay }) => ({ name, delay })).sort((a, b) => a.name.localeCompare(b.name));
      expect(timers, `${where}: timers in ${String(step.state.value)}`).toEqual(expectedTimers(step.state));
    }
  });
});
