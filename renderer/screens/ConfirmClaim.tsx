import type { JourneyView, StationCode } from '../../kiosk/contract.js';
import type { ClaimKind } from '../../domain/index.js';
import { Button } from '../components/Button.js';
import { stationName } from '../components/journey-text.js';
import { JourneySummary } from '../components/JourneySummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/** "Vraag € x,xx terug" — Akkoord claims it, Annuleren goes back to the list. */
export function ConfirmClaim({
  journey,
  kind,
  amountCents,
  destination,
}: {
  readonly journey: JourneyView;
  readonly kind: ClaimKind;
  readonly amountCents: number | null;
  readonly destination: StationCode | null;
}) {
  const { t, send, money, date } = useKiosk();
  const from = stationName(t, journey.from);
  const to = stationName(t, destination ?? journey.to ?? '');
  const when = date(journey.checkedInAt);
  return (
    <ScreenLayout
      name="confirmClaim"
      title={amountCents === null ? t('confirmClaim.titleNoAmount') : t('confirmClaim.title', { amount: money(amountCents) })}
      actions={
        <>
          <Button onClick={() => send({ type: 'CONFIRM' })}>{t('confirm.ok')}</Button>
          <Button variant="secondary" onClick={() => send({ type: 'CANCEL' })} back>
            {t('confirm.cancel')}
          </Button>
        </>
      }
    >
      <p>
        {kind === 'forgottenCheckOut'
          ? t('confirmClaim.forgotten', {
              from,
              to,
              date: when,
              charged: money(journey.chargedCents),
              fare: money(Math.max(0, journey.chargedCents - (amountCents ?? 0))),
            })
          : t('confirmClaim.delay', { from, to, date: when })}
      </p>
      <div className="order-box">
        <JourneySummary journey={journey} withMoney={kind === 'delay'} />
      </div>
      <p>{t('confirmClaim.body')}</p>
    </ScreenLayout>
  );
}
