import type { CardView } from '../../kiosk/contract.js';
import { CardPanel } from '../components/CardPanel.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function LoadingJourneys({ card }: { readonly card: CardView }) {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="loadingJourneys" title={t('loadingJourneys.title')} live>
      <div className="spinner" aria-hidden="true" />
      <p>{t('loadingJourneys.body')}</p>
      <CardPanel card={card} />
    </ScreenLayout>
  );
}
