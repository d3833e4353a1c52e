// Views as the kiosk service would send them.
import type { CardView, KioskView, OrderView, Screen } from '../../kiosk/contract.js';

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

export function view(screen: Screen, overrides: Partial<KioskView> = {}): KioskView {
  return { language: 'nl', screen, inactivityWarning: false, demo: false, dev: null, ...overrides };
}
