// Names and details of orders and products, shared by the screens that show an order.
import type { TFunction } from 'i18next';
import type { OrderView } from '../../kiosk/contract.js';
import { isProductCode } from '../../domain/index.js';

/** A code this renderer has no name for (a newer back office) still gets a sensible one. */
export function productName(code: string, t: TFunction): string {
  return isProductCode(code) ? t(`products.${code}`) : t('products.unknown');
}

export interface OrderText {
  readonly title: string;
  readonly details: readonly string[];
}

export function orderText(
  order: OrderView,
  t: TFunction,
  money: (cents: number) => string,
  date: (iso: string) => string,
): OrderText {
  // When it was ordered, and until when it can be collected (every order that has a deadline).
  const when: string[] = [t('order.orderedAt', { date: date(order.orderedAt) })];
  if (order.expiresAt) when.push(t('order.pickupBefore', { date: date(order.expiresAt) }));
  switch (order.kind) {
    case 'kaartservicecode':
      return { title: t('order.kaartservicecode'), details: [t('order.kaartservicecodeDetail'), ...when] };
    case 'product':
      return {
        title: productName(order.productCode, t),
        details: [t('order.validity', { from: date(order.validFrom), until: date(order.validUntil) }), ...when],
      };
    case 'topup':
      return { title: t('order.topup', { amount: money(order.amountCents) }), details: [t('order.topupDetail'), ...when] };
    default: {
      const _never: never = order;
      return { title: t('products.unknown'), details: [] };
    }
  }
}
