import type { CardView, OrderView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { OrderSummary } from '../components/OrderSummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function Confirm({ order }: { readonly card: CardView; readonly order: OrderView }) {
  const { t, send } = useKiosk();
  return (
    <ScreenLayout
      name="confirm"
      title={t('confirm.title')}
      actions={
        <>
          <Button onClick={() => send({ type: 'CONFIRM' })}>{t('confirm.ok')}</Button>
          <Button variant="secondary" onClick={() => send({ type: 'CANCEL' })} back>
            {t('confirm.cancel')}
          </Button>
        </>
      }
    >
      <div className="order-box">
        <OrderSummary order={order} />
      </div>
      <p>{t('confirm.body')}</p>
    </ScreenLayout>
  );
}
