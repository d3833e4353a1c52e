import type { DeliveryFailure } from '../../kiosk/contract.js';
import { MAX_BALANCE_CENTS } from '../../domain/index.js';
import type { OrderView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { orderText } from '../components/order-text.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/** Failures after which the order is gone from the kiosk: "niet verloren" would not be true. */
const ORDER_GONE: ReadonlySet<DeliveryFailure> = new Set(['orderCancelled', 'orderExpired', 'orderDelivered']);

export interface FailedProps {
  readonly reason: DeliveryFailure;
  /** "Alles ophalen" stopped part-way: what it did collect. */
  readonly collected: readonly OrderView[];
  /** The machine would act on Opnieuw proberen (the failure may pass, the card is there). */
  readonly retry: boolean;
  /** The machine would go back to the orders. */
  readonly chooseAnother: boolean;
}

export function Failed({ reason, collected, retry, chooseAnother }: FailedProps) {
  const { t, money, date, send } = useKiosk();
  const primary = retry || chooseAnother;
  return (
    <ScreenLayout
      name="failed"
      title={t('failed.title')}
      actions={
        <>
          {retry && <Button onClick={() => send({ type: 'PICKUP' })}>{t('failed.retry')}</Button>}
          {chooseAnother && <Button onClick={() => send({ type: 'BACK' })}>{t('failed.chooseAnother')}</Button>}
          <Button variant={primary ? 'secondary' : 'primary'} onClick={() => send({ type: 'STOP' })} back>
            {t('common.stop')}
          </Button>
        </>
      }
    >
      {/* Say first what became of the order (or of the card, when the order is gone). */}
      <p className="emphasis">{ORDER_GONE.has(reason) ? t('failed.nothingChanged') : t('failed.orderSafe')}</p>
      <p>{t(`failed.reasons.${reason}`, { max: money(MAX_BALANCE_CENTS) })}</p>
      {collected.length > 0 && (
        <p className="emphasis">
          {t('failed.collected', { orders: collected.map((order) => orderText(order, t, money, date).title).join(', ') })}
        </p>
      )}
    </ScreenLayout>
  );
}
