// "Reizen en Geld Terug": the card's journeys, what each earns back, a claim on the spot.
// Every path, with a back office that is down, slow or lying, and the card taken away.
import { describe, expect, it } from 'vitest';
import { DELAYS, delayFor } from './delays.js';
import {
  assessment,
  deferred,
  delayedJourney,
  forgottenJourney,
  journeyCard,
  KioskFailure,
  onTimeJourney,
  startHarness,
  travellerCard,
  type FakeActors,
} from './test-helpers.js';
import { fareCents, type ClaimOutcome, type JourneyAssessment } from '../domain/index.js';

async function toJourneys(fakes: FakeActors = {}) {
  const h = startHarness({ readCard: async () => journeyCard, ...fakes });
  h.tapCard();
  await h.settle();
  expect(h.state()).toBe('session.menu');
  h.actor.send({ type: 'JOURNEYS' });
  await h.settle();
  return h;
}

async function toConfirmClaim(fakes: FakeActors = {}) {
  const h = await toJourneys(fakes);
  h.actor.send({ type: 'SELECT_JOURNEY', journeyId: delayedJourney.checkIn.at });
  expect(h.state()).toBe('session.confirmClaim');
  return h;
}

const context = (h: ReturnType<typeof startHarness>) => h.actor.getSnapshot().context;

describe('Reizen en Geld Terug: the list', () => {
  it('the menu leads to the card\'s journeys, assessed by the back office for this card', async () => {
    const h = await toJourneys();
    expect(h.state()).toBe('session.journeys');
    expect(h.assessments).toEqual([{ cardNumber: journeyCard.cardNumber, journeys: journeyCard.journeys }]);
    expect(context(h).assessment).toEqual(assessment);
    expect(context(h).journeysFailure).toBeNull();
    h.actor.send({ type: 'BACK' });
    expect(h.state()).toBe('session.menu');
  });

  it('a card without a travel log: the list is empty, nobody is asked', async () => {
    for (const card of [travellerCard, { ...travellerCard, journeys: [] }]) {
      const h = startHarness({ readCard: async () => card });
      h.tapCard();
      await h.settle();
      h.actor.send({ type: 'JOURNEYS' });
      expect(h.state()).toBe('session.journeys');
      expect(h.assessments).toEqual([]);
      expect(context(h).assessment).toEqual([]);
    }
  });

  it.each(['unreachable', 'invalidAnswer', 'timeout', 'notConfigured'] as const)('back office %s: the journeys are shown from the card, no claim can be made', async (code) => {
    const h = await toJourneys({ assessJourneys: () => Promise.reject(new KioskFailure(code)) });
    expect(h.state()).toBe('session.journeys');
    expect(context(h).assessment).toBeNull();
    expect(context(h).journeysFailure).toBe(code);
    h.actor.send({ type: 'SELECT_JOURNEY', journeyId: delayedJourney.checkIn.at });
    expect(h.state()).toBe('session.journeys');
  });

  it('an actor that fails without saying why counts as unreachable', async () => {
    const h = await toJourneys({ assessJourneys: () => Promise.reject(new Error('socket hang up')) });
    expect(context(h).journeysFailure).toBe('unreachable');
  });

  it('a back office that never answers: the list from the card after assessTimeout, not a millisecond early', async () => {
    const h = await toJourneys({ assessJourneys: () => new Promise(() => undefined) });
    expect(h.state()).toBe('session.loadingJourneys');
    await h.advance(DELAYS.assessTimeout - 1);
    expect(h.state()).toBe('session.loadingJourneys');
    await h.advance(1);
    expect(h.state()).toBe('session.journeys');
    expect(context(h).journeysFailure).toBe('timeout');
  });

  it('a late answer after the timeout is dropped', async () => {
    const late = deferred<readonly JourneyAssessment[]>();
    const h = await toJourneys({ assessJourneys: () => late.promise });
    await h.advance(DELAYS.assessTimeout);
    late.resolve(assessment);
    await h.settle();
    expect(context(h).assessment).toBeNull();
  });

  it('only an eligible journey can be chosen; one that earns nothing, one unknown, stay on the list', async () => {
    const h = await toJourneys();
    for (const journeyId of [onTimeJourney.checkIn.at, '2020-01-01T00:00:00.000Z']) {
      h.actor.send({ type: 'SELECT_JOURNEY', journeyId });
      expect(h.state()).toBe('session.journeys');
    }
  });

  it('card taken away while loading or on the list: Kaart weggenomen, nothing changed', async () => {
    const h = await toJourneys({ assessJourneys: () => new Promise(() => undefined) });
    h.removeCard();
    expect(h.state()).toBe('session.cardRemoved');
    const h2 = await toJourneys();
    h2.removeCard();
    expect(h2.state()).toBe('session.cardRemoved');
  });

  it('inactivity on the list: the usual warning, then the session ends', async () => {
    const h = await toJourneys();
    await h.advance(delayFor('inactivityWarning', context(h).assist));
    expect(context(h).inactivityWarning).toBe(true);
    await h.advance(DELAYS.inactivityReset - DELAYS.inactivityWarning);
    expect(h.state()).toBe('session.takeCard');
  });
});

