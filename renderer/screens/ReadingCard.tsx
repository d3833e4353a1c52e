import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function ReadingCard() {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="readingCard" title={t('readingCard.title')} live>
      <div className="spinner" aria-hidden="true" />
      <p>{t('readingCard.body')}</p>
    </ScreenLayout>
  );
}
