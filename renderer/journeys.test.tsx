// Reizen en Geld Terug on screen: the menu item, the card's journeys with what each earns
// back (or, offline, from the card alone), a forgotten check-out's destination, the claim
// and its result — in the four languages, by keypad, spoken, and axe-clean.
import { fireEvent, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { NO_ASSIST } from '../domain/index.js';
import type { Screen } from '../kiosk/contract.js';
import { createSpeaker } from './a11y/speech.js';
import { formatDate, formatMoney, formatTime } from './format.js';
import { renderKiosk } from './test/render.js';
import {
  card,
  chooseDestinationScreen,
  claimedJourney,
  claimResultScreen,
  delayedJourney,
  forgottenJourney,
  fromCardOnly,
  journeysScreen,
  noOrdersScreen,
  ordersScreen,
  refusedJourney,
  topupOrder,
  view,
  waitingJourney,
} from './test/views.js';

const key = (k: string) => fireEvent.keyDown(document.activeElement ?? document.body, { key: k });
const heading = () => screen.getByRole('heading', { level: 1 });
const mainButtons = () => within(screen.getByRole('main')).getAllByRole('button');

describe('the menu', () => {
  it('offers Reizen en Geld Terug beside Ophalen bestelling', async () => {
    const kiosk = renderKiosk(view({ name: 'menu', card }));
    expect(mainButtons().map((b) => b.textContent)).toEqual(['Ophalen bestelling', 'Reizen en Geld Terug', 'Stoppen']);
    await kiosk.user.click(screen.getByRole('button', { name: 'Reizen en Geld Terug' }));
    expect(kiosk.requests()).toEqual([{ type: 'JOURNEYS' }]);
  });
});

describe('the list of journeys', () => {
  it('while the back office is asked: says so', () => {
    renderKiosk(view({ name: 'loadingJourneys', card }));
    expect(heading()).toHaveTextContent('Uw reizen worden opgezocht');
  });

  it('each journey: date, from → to, fare, delay and what it earns back, the reason in words', async () => {
    const kiosk = renderKiosk(view(journeysScreen([delayedJourney, forgottenJourney, waitingJourney])));
    expect(heading()).toHaveTextContent('Reizen en Geld Terug');
    const delayed = screen.getByTestId(`journey-${delayedJourney.id}`);
    expect(delayed).toHaveTextContent('Utrecht Centraal → Amsterdam Centraal');
    expect(delayed).toHaveTextContent(formatDate(delayedJourney.checkedInAt, 'nl'));
    expect(delayed).toHaveTextContent(`${formatTime(delayedJourney.checkedInAt, 'nl')}–${formatTime(delayedJourney.checkedOutAt ?? '', 'nl')}`);
    expect(delayed).toHaveTextContent('Betaald: € 8,90');
    expect(delayed).toHaveTextContent('42 minuten vertraging');
    expect(delayed).toHaveTextContent('Geld terug: € 4,45');
    expect(screen.getByTestId(`journey-${forgottenJourney.id}`)).toHaveTextContent('Zwolle → niet uitgecheckt');
    expect(screen.getByTestId(`journey-${forgottenJourney.id}`)).toHaveTextContent('Vergeten uit te checken');
    expect(screen.getByTestId(`journey-${waitingJourney.id}`)).toHaveTextContent(`We bekijken uw aanvraag; u hoort het na ${formatDate('2026-11-26T07:00:00.000Z', 'nl')}`);
    // A claimable journey is a button; Terug goes back.
    await kiosk.user.click(within(delayed).getByRole('button'));
    expect(kiosk.requests()).toEqual([{ type: 'SELECT_JOURNEY', journeyId: delayedJourney.id }]);
    key('Escape');
    expect(kiosk.requests().at(-1)).toEqual({ type: 'BACK' });
  });

  it('claimed and refused journeys say so, and cannot be chosen', () => {
    renderKiosk(view(journeysScreen([claimedJourney, refusedJourney])));
    expect(screen.getByTestId(`journey-${claimedJourney.id}`)).toHaveTextContent('Geld terug toegekend: € 8,90');
    expect(screen.getByTestId(`journey-${refusedJourney.id}`)).toHaveTextContent(
      'Geen geld terug: de langere reistijd was vooraf aangekondigd (bijvoorbeeld door werkzaamheden).',
    );
    expect(mainButtons().map((b) => b.textContent)).toEqual(['Terug']);
  });

  it('a card without journeys: says none are recorded', () => {
    renderKiosk(view(journeysScreen([])));
    expect(screen.getByText('Er staan geen reizen op deze kaart.')).toBeInTheDocument();
  });

  it('offline: the journeys from the card, "we cannot check money back now", no claim', () => {
    renderKiosk(view(journeysScreen([fromCardOnly(delayedJourney), fromCardOnly(forgottenJourney)], 'unreachable')));
    expect(screen.getByRole('status')).toHaveTextContent('We kunnen nu niet nagaan of u geld terug krijgt.');
    expect(screen.getByTestId(`journey-${delayedJourney.id}`)).toHaveTextContent('Utrecht Centraal → Amsterdam Centraal');
    expect(screen.getByTestId(`journey-${delayedJourney.id}`)).toHaveTextContent('Betaald: € 8,90');
    expect(mainButtons().map((b) => b.textContent)).toEqual(['Terug']);
  });

  it('pages a long list, keypad-operable', async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ ...refusedJourney, id: `2026-11-0${String(i + 1)}T07:00:00.000Z`, checkedInAt: `2026-11-0${String(i + 1)}T07:00:00.000Z` }));
    const kiosk = renderKiosk(view(journeysScreen(many)));
    expect(screen.getAllByTestId(/^journey-/)).toHaveLength(3);
    expect(screen.getByText('Pagina 1 van 3')).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Volgende' }));
    expect(screen.getByText('Pagina 2 van 3')).toBeInTheDocument();
    expect(kiosk.requests()).toEqual([]);
  });
});

