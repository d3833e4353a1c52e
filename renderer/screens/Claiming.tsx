import type { JourneyView } from '../../kiosk/contract.js';
import { JourneySummary } from '../components/JourneySummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function Claiming({ journey }: { readonly journey: JourneyView }) {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="claiming" title={t('claiming.title')} live>
      <div className="spinner" aria-hidden="true" />
      <p>{t('claiming.body')}</p>
      <div className="order-box">
        <JourneySummary journey={journey} withMoney={false} />
      </div>
    </ScreenLayout>
  );
}
