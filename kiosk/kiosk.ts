// Composition root: the machine with its actors, wired to a reader and a store, exposed
// to carriers as a KioskService.
import { randomUUID, type KeyObject } from 'node:crypto';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { createActor, fromCallback, fromPromise } from 'xstate';
import type { CardCodec } from '../hardware/card-layout.js';
import type { CardReader, ReaderState } from '../hardware/card-reader.js';
import {
  kioskMachine,
  maintenanceMachine,
  maintenanceOf,
  type AssessJourneysInput,
  type ClaimInput,
  type DeliverInput,
  type KioskActor,
  type KioskEvent,
  type MaintenanceActionInput,
  type MaintenanceActor,
  type MaintenanceEvent,
  type PrintReceiptInput,
  type UserEvent,
  type VerifyPinInput,
  type WatchOrdersInput,
} from '../machine/kiosk-machine.js';
import {
  KioskFailure,
  isProductCode,
  type BackOfficeFailure,
  type CardJourney,
  type ClaimOutcome,
  type DeliveryFailure,
  type Fault,
  type JourneyAssessment,
  type ReaderPosition,
  type StationCode,
} from '../domain/index.js';
import type { Store } from '../store/index.js';
import { parseUiEvent, type KioskView, type UiEvent } from './contract.js';
import { createDeliveryService, type DeliveryService } from './delivery.js';
import { eventLogger } from './event-log.js';
import { createMaintenance, type Maintenance } from './maintenance.js';
import { rateLimitedLog } from './log-limiter.js';
import { createOffer, explained, type Offer } from './offer.js';
import type { ReceiptService } from './receipts.js';
import type { KioskService, UiEventResult } from './service-types.js';
import type { FaultSource } from './store-watch.js';
import { toView } from './view.js';

// The contract's UiEvent and the machine's UserEvent must stay the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractMatchesMachine: Same<UiEvent, UserEvent> = true;
void contractMatchesMachine;

/**
 * The back office's side of Reizen en Geld Terug (the sync client's assessJourneys and
 * claim). Each rejects with a KioskFailure<BackOfficeFailure>.
 */
export interface JourneysPort {
  assessJourneys(cardNumber: string, journeys: readonly CardJourney[]): Promise<readonly JourneyAssessment[]>;
  claim(request: {
    cardNumber: string;
    journey: CardJourney;
    kind: ClaimInput['kind'];
    destination?: StationCode;
  }): Promise<ClaimOutcome>;
}

/** What the journey list sends the back office: the newest journeys, as many as the protocol takes. */
export const MAX_JOURNEYS_ASKED = 32;

export interface KioskOptions {
  readonly reader: CardReader;
  readonly codec: CardCodec;
  readonly store: Store;
  readonly log: Logger;
  /** Maintenance behind the machine; by default one without sync or reader restart. */
  readonly maintenance?: Maintenance;
  /** The key combination standing for the cabinet's key switch (KeyboardEvent terms). */
  readonly serviceKey?: string;
  /** The demo (the view says so: badged DEMO). */
  readonly demo?: boolean;
  readonly now?: () => Date;
  /** A simulated clock in tests. */
  readonly clock?: NonNullable<Parameters<typeof createActor>[1]>['clock'];
  /** The back office's order key: an order is written only with its valid signature. */
  readonly orderKey?: KeyObject | undefined;
  /** Faults that keep the kiosk out of service until they are gone (kiosk/store-watch.ts). */
  readonly faults?: FaultSource | undefined;
  /** The station's receipt printer; without one, no "Bon afdrukken" and no word of receipts. */
  readonly receipts?: ReceiptService | undefined;
  /** Where the reader is on this cabinet, shown on the idle screen. */
  readonly readerPosition?: ReaderPosition | undefined;
  /** The back office for journeys and claims; without one the journeys are shown from the card alone. */
  readonly journeys?: JourneysPort | undefined;
}

export interface Kiosk extends KioskService {
  readonly actor: KioskActor;
  readonly delivery: DeliveryService;
  readonly maintenance: Maintenance;
  readonly offer: Offer;
}

export const DEFAULT_SERVICE_KEY = 'Control+Alt+KeyM';
/** While a technician looks at the status, it is refreshed this often. */
const STATUS_REFRESH_MS = 2_000;