describe('a forgotten check-out', () => {
  it('asks where the traveller went, each station with what it gives back; keypad and Terug', async () => {
    const kiosk = renderKiosk(view(chooseDestinationScreen));
    expect(heading()).toHaveTextContent('Vergeten uit te checken');
    expect(screen.getByText(/Waar bent u naartoe gereisd\?/)).toBeInTheDocument();
    key('ArrowDown');
    expect(document.activeElement).toHaveAccessibleName(`Amsterdam Centraal, ${formatMoney(1170, 'nl')} terug`);
    key('Enter');
    fireEvent.click(document.activeElement as HTMLElement);
    expect(kiosk.requests().at(-1)).toEqual({ type: 'SELECT_DESTINATION', station: 'amsterdam-centraal' });
    key('Escape');
    expect(kiosk.requests().at(-1)).toEqual({ type: 'BACK' });
  });
});

describe('the claim', () => {
  it('confirm: "Vraag € 4,45 terug", Akkoord claims, Annuleren goes back', async () => {
    const kiosk = renderKiosk(view({ name: 'confirmClaim', journey: delayedJourney, kind: 'delay', amountCents: 445, destination: null }));
    expect(heading()).toHaveTextContent('Vraag € 4,45 terug');
    expect(screen.getByText(/Geld terug bij vertraging/)).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Akkoord' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Annuleren' }));
    expect(kiosk.requests()).toEqual([{ type: 'CONFIRM' }, { type: 'CANCEL' }]);
  });

  it('confirm a forgotten check-out: names the destination chosen', () => {
    renderKiosk(view({ name: 'confirmClaim', journey: forgottenJourney, kind: 'forgottenCheckOut', amountCents: 1170, destination: 'amsterdam-centraal' }));
    expect(heading()).toHaveTextContent('Vraag € 11,70 terug');
    expect(screen.getByText(/Zwolle naar Amsterdam Centraal/)).toBeInTheDocument();
  });

  it('while it is claimed: says so, offers nothing', () => {
    renderKiosk(view({ name: 'claiming', journey: delayedJourney }));
    expect(heading()).toHaveTextContent('Uw aanvraag wordt verstuurd');
    expect(within(screen.getByRole('main')).queryAllByRole('button')).toEqual([]);
  });

  it('granted, in the cache: ready at Ophalen bestelling, one press away', async () => {
    const kiosk = renderKiosk(view(claimResultScreen()));
    expect(heading()).toHaveTextContent('Geld terug toegekend');
    expect(screen.getByText(/De € 4,45 staat voor u klaar\. Haal het op bij Ophalen bestelling/)).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Ophalen bestelling' }));
    expect(kiosk.requests()).toEqual([{ type: 'PICKUP' }]);
  });

  it('granted, not in the cache yet: there within a minute', () => {
    renderKiosk(view(claimResultScreen({ refundReady: false })));
    expect(screen.getByText(/binnen een minuut/)).toBeInTheDocument();
  });

  it.each([
    [{ outcome: { status: 'waiting', decisionAfter: '2026-11-27T08:00:00.000Z' }, pickup: false }, 'We bekijken uw aanvraag', `We controleren de vertraging. U hoort na ${formatDate('2026-11-27T08:00:00.000Z', 'nl')}`],
    [{ outcome: { status: 'refused', reason: 'forceMajeure' }, pickup: false }, 'Geen geld terug', 'overmacht'],
    [{ outcome: { status: 'refused', reason: 'belowMinimum' }, pickup: false }, 'Geen geld terug', '€ 2,30'],
    [{ outcome: { status: 'alreadyClaimed', orderId: 'refund-0', decisionAfter: null }, pickup: true }, 'Al aangevraagd', 'Ophalen bestelling'],
    [{ outcome: { status: 'alreadyClaimed', orderId: null, decisionAfter: '2026-11-27T08:00:00.000Z' }, pickup: false }, 'Al aangevraagd', formatDate('2026-11-27T08:00:00.000Z', 'nl')],
    [{ outcome: null, failure: 'timeout', pickup: false }, 'Geen antwoord van NS', 'niet dubbel'],
  ] as const)('%o: %s', async (more, title, text) => {
    const kiosk = renderKiosk(view(claimResultScreen(more)));
    expect(heading()).toHaveTextContent(title);
    expect(screen.getByRole('main')).toHaveTextContent(text);
    expect(screen.queryByRole('button', { name: 'Ophalen bestelling' }) !== null).toBe(more.pickup);
    await kiosk.user.click(screen.getByRole('button', { name: 'Terug naar mijn reizen' }));
    expect(kiosk.requests().at(-1)).toEqual({ type: 'BACK' });
  });

  it('Ophalen bestelling after a claim: the refund that is not in the list yet is announced', () => {
    const kiosk = renderKiosk(view({ ...noOrdersScreen(), refundComing: true }));
    expect(screen.getByText('Uw geld terug staat binnen een minuut hier klaar.')).toBeInTheDocument();
    kiosk.show(view({ ...ordersScreen([topupOrder]), refundComing: false }));
    expect(screen.queryByText(/binnen een minuut/)).not.toBeInTheDocument();
  });
});

