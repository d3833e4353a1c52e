import type { OutOfServiceReason } from '../../kiosk/contract.js';
import type { ServiceReason } from '../../domain/index.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function OutOfService({
  reason,
  serviceReason,
}: {
  readonly reason: OutOfServiceReason;
  readonly serviceReason: ServiceReason | null;
}) {
  const { t } = useKiosk();
  // Taken out of service by a technician: the traveller sees why, and where to go instead.
  const text =
    reason === 'manual' && serviceReason !== null
      ? t(`outOfService.serviceReasons.${serviceReason}`)
      : t(`outOfService.reasons.${reason}`);
  return (
    <ScreenLayout name="outOfService" title={t('outOfService.title')} live>
      <p>{text}</p>
    </ScreenLayout>
  );
}
