// The words for a journey and for what it earns back: one place, for the list, the
// confirmation and the result.
import type { TFunction } from 'i18next';
import { COMPENSATION_RULES, isStationCode, type JourneyRefusal, type StationCode } from '../../domain/index.js';
import type { JourneyView } from '../../kiosk/contract.js';

/** A station's name from the catalogs (`stations.<code>`); a code the network does not know is said to be unknown. */
export function stationName(t: TFunction, code: StationCode): string {
  return isStationCode(code) ? t(`stations.${code}` as 'stations.zwolle') : t('stations.unknown');
}

/** Why a journey earns nothing, in words (the minimum amount put in where it is the reason). */
export function refusalText(t: TFunction, money: (cents: number) => string, reason: JourneyRefusal): string {
  return t(`journeys.reasons.${reason}`, { minimum: money(COMPENSATION_RULES.minimumFareCents) });
}

/** "Utrecht Centraal → Amsterdam Centraal", or "Zwolle → niet uitgecheckt". */
export function routeText(t: TFunction, journey: JourneyView): string {
  const from = stationName(t, journey.from);
  return journey.to === null ? t('journeys.routeNoCheckOut', { from }) : t('journeys.route', { from, to: stationName(t, journey.to) });
}

/** What the back office said the journey earns back; null when it could not be asked. */
export function moneyText(t: TFunction, money: (cents: number) => string, date: (iso: string) => string, journey: JourneyView): string | null {
  const m = journey.money;
  if (m === null) return null;
  switch (m.status) {
    case 'eligible':
      if (m.kind === 'forgottenCheckOut' || m.amountCents === null) return t('journeys.money.eligibleForgotten');
      return t('journeys.money.eligible', { amount: money(m.amountCents) });
    case 'waiting':
      return m.decisionAfter === null ? t('claimResult.waitingTitle') : t('journeys.money.waiting', { date: date(m.decisionAfter) });
    case 'claimed':
      return m.amountCents === null ? t('journeys.money.claimedNoAmount') : t('journeys.money.claimed', { amount: money(m.amountCents) });
    case 'none':
      return t('journeys.money.none', { reason: refusalText(t, money, m.reason ?? 'noDelayKnown') });
  }
}
