import type { Fault, OutOfServiceReason } from '../../kiosk/contract.js';
import type { ServiceReason } from '../../domain/index.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { faultDetailLines } from '../fault-detail.js';
import { useKiosk } from '../kiosk-context.js';

export function OutOfService({
  reason,
  serviceReason,
  fault,
}: {
  readonly reason: OutOfServiceReason;
  readonly serviceReason: ServiceReason | null;
  readonly fault: Fault | null;
}) {
  const { t, bytes } = useKiosk();
  // Taken out of service by a technician: the traveller sees why, and where to go instead.
  // A fault (configuration, storage): only that this machine cannot help now; the line under
  // it is for the technician (which fault, the file, what is wrong), since without a working
  // configuration there may be no maintenance screen to look at.
  const text =
    reason === 'manual' && serviceReason !== null
      ? t(`outOfService.serviceReasons.${serviceReason}`)
      : t(`outOfService.reasons.${reason}`);
  return (
    <ScreenLayout name="outOfService" title={t('outOfService.title')} live>
      <p>{text}</p>
      {reason === 'fault' && fault && (
        <div className="technician-line" data-testid="fault-line">
          <p>{t('outOfService.technician', { fault: t(`maintenance.faults.${fault.code}`) })}</p>
          {faultDetailLines(t, fault.detail, bytes).map((detail, i) => (
            <p key={i}>{fault.file && i === 0 ? t('outOfService.technicianDetail', { file: fault.file, detail }) : detail}</p>
          ))}
        </div>
      )}
    </ScreenLayout>
  );
}
