import type { CSSProperties } from 'react';
import type { OrderView } from '../../kiosk/contract.js';
import { OrderSummary } from '../components/OrderSummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/**
 * The deadline drawn as a draining bar and a falling number, both pure CSS animations
 * over `seconds`. Visual only: the machine owns the real deadline, so no timer here.
 */
function Countdown({ seconds }: { readonly seconds: number }) {
  const style = { '--deadline': `${seconds}s`, '--from': seconds } as CSSProperties;
  return (
    <div className="countdown" style={style} aria-hidden="true">
      <span className="countdown-number" />
      <span className="countdown-track">
        <span className="countdown-bar" />
      </span>
    </div>
  );
}

export function Interrupted({
  order,
  differentCard,
  deadlineSeconds,
}: {
  readonly order: OrderView;
  readonly differentCard: boolean;
  readonly deadlineSeconds: number;
}) {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="interrupted" title={t('interrupted.title')}>
      {differentCard && (
        <div className="alert" role="alert">
          <p className="alert-title">{t('interrupted.differentCard')}</p>
          <p>{t('interrupted.differentCardHint')}</p>
        </div>
      )}
      <p>{t('interrupted.body')}</p>
      {/* Keyed by order so a second interruption starts a fresh countdown. */}
      <Countdown key={order.id} seconds={deadlineSeconds} />
      <p>{t('interrupted.deadline', { count: deadlineSeconds })}</p>
      <div className="order-box">
        <OrderSummary order={order} />
      </div>
    </ScreenLayout>
  );
}
