// Views as the kiosk service would send them.
import type { CardView, JourneyView, KioskView, MaintenanceStatus, MaintenanceView, OrderView, Screen } from '../../kiosk/contract.js';
import { NO_ASSIST, type CardInspection } from '../../domain/index.js';

export const card: CardView = { maskedNumber: '•••• •••• •••• 5678', balanceCents: 1250, expiry: '2031-03-31' };

type OrderOf<K extends OrderView['kind']> = Extract<OrderView, { kind: K }>;

export const codeOrder: OrderOf<'kaartservicecode'> = { id: 'ord-ksc-1', kind: 'kaartservicecode', orderedAt: '2025-11-20T10:15:00Z' };
export const productOrder: OrderOf<'product'> = {
  id: 'ord-prod-1',
  kind: 'product',
  orderedAt: '2025-11-19T08:00:00Z',
  productCode: 'DAL_VOORDEEL',
  validFrom: '2025-12-01',
  validUntil: '2026-11-30',
};
export const topupOrder: OrderOf<'topup'> = { id: 'ord-topup-1', kind: 'topup', orderedAt: '2025-11-18T12:00:00Z', amountCents: 2000 };

export const KAARTSERVICECODE = '48213377';

export const SERVICE_KEY = 'Control+Alt+KeyM';

export function view(screen: Screen, overrides: Partial<KioskView> = {}): KioskView {
  return {
    language: 'nl',
    assist: NO_ASSIST,
    timing: { warningSeconds: 30, resetSeconds: 45 },
    screen,
    inactivityWarning: false,
    demo: false,
    serviceKey: SERVICE_KEY,
    ...overrides,
  };
}

// ---------------------------------------------------------------- maintenance

export const status: MaintenanceStatus = {
  overall: 'amber',
  reader: {
    health: 'green',
    name: 'ACS ACR122U PICC Interface',
    status: 'ready',
    lastCardAt: '2025-11-20T10:15:30Z',
    errorsSinceStart: 2,
  },
  store: { health: 'green', sizeBytes: 12_345_678, pendingOrders: 17, unsettledDeliveries: 1 },
  sync: {
    health: 'amber',
    configured: true,
    online: false,
    lastSuccessAt: null,
    outboxDepth: 4,
    lagSeconds: 95,
  },
  app: { health: 'green', version: '0.1.0', uptimeSeconds: 3 * 3600 + 25 * 60 + 12, outOfService: null },
  disk: { health: 'red', freeBytes: 450_000_000, totalBytes: 32_000_000_000 },
  fault: null,
  clock: { health: 'green', offsetSeconds: 1, farOff: false },
};

export function maintenance(overrides: Partial<MaintenanceView> = {}): Extract<Screen, { name: 'maintenance' }> {
  return {
    name: 'maintenance',
    maintenance: {
      page: 'status',
      busy: false,
      lastAction: null,
      status,
      testCard: null,
      log: [],
      audit: [],
      deliveries: [],
      ...overrides,
    },
  };
}

export const inspection: Extract<CardInspection, { ok: true }> = {
  ok: true,
  maskedNumber: '•••• •••• •••• 5678',
  kind: 'traveller',
  expiry: '2031-03-31',
  balanceCents: 1250,
  products: [{ productCode: 'WEEKEND_VRIJ', validFrom: '2025-12-01', validUntil: '2026-11-30' }],
  ordersOnCard: 3,
  activeRecord: 'B',
  sequence: 42,
  layoutVersion: 1,
  uid: '04A1B2C3D4E5F6',
};

// ---------------------------------------------------------------- traveller screens

type ScreenOf<N extends Screen['name']> = Extract<Screen, { name: N }>;

export function ordersScreen(orders: readonly OrderView[], change: ScreenOf<'orders'>['change'] = null): ScreenOf<'orders'> {
  return { name: 'orders', card, orders, change, collectAll: false };
}

export function noOrdersScreen(change: ScreenOf<'noOrders'>['change'] = null): ScreenOf<'noOrders'> {
  return { name: 'noOrders', card, change };
}

