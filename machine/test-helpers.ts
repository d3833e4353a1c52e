// Test helpers for driving the kiosk machine with fake actors and a simulated clock.
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import {
  type ClaimInput,
  type AssessJourneysInput,
  kioskMachine,
  maintenanceMachine,
  maintenanceOf,
  type DeliverInput,
  type KioskActor,
  type MaintenanceContext,
  type VerifyPinInput,
} from './kiosk-machine.js';
import {
  KioskFailure,
  type CardInspection,
  type CardJourney,
  type ClaimOutcome,
  type JourneyAssessment,
  type CardSummary,
  type DeliveryOutcome,
  type MaintenanceAction,
  type MaintenanceActionResult,
  type OfferedOrder,
  type PinResult,
  type ServiceReason,
} from '../domain/index.js';

export const travellerCard: CardSummary = {
  uid: '04A1B2C3',
  cardNumber: '3528010012345678',
  kind: 'traveller',
  expiry: '2030-05-31',
  balanceCents: 1250,
  products: [],
};

/** A journey delayed 42 minutes (half its fare back), one checked in and never out, one on time. */
export const delayedJourney: CardJourney = {
  checkIn: { station: 'utrecht-centraal', at: '2026-11-20T08:02:00.000Z' },
  checkOut: { station: 'amsterdam-centraal', at: '2026-11-20T09:10:00.000Z' },
  chargedCents: 890,
};
export const forgottenJourney: CardJourney = {
  checkIn: { station: 'zwolle', at: '2026-11-18T17:00:00.000Z' },
  checkOut: null,
  chargedCents: 2000,
};
export const onTimeJourney: CardJourney = {
  checkIn: { station: 'breda', at: '2026-11-17T07:30:00.000Z' },
  checkOut: { station: 'rotterdam-centraal', at: '2026-11-17T07:55:00.000Z' },
  chargedCents: 560,
};
export const journeyCard: CardSummary = {
  uid: '04A1B2C3',
  cardNumber: '3528010012345678',
  kind: 'traveller',
  expiry: '2030-05-31',
  balanceCents: 1250,
  products: [],
  journeys: [delayedJourney, forgottenJourney, onTimeJourney],
};

/** The assessment a back office would give journeyCard's journeys. */
export const assessment: JourneyAssessment[] = [
  { journeyId: delayedJourney.checkIn.at, status: 'eligible', kind: 'delay', delayMinutes: 42, amountCents: 445, reason: null, decisionAfter: null, orderId: null },
  { journeyId: forgottenJourney.checkIn.at, status: 'eligible', kind: 'forgottenCheckOut', delayMinutes: null, amountCents: null, reason: null, decisionAfter: null, orderId: null },
  { journeyId: onTimeJourney.checkIn.at, status: 'none', kind: null, delayMinutes: 3, amountCents: null, reason: 'tooShort', decisionAfter: null, orderId: null },
];

export const codeOrder: OfferedOrder = { id: 'ord-code', kind: 'kaartservicecode', orderedAt: '2026-11-20T10:00:00Z' };
export const topupOrder: OfferedOrder = {
  id: 'ord-topup',
  kind: 'topup',
  orderedAt: '2026-11-20T11:00:00Z',
  amountCents: 2000,
};

/** A promise the test settles by hand, to hold an actor in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface Harness {
  actor: KioskActor;
  clock: SimulatedClock;
  deliveries: DeliverInput[];
  claims: ClaimInput[];
  assessments: AssessJourneysInput[];
  /** "session.menu", or "maintenance.pin" for the maintenance machine's state. */
  state(): string;
  /** The maintenance machine's context while a technician is at work. */
  maintenance(): MaintenanceContext | undefined;
  tapCard(uid?: string): void;
  removeCard(): void;
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
}

