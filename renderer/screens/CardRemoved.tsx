import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/** The card left before Akkoord: nothing was written, the orders wait. */
export function CardRemoved() {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="cardRemoved" title={t('cardRemoved.title')} live>
      <p className="emphasis">{t('cardRemoved.body')}</p>
      <p>{t('cardRemoved.hint')}</p>
    </ScreenLayout>
  );
}
