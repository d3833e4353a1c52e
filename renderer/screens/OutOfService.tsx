import type { OutOfServiceReason } from '../../kiosk/contract.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function OutOfService({ reason }: { readonly reason: OutOfServiceReason }) {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="outOfService" title={t('outOfService.title')} live>
      <p>{t(`outOfService.reasons.${reason}`)}</p>
    </ScreenLayout>
  );
}