describe('Reizen en Geld Terug: a claim', () => {
  it('eligible journey → Akkoord → granted → straight to Ophalen bestelling', async () => {
    const h = await toConfirmClaim();
    expect(context(h).chosenJourney).toBe(delayedJourney.checkIn.at);
    h.actor.send({ type: 'CONFIRM' });
    expect(h.state()).toBe('session.claiming');
    await h.settle();
    expect(h.state()).toBe('session.claimResult');
    expect(h.claims).toEqual([{ cardNumber: journeyCard.cardNumber, journey: delayedJourney, kind: 'delay', destination: null }]);
    expect(context(h).claimOutcome).toEqual({ status: 'granted', orderId: 'refund-1', amountCents: 445 });
    h.actor.send({ type: 'PICKUP' });
    expect(h.state()).toBe('session.loadingOrders');
  });

  it('Annuleren on the confirmation: back to the list, nothing claimed', async () => {
    const h = await toConfirmClaim();
    h.actor.send({ type: 'CANCEL' });
    expect(h.state()).toBe('session.journeys');
    expect(context(h).chosenJourney).toBeNull();
    expect(h.claims).toEqual([]);
  });

  it('Akkoord twice claims once', async () => {
    const answer = deferred<ClaimOutcome>();
    const h = await toConfirmClaim({ claim: () => answer.promise });
    h.actor.send({ type: 'CONFIRM' });
    h.actor.send({ type: 'CONFIRM' });
    answer.resolve({ status: 'waiting', decisionAfter: '2026-11-27T00:00:00.000Z' });
    await h.settle();
    expect(h.claims).toHaveLength(1);
  });

  it.each([
    [{ status: 'waiting', decisionAfter: '2026-11-27T00:00:00.000Z' }, false],
    [{ status: 'refused', reason: 'announcedInAdvance' }, false],
    [{ status: 'alreadyClaimed', orderId: 'refund-0', decisionAfter: null }, true],
    [{ status: 'alreadyClaimed', orderId: null, decisionAfter: '2026-11-27T00:00:00.000Z' }, false],
  ] satisfies [ClaimOutcome, boolean][])('%o: the result, and Ophalen bestelling only with a refund to collect (%s)', async (outcome, pickup) => {
    const h = await toConfirmClaim({ claim: async () => outcome });
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.state()).toBe('session.claimResult');
    expect(context(h).claimOutcome).toEqual(outcome);
    expect(h.actor.getSnapshot().can({ type: 'PICKUP' })).toBe(pickup);
    // Terug: the list again, assessed afresh (it now says what became of the claim).
    h.actor.send({ type: 'BACK' });
    expect(h.state()).toBe('session.loadingJourneys');
    await h.settle();
    expect(h.assessments).toHaveLength(2);
  });

  it.each(['unreachable', 'invalidAnswer', 'timeout'] as const)('the back office %s during the claim: said so, no pickup offered, Terug to the list', async (code) => {
    const h = await toConfirmClaim({ claim: () => Promise.reject(new KioskFailure(code)) });
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.state()).toBe('session.claimResult');
    expect(context(h).claimFailure).toBe(code);
    expect(context(h).claimOutcome).toBeNull();
    expect(h.actor.getSnapshot().can({ type: 'PICKUP' })).toBe(false);
    h.actor.send({ type: 'BACK' });
    expect(h.state()).toBe('session.loadingJourneys');
  });

  it('a claim that never answers: a timeout after claimTimeout, not a millisecond early', async () => {
    const h = await toConfirmClaim({ claim: () => new Promise(() => undefined) });
    h.actor.send({ type: 'CONFIRM' });
    await h.advance(DELAYS.claimTimeout - 1);
    expect(h.state()).toBe('session.claiming');
    await h.advance(1);
    expect(h.state()).toBe('session.claimResult');
    expect(context(h).claimFailure).toBe('timeout');
  });

  it('card removed mid-claim: the session ends as usual (the claim is the back office\'s, idempotent; the list says what became of it next time)', async () => {
    const answer = deferred<ClaimOutcome>();
    const h = await toConfirmClaim({ claim: () => answer.promise });
    h.actor.send({ type: 'CONFIRM' });
    h.removeCard();
    expect(h.state()).toBe('idle');
    answer.resolve({ status: 'granted', orderId: 'refund-1', amountCents: 445 });
    await h.settle();
    expect(h.state()).toBe('idle');
    expect(context(h).claimOutcome).toBeNull();
  });

  it('card removed on the result: the session ends as usual', async () => {
    const h = await toConfirmClaim();
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    h.removeCard();
    expect(h.state()).toBe('idle');
  });

  it('card removed on the confirmation: Kaart weggenomen, nothing claimed', async () => {
    const h = await toConfirmClaim();
    h.removeCard();
    expect(h.state()).toBe('session.cardRemoved');
    expect(h.claims).toEqual([]);
  });
});

