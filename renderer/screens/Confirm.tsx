import type { CardView, OrderView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { OrderSummary } from '../components/OrderSummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function Confirm({ order, also }: { readonly card: CardView; readonly order: OrderView; readonly also: readonly OrderView[] }) {
  const { t, send } = useKiosk();
  // "Alles ophalen": every order that will be collected, one after the other.
  const all = [order, ...also];
  return (
    <ScreenLayout
      name="confirm"
      title={all.length > 1 ? t('confirm.titleAll', { count: all.length }) : t('confirm.title')}
      actions={
        <>
          <Button onClick={() => send({ type: 'CONFIRM' })}>{t('confirm.ok')}</Button>
          <Button variant="secondary" onClick={() => send({ type: 'CANCEL' })} back>
            {t('confirm.cancel')}
          </Button>
        </>
      }
    >
      {all.length > 1 ? (
        <ul className="order-list order-list--confirm">
          {all.map((item) => (
            <li key={item.id} className="order-box">
              <OrderSummary order={item} />
            </li>
          ))}
        </ul>
      ) : (
        <div className="order-box">
          <OrderSummary order={order} />
        </div>
      )}
      <p>{t('confirm.body')}</p>
    </ScreenLayout>
  );
}