export interface FakeActors {
  readCard?: (uid: string) => Promise<CardSummary>;
  lookupOrders?: (cardNumber: string) => Promise<readonly OfferedOrder[]>;
  deliver?: (input: DeliverInput, signal: AbortSignal) => Promise<DeliveryOutcome>;
  verifyPin?: (input: VerifyPinInput) => Promise<PinResult>;
  maintenanceAction?: (action: MaintenanceAction) => Promise<MaintenanceActionResult>;
  inspectCard?: (uid: string) => Promise<CardInspection>;
  assessJourneys?: (input: AssessJourneysInput) => Promise<readonly JourneyAssessment[]>;
  claim?: (input: ClaimInput) => Promise<ClaimOutcome>;
  /** Out of service as left by a technician before a restart. */
  serviceReason?: ServiceReason | null;
}

export function startHarness(fakes: FakeActors = {}): Harness {
  const deliveries: DeliverInput[] = [];
  const claims: ClaimInput[] = [];
  const assessments: AssessJourneysInput[] = [];
  const machine = kioskMachine.provide({
    actors: {
      assessJourneys: fromPromise(async ({ input }: { input: AssessJourneysInput }) => {
        assessments.push(input);
        return fakes.assessJourneys ? fakes.assessJourneys(input) : assessment;
      }),
      claim: fromPromise(async ({ input }: { input: ClaimInput }) => {
        claims.push(input);
        return fakes.claim ? fakes.claim(input) : ({ status: 'granted', orderId: 'refund-1', amountCents: 445 } satisfies ClaimOutcome);
      }),
      readCard: fromPromise(async ({ input }: { input: { uid: string } }) =>
        fakes.readCard ? fakes.readCard(input.uid) : { ...travellerCard, uid: input.uid },
      ),
      lookupOrders: fromPromise(async ({ input }: { input: { cardNumber: string } }) =>
        fakes.lookupOrders ? fakes.lookupOrders(input.cardNumber) : [codeOrder, topupOrder],
      ),
      deliver: fromPromise(async ({ input, signal }: { input: DeliverInput; signal: AbortSignal }) => {
        deliveries.push(input);
        if (fakes.deliver) return fakes.deliver(input, signal);
        return { kind: 'kaartservicecode', code: '4821-9034' } satisfies DeliveryOutcome;
      }),
      maintenance: maintenanceMachine.provide({
        actors: {
          verifyPin: fromPromise(async ({ input }: { input: VerifyPinInput }) =>
            fakes.verifyPin ? fakes.verifyPin(input) : ({ result: 'ok', technicianId: 'T-0001' } satisfies PinResult),
          ),
          maintenanceAction: fromPromise(
            async ({ input }: { input: { action: MaintenanceAction; technicianId: string } }) =>
              fakes.maintenanceAction ? fakes.maintenanceAction(input.action) : { action: input.action.type, ok: true },
          ),
          inspectCard: fromPromise(async ({ input }: { input: { uid: string } }) =>
            fakes.inspectCard
              ? fakes.inspectCard(input.uid)
              : ({ ok: false, reason: 'foreignCard' } satisfies CardInspection),
          ),
        },
      }),
    },
  });
  const clock = new SimulatedClock();
  const actor = createActor(machine, { clock, input: { serviceReason: fakes.serviceReason ?? null } });
  actor.start();
  actor.send({ type: 'READER_STATUS', status: 'ready' });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    actor,
    clock,
    deliveries,
    claims,
    assessments,
    state: () => stateName(actor),
    maintenance: () => maintenanceOf(actor.getSnapshot())?.context,
    tapCard: (uid = travellerCard.uid) => actor.send({ type: 'CARD_PRESENT', uid }),
    removeCard: () => actor.send({ type: 'CARD_REMOVED' }),
    advance: async (ms) => {
      clock.increment(ms);
      await settle();
    },
    settle,
  };
}

/** "session.menu" style name of the deepest active state ("maintenance.pin": the child's). */
export function stateName(actor: KioskActor): string {
  const snapshot = actor.getSnapshot();
  const technician = maintenanceOf(snapshot);
  if (technician) return `maintenance.${String(technician.value)}`;
  const value = snapshot.value;
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([parent, child]) => `${parent}.${typeof child === 'string' ? child : Object.keys(child ?? {}).join()}`)
    .join();
}

export { KioskFailure };
