import type { JourneyView } from '../../kiosk/contract.js';
import { useKiosk } from '../kiosk-context.js';
import { moneyText, routeText } from './journey-text.js';

/**
 * A journey as a block of text (spans only: it sits inside a button when it can be
 * claimed): from → to, the date and times, what was paid, the delay, what it earns back.
 */
export function JourneySummary({ journey, withMoney = true }: { readonly journey: JourneyView; readonly withMoney?: boolean }) {
  const { t, money, date, time } = useKiosk();
  const when =
    journey.checkedOutAt === null
      ? t('journeys.whenNoCheckOut', { date: date(journey.checkedInAt), checkIn: time(journey.checkedInAt) })
      : t('journeys.when', { date: date(journey.checkedInAt), checkIn: time(journey.checkedInAt), checkOut: time(journey.checkedOutAt) });
  const delay = journey.money?.delayMinutes;
  const earns = withMoney ? moneyText(t, money, date, journey) : null;
  return (
    <span className={`journey journey--${journey.money?.status ?? 'unknown'}`}>
      <span className="journey-route order-title">{routeText(t, journey)}</span>
      <span className="journey-detail order-detail">{when}</span>
      <span className="journey-detail order-detail">{t('journeys.fare', { amount: money(journey.chargedCents) })}</span>
      {delay !== undefined && delay !== null && delay > 0 && (
        <span className="journey-detail order-detail">{t('journeys.delay', { count: delay })}</span>
      )}
      {earns !== null && <span className="journey-money emphasis">{earns}</span>}
    </span>
  );
}
