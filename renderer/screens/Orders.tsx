import { useEffect, useState } from 'react';
import type { CardView, OrderListChangeView, OrderView } from '../../kiosk/contract.js';
import { MAX_BALANCE_CENTS } from '../../domain/index.js';
import { Button } from '../components/Button.js';
import { OrderSummary } from '../components/OrderSummary.js';
import { orderText } from '../components/order-text.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/**
 * Orders per page, so that Terug and the pager stay above the fold (measured by the e2e
 * tests at 1080×1920 and 1920×1080): two columns of two on a landscape screen, a column
 * of four on a portrait one; two with large text.
 */
export const ORDERS_PER_PAGE = 4;
export const ORDERS_PER_PAGE_LARGE_TEXT = 2;

/** The list changed while it was open: said once, politely (a status region). */
export function ListChange({ change }: { readonly change: OrderListChangeView | null }) {
  const { t, money, date } = useKiosk();
  return (
    <div className="list-change" role="status">
      {change !== null && change.added > 0 && <p>{t('orders.added', { count: change.added })}</p>}
      {change?.gone.map(({ order, reason }) => (
        <p key={order.id}>
          {t('orders.gone', { order: orderText(order, t, money, date).title, reason: t(`orders.goneReasons.${reason}`) })}
        </p>
      ))}
    </div>
  );
}

function BlockedOrder({ order }: { readonly order: OrderView }) {
  const { t, money } = useKiosk();
  return (
    <div className="order-item order-item--blocked" data-blocked={order.blocked ?? undefined}>
      <OrderSummary order={order} />
      {order.blocked && (
        <p className="order-blocked">
          <span className="visually-hidden">{t('order.blockedLabel')}: </span>
          {t(`order.blocked.${order.blocked}`, { max: money(MAX_BALANCE_CENTS) })}
        </p>
      )}
    </div>
  );
}

export function Orders({
  orders,
  change,
  collectAll,
  refundComing,
}: {
  readonly card: CardView;
  readonly orders: readonly OrderView[];
  readonly change: OrderListChangeView | null;
  readonly collectAll: boolean;
  readonly refundComing?: boolean | undefined;
}) {
  const { t, send, number, largeText } = useKiosk();
  const perPage = largeText ? ORDERS_PER_PAGE_LARGE_TEXT : ORDERS_PER_PAGE;
  const pages = Math.max(1, Math.ceil(orders.length / perPage));
  const [page, setPage] = useState(0);
  // The list may shrink under the traveller (an order cancelled): stay on a page that exists.
  useEffect(() => {
    if (page >= pages) setPage(pages - 1);
  }, [page, pages]);
  const current = Math.min(page, pages - 1);
  const shown = orders.slice(current * perPage, current * perPage + perPage);
  return (
    <ScreenLayout
      name="orders"
      title={t('orders.title')}
      actions={
        <>
          {pages > 1 && (
            <nav className="pager" aria-label={t('orders.pager')}>
              <Button variant="secondary" disabled={current === 0} onClick={() => setPage(current - 1)}>
                {t('orders.previous')}
              </Button>
              <p className="pager-position">{t('orders.pages', { page: number(current + 1), pages: number(pages) })}</p>
              <Button variant="secondary" disabled={current === pages - 1} onClick={() => setPage(current + 1)}>
                {t('orders.next')}
              </Button>
            </nav>
          )}
          {collectAll && <Button onClick={() => send({ type: 'PICKUP_ALL' })}>{t('orders.pickupAll')}</Button>}
          <Button variant="secondary" onClick={() => send({ type: 'BACK' })} back>
            {t('common.back')}
          </Button>
        </>
      }
    >
      <p>{t('orders.body')}</p>
      <ListChange change={change} />
      {refundComing === true && <p className="notice">{t('orders.refundComing')}</p>}
      <ul className="order-list">
        {shown.map((order) => (
          <li key={order.id}>
            {order.blocked ? (
              <BlockedOrder order={order} />
            ) : (
              <button
                type="button"
                className="order-button"
                onClick={() => send({ type: 'SELECT_ORDER', orderId: order.id })}
              >
                <OrderSummary order={order} />
              </button>
            )}
          </li>
        ))}
      </ul>
    </ScreenLayout>
  );
}