/** Turns the reader's state changes into the machine's events. */
export function readerEvents(previous: ReaderState | null, next: ReaderState): KioskEvent[] {
  const events: KioskEvent[] = [];
  // A card the reader could not read (card_error) is still a card on the reader: its
  // leaving ends the session just like a readable card's.
  const hadCard = previous?.status === 'card_present' || previous?.status === 'card_error';
  const hadUid = previous?.status === 'card_present' ? previous.uid : null;
  const sameCard = next.status === 'card_present' && next.uid === hadUid;
  if (hadCard && !sameCard && next.status !== 'card_error') events.push({ type: 'CARD_REMOVED' });
  if (previous?.status !== next.status) events.push({ type: 'READER_STATUS', status: next.status });
  if (next.status === 'card_present' && next.uid !== hadUid) events.push({ type: 'CARD_PRESENT', uid: next.uid });
  return events;
}

/** Event types the technician's machine handles anywhere: in maintenance, it decides on them. */
const MAINTENANCE_EVENT_TYPES: ReadonlySet<string> = new Set(maintenanceMachine.root.events);
const isMaintenanceEvent = (event: UiEvent): event is Extract<UiEvent, MaintenanceEvent> => MAINTENANCE_EVENT_TYPES.has(event.type);

/**
 * Whether the kiosk, as it is now, takes `event`. ACTIVITY only says someone is there
 * (the renderer sends it on any touch), so it is taken on every screen.
 */
function takes(snapshot: ReturnType<KioskActor['getSnapshot']>, event: UiEvent): boolean {
  if (event.type === 'ACTIVITY') return true;
  if (!snapshot.can(event)) return false;
  const technicianSide = maintenanceOf(snapshot);
  if (technicianSide && isMaintenanceEvent(event)) return technicianSide.can(event);
  return true;
}

