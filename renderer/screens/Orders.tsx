import type { CardView, OrderView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { OrderSummary } from '../components/OrderSummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function Orders({ orders }: { readonly card: CardView; readonly orders: readonly OrderView[] }) {
  const { t, send } = useKiosk();
  return (
    <ScreenLayout
      name="orders"
      title={t('orders.title')}
      actions={
        <Button variant="secondary" onClick={() => send({ type: 'BACK' })} back>
          {t('common.back')}
        </Button>
      }
    >
      <p>{t('orders.body')}</p>
      <ul className="order-list">
        {orders.map((order) => (
          <li key={order.id}>
            <button
              type="button"
              className="order-button"
              onClick={() => send({ type: 'SELECT_ORDER', orderId: order.id })}
            >
              <OrderSummary order={order} />
            </button>
          </li>
        ))}
      </ul>
    </ScreenLayout>
  );
}