describe('Reizen en Geld Terug: a forgotten check-out', () => {
  it('choose the destination, then claim the difference with the real fare', async () => {
    const h = await toJourneys();
    h.actor.send({ type: 'SELECT_JOURNEY', journeyId: forgottenJourney.checkIn.at });
    expect(h.state()).toBe('session.chooseDestination');
    // Not a station of the network, nor the one checked in at.
    for (const station of ['atlantis', 'zwolle']) {
      h.actor.send({ type: 'SELECT_DESTINATION', station });
      expect(h.state()).toBe('session.chooseDestination');
    }
    h.actor.send({ type: 'BACK' });
    expect(h.state()).toBe('session.journeys');
    h.actor.send({ type: 'SELECT_JOURNEY', journeyId: forgottenJourney.checkIn.at });
    h.actor.send({ type: 'SELECT_DESTINATION', station: 'amsterdam-centraal' });
    expect(h.state()).toBe('session.confirmClaim');
    expect(context(h).destination).toBe('amsterdam-centraal');
    expect(2000 - fareCents('zwolle', 'amsterdam-centraal')).toBeGreaterThan(0);
    h.actor.send({ type: 'CONFIRM' });
    await h.settle();
    expect(h.claims).toEqual([{ cardNumber: journeyCard.cardNumber, journey: forgottenJourney, kind: 'forgottenCheckOut', destination: 'amsterdam-centraal' }]);
  });

  it('Annuleren after choosing the destination: back to the list, the destination forgotten', async () => {
    const h = await toJourneys();
    h.actor.send({ type: 'SELECT_JOURNEY', journeyId: forgottenJourney.checkIn.at });
    h.actor.send({ type: 'SELECT_DESTINATION', station: 'amsterdam-centraal' });
    h.actor.send({ type: 'CANCEL' });
    expect(h.state()).toBe('session.journeys');
    expect(context(h).destination).toBeNull();
  });

  it('card removed while choosing: Kaart weggenomen', async () => {
    const h = await toJourneys();
    h.actor.send({ type: 'SELECT_JOURNEY', journeyId: forgottenJourney.checkIn.at });
    h.removeCard();
    expect(h.state()).toBe('session.cardRemoved');
  });
});