export function deliveredScreen(
  order: OrderView,
  outcome: ScreenOf<'delivered'>['outcome'],
  more: Partial<Omit<ScreenOf<'delivered'>, 'name' | 'order' | 'outcome'>> = {},
): ScreenOf<'delivered'> {
  return { name: 'delivered', order, outcome, collected: [], cardGone: false, graceSeconds: 20, moreOrders: true, shownAgainHours: 24, ...more };
}

export function failedScreen(
  reason: ScreenOf<'failed'>['reason'],
  more: Partial<Omit<ScreenOf<'failed'>, 'name' | 'reason'>> = {},
): ScreenOf<'failed'> {
  return { name: 'failed', reason, collected: [], retry: false, chooseAnother: false, ...more };
}

// ---------------------------------------------------------------- Reizen en Geld Terug

export const delayedJourney: JourneyView = {
  id: '2026-11-20T08:02:00.000Z',
  from: 'utrecht-centraal',
  to: 'amsterdam-centraal',
  checkedInAt: '2026-11-20T08:02:00.000Z',
  checkedOutAt: '2026-11-20T09:10:00.000Z',
  chargedCents: 890,
  money: { status: 'eligible', kind: 'delay', delayMinutes: 42, amountCents: 445, reason: null, decisionAfter: null },
  claimable: true,
};
export const forgottenJourney: JourneyView = {
  id: '2026-11-18T17:00:00.000Z',
  from: 'zwolle',
  to: null,
  checkedInAt: '2026-11-18T17:00:00.000Z',
  checkedOutAt: null,
  chargedCents: 2000,
  money: { status: 'eligible', kind: 'forgottenCheckOut', delayMinutes: null, amountCents: null, reason: null, decisionAfter: null },
  claimable: true,
};
export const waitingJourney: JourneyView = {
  ...delayedJourney,
  id: '2026-11-19T07:00:00.000Z',
  checkedInAt: '2026-11-19T07:00:00.000Z',
  checkedOutAt: '2026-11-19T08:15:00.000Z',
  money: { status: 'waiting', kind: 'delay', delayMinutes: null, amountCents: null, reason: null, decisionAfter: '2026-11-26T07:00:00.000Z' },
  claimable: false,
};
export const claimedJourney: JourneyView = {
  ...delayedJourney,
  id: '2026-11-16T07:00:00.000Z',
  checkedInAt: '2026-11-16T07:00:00.000Z',
  checkedOutAt: '2026-11-16T08:30:00.000Z',
  money: { status: 'claimed', kind: 'delay', delayMinutes: 75, amountCents: 890, reason: null, decisionAfter: null },
  claimable: false,
};
export const refusedJourney: JourneyView = {
  id: '2026-11-17T07:30:00.000Z',
  from: 'breda',
  to: 'rotterdam-centraal',
  checkedInAt: '2026-11-17T07:30:00.000Z',
  checkedOutAt: '2026-11-17T07:55:00.000Z',
  chargedCents: 560,
  money: { status: 'none', kind: null, delayMinutes: 40, amountCents: null, reason: 'announcedInAdvance', decisionAfter: null },
  claimable: false,
};
/** A journey as the card alone shows it (the back office could not be asked). */
export function fromCardOnly(journey: JourneyView): JourneyView {
  return { ...journey, money: null, claimable: false };
}

export function journeysScreen(journeys: readonly JourneyView[], unavailable: ScreenOf<'journeys'>['unavailable'] = null): ScreenOf<'journeys'> {
  return { name: 'journeys', card, journeys, unavailable };
}

export function claimResultScreen(more: Partial<Omit<ScreenOf<'claimResult'>, 'name'>> = {}): ScreenOf<'claimResult'> {
  return {
    name: 'claimResult',
    journey: delayedJourney,
    outcome: { status: 'granted', orderId: 'refund-1', amountCents: 445 },
    failure: null,
    pickup: true,
    refundReady: true,
    ...more,
  };
}

export const chooseDestinationScreen: ScreenOf<'chooseDestination'> = {
  name: 'chooseDestination',
  journey: forgottenJourney,
  destinations: [
    { station: 'amsterdam-centraal', refundCents: 1170 },
    { station: 'utrecht-centraal', refundCents: 1250 },
    { station: 'arnhem-centraal', refundCents: 1450 },
  ],
};
