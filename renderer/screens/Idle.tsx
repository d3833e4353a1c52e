import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function Idle() {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="idle" title={t('idle.title')}>
      <div className="reader-hint" aria-hidden="true" />
      <p>{t('idle.body')}</p>
    </ScreenLayout>
  );
}
