import type { JourneyView, StationCode } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { stationName } from '../components/journey-text.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/** Vergeten uit te checken: where did the traveller travel to? Each station with what it gives back. */
export function ChooseDestination({
  journey,
  destinations,
}: {
  readonly journey: JourneyView;
  readonly destinations: readonly { readonly station: StationCode; readonly refundCents: number }[];
}) {
  const { t, send, money, date } = useKiosk();
  return (
    <ScreenLayout
      name="chooseDestination"
      title={t('chooseDestination.title')}
      actions={
        <Button variant="secondary" onClick={() => send({ type: 'BACK' })} back>
          {t('common.back')}
        </Button>
      }
    >
      <p>{t('chooseDestination.body', { from: stationName(t, journey.from), date: date(journey.checkedInAt) })}</p>
      <ul className="destination-list">
        {destinations.map(({ station, refundCents }) => (
          <li key={station}>
            <button type="button" className="order-button destination-button" onClick={() => send({ type: 'SELECT_DESTINATION', station })}>
              <span className="order-title">{stationName(t, station)}</span>
              <span className="visually-hidden">,</span>{' '}
              <span className="order-detail">{t('chooseDestination.refund', { amount: money(refundCents) })}</span>
            </button>
          </li>
        ))}
      </ul>
    </ScreenLayout>
  );
}