export function createKiosk(options: KioskOptions): Kiosk {
  const { reader, codec, store, log, receipts } = options;
  const now = options.now ?? (() => new Date());
  const maintenance =
    options.maintenance ??
    createMaintenance({ store, reader, codec, log, now, version: 'unknown', dataDir: dirname(store.file) });
  const delivery = createDeliveryService({ reader, codec, store, now, newId: randomUUID, log, orderKey: options.orderKey });
  const offer = createOffer({ store, delivery, log, now });

  const machine = kioskMachine.provide({
    actors: {
      cardEvents: fromCallback<KioskEvent>(({ sendBack }) => {
        let previous: ReaderState | null = null;
        const forward = (next: ReaderState) => {
          for (const event of readerEvents(previous, next)) sendBack(event);
          previous = next;
        };
        const unsubscribe = reader.subscribe(forward);
        forward(reader.state());
        return unsubscribe;
      }),
      readCard: fromPromise(({ input, signal }: { input: { uid: string }; signal: AbortSignal }) =>
        delivery.readCard(input.uid, signal),
      ),
      lookupOrders: fromPromise(async ({ input }: { input: { cardNumber: string } }) =>
        offer.lookupOrders(input.cardNumber),
      ),
      watchOrders: fromCallback<KioskEvent, WatchOrdersInput>(({ input, sendBack }) => offer.watch(input, sendBack)),
      deliver: fromPromise(async ({ input, signal }: { input: DeliverInput; signal: AbortSignal }) => {
        // Never offered, but never written either: the card layout has no number for it.
        if (input.order.kind === 'product' && !isProductCode(input.order.productCode)) {
          throw new KioskFailure<DeliveryFailure>('unknownProduct');
        }
        try {
          return await delivery.deliver(input, signal);
        } catch (error) {
          // An order that went while the traveller looked at it: say what happened to it.
          throw explained(offer, input.order.id, error);
        }
      }),
      assessJourneys: fromPromise(async ({ input }: { input: AssessJourneysInput }) => {
        if (!options.journeys) throw new KioskFailure<BackOfficeFailure>('notConfigured');
        const asked = input.journeys.slice(0, MAX_JOURNEYS_ASKED);
        return options.journeys.assessJourneys(input.cardNumber, asked);
      }),
      claim: fromPromise(async ({ input }: { input: ClaimInput }) => {
        if (!options.journeys) throw new KioskFailure<BackOfficeFailure>('notConfigured');
        const { destination, ...rest } = input;
        return options.journeys.claim(destination === null ? rest : { ...rest, destination });
      }),
      printReceipt: fromPromise(async ({ input, signal }: { input: PrintReceiptInput; signal: AbortSignal }) => {
        if (!receipts) throw new Error('no receipt printer');
        return receipts.print(input, signal);
      }),
      // A technician at work: the maintenance machine with its own actors.
      maintenance: maintenanceMachine.provide({
        actors: {
          verifyPin: fromPromise(async ({ input }: { input: VerifyPinInput }) => maintenance.verifyPin(input)),
          maintenanceAction: fromPromise(async ({ input }: { input: MaintenanceActionInput }) => maintenance.run(input)),
          inspectCard: fromPromise(({ input, signal }: { input: { uid: string }; signal: AbortSignal }) =>
            maintenance.inspect(input.uid, signal),
          ),
        },
      }),
    },
  });

  const input = { serviceReason: maintenance.serviceReason(), receiptPrinter: receipts !== undefined };
  const inspect = eventLogger(log);
  const actor = createActor(machine, options.clock ? { clock: options.clock, input, inspect } : { input, inspect });
  const listeners = new Set<(view: KioskView) => void>();
  // The renderer chooses what it sends, so it does not choose how much of it is logged.
  const refusals = rateLimitedLog(log);

  const currentView = (): KioskView =>
    toView(actor.getSnapshot(), {
      demo: options.demo ?? false,
      serviceKey: options.serviceKey ?? DEFAULT_SERVICE_KEY,
      maintenance: maintenance.view,
      ...(receipts ? { printer: receipts.condition } : {}),
      ...(options.readerPosition ? { readerPosition: options.readerPosition } : {}),
      waitingOrders: (cardNumber) => offer.lookupOrders(cardNumber).length,
      hasOrder: (cardNumber, orderId) => offer.lookupOrders(cardNumber).some((order) => order.id === orderId),
    });
  const publish = () => {
    const view = currentView();
    for (const listener of [...listeners]) listener(view);
  };

  let technician: string | null = null;
  let refresh: ReturnType<typeof setInterval> | null = null;
  // The maintenance machine also moves on by itself (a PIN checked, an action done): follow it.
  let followed: { child: MaintenanceActor; unsubscribe: () => void } | null = null;
  const follow = (child: MaintenanceActor | undefined) => {
    if (child === followed?.child) return;
    followed?.unsubscribe();
    followed = null;
    if (!child) return;
    const subscription = child.subscribe((m) => {
      if (m.status !== 'active') return;
      technician = m.context.technicianId ?? technician;
      publish();
    });
    followed = { child, unsubscribe: () => subscription.unsubscribe() };
  };
  // The printer's condition is on the confirm and delivered screens: a change is a new view.
  const unsubscribeReceipts = receipts?.subscribe(publish);
  let lastScreen = '';
  actor.subscribe({
    next: (snapshot) => {
      // Before Akkoord, and on the delivered screen, the printer is asked afresh.
      const screen = snapshot.matches({ session: 'confirm' }) ? 'confirm' : snapshot.matches({ session: 'delivered' }) ? 'delivered' : '';
      if (receipts && screen && screen !== lastScreen) void receipts.refresh();
      lastScreen = screen;
      const technicianSide = maintenanceOf(snapshot);
      const inMaintenance = snapshot.matches('maintenance');
      follow(inMaintenance ? snapshot.children.maintenance : undefined);
      technician = technicianSide?.context.technicianId ?? technician;
      if (!inMaintenance && technician) {
        maintenance.audit(technician, 'exit');
        technician = null;
      }
      // The status at a glance stays current while a technician is looking at it.
      if (inMaintenance && !refresh) refresh = setInterval(publish, STATUS_REFRESH_MS);
      if (!inMaintenance && refresh) {
        clearInterval(refresh);
        refresh = null;
      }
      publish();
    },
    error: (error) => log.error({ err: error }, 'kiosk machine stopped with an error'),
  });
  actor.start();
  // A storage fault takes the machine out of service, and its end brings it back.
  const toMachine = (fault: Fault | null) => actor.send(fault ? { type: 'FAULT', fault } : { type: 'FAULT_CLEARED' });
  const initialFault = options.faults?.current() ?? null;
  if (initialFault) toMachine(initialFault);
  const stopFaults = options.faults?.onChange((fault) => queueMicrotask(() => toMachine(fault))) ?? (() => undefined);

  return {
    actor,
    delivery,
    maintenance,
    offer,
    view: currentView,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    receiveUiEvent(raw): UiEventResult {
      const parsed = parseUiEvent(raw);
      if (!parsed.ok) {
        refusals.warn({ error: parsed.error.slice(0, 200) }, 'rejected a malformed UiEvent');
        return parsed;
      }
      if (!takes(actor.getSnapshot(), parsed.value)) {
        const screen = currentView().screen.name;
        refusals.warn({ event: parsed.value.type, screen }, 'rejected a UiEvent the kiosk does not take now');
        return { ok: false, error: `${parsed.value.type} is not taken on the ${screen} screen`, notTaken: true };
      }
      actor.send(parsed.value);
      return parsed;
    },
    async stop() {
      stopFaults();
      unsubscribeReceipts?.();
      refusals.close();
      if (refresh) clearInterval(refresh);
      followed?.unsubscribe();
      actor.stop();
      maintenance.close();
      listeners.clear();
    },
  };
}
