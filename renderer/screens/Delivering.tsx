import type { OrderView } from '../../kiosk/contract.js';
import { OrderSummary } from '../components/OrderSummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function Delivering({ order }: { readonly order: OrderView }) {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="delivering" title={t('delivering.title')} live>
      <div className="spinner" aria-hidden="true" />
      <p className="emphasis">{t('delivering.body')}</p>
      <div className="order-box">
        <OrderSummary order={order} />
      </div>
    </ScreenLayout>
  );
}
