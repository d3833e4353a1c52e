import type { OrderView, OutcomeView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { productName } from '../components/order-text.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

function Outcome({ outcome }: { readonly outcome: OutcomeView }) {
  const { t, money, date } = useKiosk();
  switch (outcome.kind) {
    case 'kaartservicecode':
      return (
        <div className="outcome">
          <p className="code-label">{t('delivered.codeLabel')}</p>
          <p className="code" data-testid="kaartservicecode" data-secret="">
            {outcome.code}
          </p>
          <p className="emphasis">{t('delivered.codeOnlyNow')}</p>
        </div>
      );
    case 'product':
      return (
        <div className="outcome order-box">
          <p className="order-title">{productName(outcome.product.productCode, t)}</p>
          <p>
            {t('order.validity', { from: date(outcome.product.validFrom), until: date(outcome.product.validUntil) })}
          </p>
        </div>
      );
    case 'topup':
      return (
        <div className="outcome order-box">
          <p className="order-title">{t('delivered.topupAmount', { amount: money(outcome.amountCents) })}</p>
          <p>{t('delivered.newBalance', { balance: money(outcome.balanceCents) })}</p>
        </div>
      );
    default: {
      const _never: never = outcome;
      return null;
    }
  }
}

function titleKey(outcome: OutcomeView) {
  switch (outcome.kind) {
    case 'kaartservicecode':
      return 'delivered.titleCode' as const;
    case 'product':
      return 'delivered.titleProduct' as const;
    case 'topup':
      return 'delivered.titleTopup' as const;
    default: {
      const _never: never = outcome;
      return 'delivered.titleProduct' as const;
    }
  }
}

export function Delivered({ outcome }: { readonly order: OrderView; readonly outcome: OutcomeView }) {
  const { t, send } = useKiosk();
  return (
    <ScreenLayout
      name="delivered"
      title={t(titleKey(outcome))}
      actions={
        <>
          <Button onClick={() => send({ type: 'PICKUP' })}>{t('delivered.another')}</Button>
          <Button variant="secondary" onClick={() => send({ type: 'STOP' })} back>
            {t('delivered.done')}
          </Button>
        </>
      }
    >
      <Outcome outcome={outcome} />
    </ScreenLayout>
  );
}
