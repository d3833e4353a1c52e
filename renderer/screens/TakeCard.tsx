import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/** The session is over and the card still lies on the reader. */
export function TakeCard() {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="takeCard" title={t('takeCard.title')} live>
      <div className="take-card-picture" aria-hidden="true" />
      <p>{t('takeCard.body')}</p>
    </ScreenLayout>
  );
}
