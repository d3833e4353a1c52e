import { useId } from 'react';
import { SERVICE_REASONS, type ServiceReason } from '../../../domain/index.js';
import { Button } from '../../components/Button.js';
import { useKiosk } from '../../kiosk-context.js';

export function OutOfServicePage({ current, busy }: { readonly current: ServiceReason | null; readonly busy: boolean }) {
  const { t, send } = useKiosk();
  const chooseId = useId();
  return (
    <>
      <p className={current === null ? 'service-state' : 'service-state service-state--out'}>
        {current === null
          ? t('maintenance.outOfService.inService')
          : t('maintenance.outOfService.isOut', { reason: t(`maintenance.serviceReasons.${current}`) })}
      </p>
      <h3 id={chooseId}>{t('maintenance.outOfService.choose')}</h3>
      <ul className="service-reasons" aria-labelledby={chooseId}>
        {SERVICE_REASONS.map((reason) => (
          <li key={reason}>
            <Button
              variant="secondary"
              pressed={reason === current}
              disabled={busy}
              onClick={() => send({ type: 'MAINT_OUT_OF_SERVICE', reason })}
            >
              {t(`maintenance.outOfService.take.${reason}`)}
            </Button>
            <p className="service-preview">
              {t('maintenance.outOfService.travellersSee', { text: t(`outOfService.serviceReasons.${reason}`) })}
            </p>
          </li>
        ))}
      </ul>
      <div className="maint-actions">
        <Button disabled={busy || current === null} onClick={() => send({ type: 'MAINT_ACTION', action: 'backInService' })}>
          {t('maintenance.actions.backInService')}
        </Button>
      </div>
    </>
  );
}
