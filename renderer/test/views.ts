// Views as the kiosk service would send them.
import type { CardView, KioskView, MaintenanceStatus, MaintenanceView, OrderView, Screen } from '../../kiosk/contract.js';
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
