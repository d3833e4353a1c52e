import type { CardView, OrderView, ReceiptView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { OrderSummary } from '../components/OrderSummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function Confirm({
  order,
  also,
  receipt,
}: {
  readonly card: CardView;
  readonly order: OrderView;
  readonly also: readonly OrderView[];
  readonly receipt?: ReceiptView | undefined;
}) {
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
      {/* Said before Akkoord: the printer cannot print, so there will be no receipt. */}
      <div role="status" className="receipt-status">
        {receipt && !receipt.available && (
          <p className="notice notice--receipt" data-testid="no-receipt">
            {t('confirm.noReceipt')}
          </p>
        )}
      </div>
    </ScreenLayout>
  );
}
