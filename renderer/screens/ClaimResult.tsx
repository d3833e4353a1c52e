import type { BackOfficeFailure, ClaimOutcome, JourneyView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { refusalText } from '../components/journey-text.js';
import { JourneySummary } from '../components/JourneySummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/**
 * What the claim got: granted (ready at Ophalen bestelling, or there within a minute),
 * waiting (decided after a date), refused (why), already claimed, or no answer.
 */
export function ClaimResult({
  journey,
  outcome,
  pickup,
  refundReady,
}: {
  readonly journey: JourneyView | null;
  readonly outcome: ClaimOutcome | null;
  readonly failure: BackOfficeFailure | null;
  readonly pickup: boolean;
  readonly refundReady: boolean;
}) {
  const { t, send, money, date } = useKiosk();
  let title: string;
  const lines: string[] = [];
  switch (outcome?.status) {
    case 'granted':
      title = t('claimResult.grantedTitle');
      lines.push(t('claimResult.granted', { amount: money(outcome.amountCents) }));
      if (!refundReady) lines.push(t('claimResult.grantedSoon'));
      break;
    case 'waiting':
      title = t('claimResult.waitingTitle');
      lines.push(t('claimResult.waiting', { date: date(outcome.decisionAfter) }));
      break;
    case 'refused':
      title = t('claimResult.refusedTitle');
      lines.push(t('claimResult.refused', { reason: refusalText(t, money, outcome.reason) }));
      break;
    case 'alreadyClaimed':
      title = t('claimResult.alreadyTitle');
      lines.push(t('claimResult.already'));
      if (outcome.orderId !== null) lines.push(t('claimResult.alreadyReady'));
      else if (outcome.decisionAfter !== null) lines.push(t('claimResult.alreadyWaiting', { date: date(outcome.decisionAfter) }));
      break;
    case undefined:
      title = t('claimResult.failedTitle');
      lines.push(t('claimResult.failed'));
      break;
  }
  return (
    <ScreenLayout
      name="claimResult"
      title={title}
      actions={
        <>
          {pickup && <Button onClick={() => send({ type: 'PICKUP' })}>{t('menu.pickup')}</Button>}
          <Button variant="secondary" onClick={() => send({ type: 'BACK' })} back>
            {t('claimResult.back')}
          </Button>
          <Button variant="secondary" onClick={() => send({ type: 'STOP' })}>
            {t('common.stop')}
          </Button>
        </>
      }
    >
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
      {journey && (
        <div className="order-box">
          <JourneySummary journey={journey} withMoney={false} />
        </div>
      )}
    </ScreenLayout>
  );
}
