import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function CheckingPin() {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="checkingPin" title={t('checkingPin.title')} live>
      <div className="spinner" aria-hidden="true" />
      <p>{t('checkingPin.body')}</p>
    </ScreenLayout>
  );
}
