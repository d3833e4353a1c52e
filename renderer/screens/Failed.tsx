import type { DeliveryFailure } from '../../kiosk/contract.js';
import { MAX_BALANCE_CENTS } from '../../domain/index.js';
import { Button } from '../components/Button.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function Failed({ reason }: { readonly reason: DeliveryFailure }) {
  const { t, money, send } = useKiosk();
  return (
    <ScreenLayout
      name="failed"
      title={t('failed.title')}
      actions={
        <>
          <Button onClick={() => send({ type: 'PICKUP' })}>{t('failed.retry')}</Button>
          <Button variant="secondary" onClick={() => send({ type: 'STOP' })} back>
            {t('common.stop')}
          </Button>
        </>
      }
    >
      {/* Every delivery failure leaves the order in the cache: say so first. */}
      <p className="emphasis">{t('failed.orderSafe')}</p>
      <p>{t(`failed.reasons.${reason}`, { max: money(MAX_BALANCE_CENTS) })}</p>
    </ScreenLayout>
  );
}