describe('in four languages', () => {
  it.each([
    ['en', 'Journeys and Money Back', 'Money back: €4.45', 'Ask for €4.45 back', 'OK'],
    ['de', 'Reisen und Geld zurück', 'Geld zurück: 4,45 €', '4,45 € zurückfordern', 'Bestätigen'],
    ['fr', 'Trajets et remboursement', 'Remboursement : 4,45 €', 'Demander le remboursement de 4,45 €', 'D’accord'],
  ] as const)('%s: the menu, the list, the confirmation, amounts and dates in the language', (language, menu, money, confirm, ok) => {
    const kiosk = renderKiosk(view({ name: 'menu', card }, { language }));
    expect(screen.getByRole('button', { name: menu })).toBeInTheDocument();
    kiosk.show(view(journeysScreen([delayedJourney]), { language }));
    expect(heading()).toHaveTextContent(menu);
    const item = screen.getByTestId(`journey-${delayedJourney.id}`);
    expect(item.textContent?.replace(/\s/g, ' ')).toContain(money.replace(/\s/g, ' '));
    expect(item).toHaveTextContent(formatDate(delayedJourney.checkedInAt, language));
    expect(item.textContent?.replace(/\s/g, ' ')).toContain(formatMoney(890, language).replace(/\s/g, ' '));
    kiosk.show(view({ name: 'confirmClaim', journey: delayedJourney, kind: 'delay', amountCents: 445, destination: null }, { language }));
    expect(heading().textContent?.replace(/\s/g, ' ')).toBe(confirm.replace(/\s/g, ' '));
    expect(screen.getByRole('button', { name: ok })).toBeInTheDocument();
  });
});

describe('spoken and accessible', () => {
  it('reads the list and its choices; names the journey button with its money back', () => {
    const said: string[] = [];
    const speaker = createSpeaker({ speak: (u) => said.push(u.text), cancel: () => undefined }, (text) => ({ text, lang: '' }) as SpeechSynthesisUtterance);
    renderKiosk(view(journeysScreen([delayedJourney, refusedJourney]), { assist: { ...NO_ASSIST, speech: true } }), { speaker });
    // What cannot be chosen is read as text; a journey that can be claimed is one of the choices, with its money back.
    expect(said.at(-1)).toMatch(/^Reizen en Geld Terug\. .*Breda → Rotterdam Centraal.*vooraf aangekondigd.*Keuzes: Utrecht Centraal → Amsterdam Centraal.*Geld terug: € 4,45, Terug$/);
    key('ArrowDown');
    expect(said.at(-1)).toMatch(/Utrecht Centraal → Amsterdam Centraal.*Geld terug: € 4,45/);
  });

  const screens: [string, Screen][] = [
    ['menu', { name: 'menu', card }],
    ['loadingJourneys', { name: 'loadingJourneys', card }],
    ['journeys', journeysScreen([delayedJourney, forgottenJourney, refusedJourney])],
    ['journeys offline', journeysScreen([fromCardOnly(delayedJourney)], 'timeout')],
    ['journeys none', journeysScreen([])],
    ['chooseDestination', chooseDestinationScreen],
    ['confirmClaim', { name: 'confirmClaim', journey: forgottenJourney, kind: 'forgottenCheckOut', amountCents: 1170, destination: 'amsterdam-centraal' }],
    ['claiming', { name: 'claiming', journey: delayedJourney }],
    ['claimResult granted', claimResultScreen()],
    ['claimResult failed', claimResultScreen({ outcome: null, failure: 'unreachable', pickup: false })],
  ];
  it.each(screens)('%s is axe-clean', async (_name, sample) => {
    const { container } = renderKiosk(view(sample));
    const result = await axe.run(container, { resultTypes: ['violations'] });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  });
});
