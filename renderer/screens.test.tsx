// One scenario per screen: the traveller sees the Dutch text and each button asks the
// machine for the right thing.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Screen, ScreenName } from '../kiosk/contract.js';
import { DELIVERY_FAILURES, LANGUAGES, MAINTENANCE_PAGES, READ_FAILURES } from '../domain/index.js';
import { nl } from './i18n/nl.js';
import { renderKiosk } from './test/render.js';
import { card, codeOrder, inspection, KAARTSERVICECODE, maintenance, productOrder, topupOrder, view, ordersScreen, noOrdersScreen, deliveredScreen, failedScreen, journeysScreen, delayedJourney, forgottenJourney, refusedJourney, chooseDestinationScreen, claimResultScreen } from './test/views.js';

function heading() {
  return screen.getByRole('heading', { level: 1 });
}

describe('outOfService', () => {
  it('says the machine is out of service while it starts', () => {
    renderKiosk(view({ name: 'outOfService', reason: 'starting', serviceReason: null, fault: null }));
    expect(heading()).toHaveTextContent('Buiten gebruik');
    expect(screen.getByText('De automaat wordt opgestart. Een ogenblik geduld.')).toBeInTheDocument();
  });

  it('sends the traveller to another machine when the reader is gone', () => {
    renderKiosk(view({ name: 'outOfService', reason: 'noReader', serviceReason: null, fault: null }));
    expect(heading()).toHaveTextContent('Buiten gebruik');
    expect(screen.getByText(/Gebruik een andere automaat/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Stoppen' })).not.toBeInTheDocument();
  });

  it.each([
    ['maintenance', 'Deze automaat is tijdelijk buiten gebruik voor onderhoud'],
    ['technicalFault', 'Deze automaat is tijdelijk buiten gebruik door een storing'],
    ['cleaning', 'Deze automaat wordt schoongemaakt'],
  ] as const)('tells the traveller why a technician took it out of service: %s', (serviceReason, text) => {
    renderKiosk(view({ name: 'outOfService', reason: 'manual', serviceReason, fault: null }));
    expect(heading()).toHaveTextContent('Buiten gebruik');
    const message = screen.getByText(new RegExp(`^${text}`));
    expect(message).toHaveTextContent(/Gebruik een andere automaat/);
    expect(within(screen.getByRole('main')).queryAllByRole('button')).toHaveLength(0);
  });

  it('still says something when a manual stop comes without its reason', () => {
    renderKiosk(view({ name: 'outOfService', reason: 'manual', serviceReason: null, fault: null }));
    expect(screen.getByText(/^Deze automaat is tijdelijk buiten gebruik\. Gebruik een andere automaat/)).toBeInTheDocument();
  });

  it('a fault: the traveller is told this machine cannot help now (not a card problem); the technician line names fault, file and cause', () => {
    const fault = { code: 'storeFull', file: '/var/lib/station-kiosk/kiosk.db', detail: { kind: 'sqlite', sqliteCode: 'SQLITE_FULL' } } as const;
    renderKiosk(view({ name: 'outOfService', reason: 'fault', serviceReason: null, fault }));
    expect(heading()).toHaveTextContent('Buiten gebruik');
    const message = screen.getByText(/^Deze automaat kan u nu niet helpen\. Gebruik een andere automaat/);
    expect(message.textContent).not.toMatch(/kaart/i);
    const line = screen.getByTestId('fault-line');
    expect(line).toHaveTextContent('Voor de monteur: Schijf vol: de database kan niet schrijven');
    expect(line).toHaveTextContent('/var/lib/station-kiosk/kiosk.db: SQLite meldt SQLITE_FULL');
    expect(within(screen.getByRole('main')).queryAllByRole('button')).toHaveLength(0);
  });

  it('a fault without a file still shows its cause, in the screen\'s language', () => {
    renderKiosk(view({ name: 'outOfService', reason: 'fault', serviceReason: null, fault: { code: 'startFailed', file: null, detail: { kind: 'unexpected' } } }, { language: 'de' }));
    expect(screen.getByText(/^Dieser Automat kann Ihnen gerade nicht weiterhelfen/)).toBeInTheDocument();
    expect(screen.getByTestId('fault-line')).toHaveTextContent('Für den Techniker: Der Kiosk konnte nicht starten');
    expect(screen.getByTestId('fault-line')).toHaveTextContent('unerwarteter Fehler, siehe Protokoll');
  });

  it('a configuration that does not fit its schema: each field named with what is wrong with it, in the screen\'s language (never its value)', () => {
    const fault = {
      code: 'configInvalid',
      file: '/etc/station-kiosk/station.json',
      detail: {
        kind: 'schema',
        issues: [
          { path: 'reader.keyA', problem: 'invalidFormat' },
          { path: 'stationName', problem: 'missing' },
          { path: '', problem: 'unrecognizedKeys', names: ['extra'] },
          { path: 'printer.port', problem: 'invalidType', expected: 'number' },
        ],
        more: 2,
      },
    } as const;
    renderKiosk(view({ name: 'outOfService', reason: 'fault', serviceReason: null, fault }, { language: 'fr' }));
    const line = screen.getByTestId('fault-line');
    expect(line).toHaveTextContent('/etc/station-kiosk/station.json : reader.keyA : n’a pas le bon format');
    expect(line).toHaveTextContent('stationName : est absent');
    expect(line).toHaveTextContent('le fichier entier : clé inconnue : extra');
    expect(line).toHaveTextContent('printer.port : doit être un nombre');
    expect(line).toHaveTextContent('et 2 autres problèmes');
  });

  it('speaks English too', () => {
    renderKiosk(view({ name: 'outOfService', reason: 'manual', serviceReason: 'cleaning', fault: null }, { language: 'en' }));
    expect(screen.getByText(/^This machine is being cleaned\. Please use another machine/)).toBeInTheDocument();
  });
});

describe('idle', () => {
  it('asks for the OV-chipkaart', () => {
    renderKiosk(view({ name: 'idle' }));
    expect(heading()).toHaveTextContent('Houd uw OV-chipkaart voor de lezer');
  });
});

describe('readingCard', () => {
  it('asks to keep the card still', () => {
    renderKiosk(view({ name: 'readingCard' }));
    expect(heading()).toHaveTextContent('Uw kaart wordt gelezen');
    expect(screen.getByText('Houd uw kaart stil voor de lezer.')).toBeInTheDocument();
  });
});

describe('unknownCard', () => {
  it.each(READ_FAILURES)('explains %s and offers Stoppen', async (reason) => {
    const kiosk = renderKiosk(view({ name: 'unknownCard', reason }));
    expect(heading()).toHaveTextContent('Deze kaart kunnen we niet gebruiken');
    expect(screen.getByText(nl.unknownCard.reasons[reason])).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Stoppen' }));
    expect(kiosk.requests()).toEqual([{ type: 'STOP' }]);
  });
});

describe('menu', () => {
  it('shows the card and offers Ophalen bestelling', async () => {
    const kiosk = renderKiosk(view({ name: 'menu', card }));
    expect(heading()).toHaveTextContent('Wat wilt u doen?');
    const panel = screen.getByRole('region', { name: 'Uw kaart' });
    expect(within(panel).getByText('•••• •••• •••• 5678')).toBeInTheDocument();
    expect(within(panel).getByText('€ 12,50')).toBeInTheDocument();
    expect(within(panel).getByText('31 maart 2031')).toBeInTheDocument();

    await kiosk.user.click(screen.getByRole('button', { name: 'Ophalen bestelling' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Stoppen' }));
    expect(kiosk.requests()).toEqual([{ type: 'PICKUP' }, { type: 'STOP' }]);
  });
});

describe('loadingOrders', () => {
  it('says the orders are being looked up', () => {
    renderKiosk(view({ name: 'loadingOrders', card }));
    expect(heading()).toHaveTextContent('Uw bestellingen worden opgezocht');
  });
});

describe('orders', () => {
  it('lists every order as a big button that selects it', async () => {
    const kiosk = renderKiosk(view(ordersScreen([codeOrder, productOrder, topupOrder])));
    expect(heading()).toHaveTextContent('Kies een bestelling');
    const list = screen.getByRole('list');
    const buttons = within(list).getAllByRole('button');
    expect(buttons).toHaveLength(3);
    expect(buttons[0]).toHaveTextContent('Kaartservicecode');
    expect(buttons[1]).toHaveTextContent('Dal Voordeel');
    expect(buttons[1]).toHaveTextContent('Geldig van 1 december 2025 tot en met 30 november 2026');
    // A top-up is titled as what it is, not as a balance.
    expect(buttons[2]).toHaveTextContent('€ 20,00 opwaarderen');

    await kiosk.user.click(screen.getByRole('button', { name: /Dal Voordeel/ }));
    await kiosk.user.click(screen.getByRole('button', { name: /Kaartservicecode/ }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Terug' }));
    expect(kiosk.requests()).toEqual([
      { type: 'SELECT_ORDER', orderId: 'ord-prod-1' },
      { type: 'SELECT_ORDER', orderId: 'ord-ksc-1' },
      { type: 'BACK' },
    ]);
  });

  it('shows the pickup deadline of every order that has one', () => {
    renderKiosk(view(ordersScreen([{ ...codeOrder, expiresAt: '2025-12-04T10:15:00Z' }, { ...topupOrder, expiresAt: null }])));
    expect(screen.getByRole('button', { name: /Kaartservicecode/ })).toHaveTextContent('Op te halen tot en met 4 december 2025');
    expect(screen.getByRole('button', { name: /opwaarderen/ })).not.toHaveTextContent('Op te halen');
  });

  it('shows a top-up past the card limit as not possible, with the reason, and not as a choice', () => {
    renderKiosk(view(ordersScreen([codeOrder, { ...topupOrder, blocked: 'balanceLimit' }])));
    const list = screen.getByRole('list');
    expect(within(list).getAllByRole('button')).toHaveLength(1);
    const blocked = list.querySelector('[data-blocked="balanceLimit"]');
    expect(blocked).toHaveTextContent('€ 20,00 opwaarderen');
    expect(blocked).toHaveTextContent('Nu niet mogelijk: uw saldo zou boven het maximum van € 150,00 komen.');
  });

  it('announces an order that arrived and one that was cancelled while the list is open', () => {
    const change = { added: 1, gone: [{ order: productOrder, reason: 'cancelled' as const }] };
    renderKiosk(view(ordersScreen([codeOrder, topupOrder], change)));
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Er is 1 nieuwe bestelling bijgekomen.');
    expect(status).toHaveTextContent('Dal Voordeel staat niet meer klaar: de bestelling is geannuleerd.');
  });

  it('pages nine orders so that Terug stays on the screen, and says which page is shown', async () => {
    const nine = Array.from({ length: 9 }, (_, i) => ({ ...codeOrder, id: `ord-${String(i)}` }));
    const kiosk = renderKiosk(view(ordersScreen(nine)));
    const list = () => within(screen.getByRole('list')).getAllByRole('button');
    expect(list()).toHaveLength(4);
    expect(screen.getByText('Pagina 1 van 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Vorige' })).toBeDisabled();
    await kiosk.user.click(screen.getByRole('button', { name: 'Volgende' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Volgende' }));
    expect(list()).toHaveLength(1);
    expect(screen.getByText('Pagina 3 van 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Volgende' })).toBeDisabled();
    await kiosk.user.click(list()[0] as HTMLElement);
    expect(kiosk.requests()).toEqual([{ type: 'SELECT_ORDER', orderId: 'ord-8' }]);
  });

  it('with large text, pages by two; high contrast alone keeps the usual page', () => {
    const nine = Array.from({ length: 9 }, (_, i) => ({ ...codeOrder, id: `ord-${String(i)}` }));
    const kiosk = renderKiosk(view(ordersScreen(nine), { assist: { highContrast: false, largeText: true, speech: false, moreTime: false } }));
    expect(within(screen.getByRole('list')).getAllByRole('button')).toHaveLength(2);
    expect(screen.getByText('Pagina 1 van 5')).toBeInTheDocument();
    expect(document.documentElement).toHaveClass('large-text');
    expect(document.documentElement).not.toHaveClass('high-contrast');
    kiosk.show(view(ordersScreen(nine), { assist: { highContrast: true, largeText: false, speech: false, moreTime: false } }));
    expect(within(screen.getByRole('list')).getAllByRole('button').length).toBeGreaterThan(2);
    expect(document.documentElement).toHaveClass('high-contrast');
    expect(document.documentElement).not.toHaveClass('large-text');
  });

  it('offers Alles ophalen only when the machine says several can be collected', async () => {
    const kiosk = renderKiosk(view({ ...ordersScreen([codeOrder, topupOrder]), collectAll: true }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Alles ophalen' }));
    expect(kiosk.requests()).toEqual([{ type: 'PICKUP_ALL' }]);
    kiosk.show(view(ordersScreen([codeOrder, topupOrder])));
    expect(screen.queryByRole('button', { name: 'Alles ophalen' })).not.toBeInTheDocument();
  });

  it('gives a product code it does not know a generic name', () => {
    renderKiosk(view(ordersScreen([{ ...productOrder, productCode: 'UNKNOWN_9' }])));
    expect(screen.getByRole('button', { name: /Reisproduct/ })).toBeInTheDocument();
    expect(screen.queryByText('UNKNOWN_9')).not.toBeInTheDocument();
  });
});

describe('noOrders', () => {
  it('says what became of the last order when it left the open list', () => {
    renderKiosk(view(noOrdersScreen({ added: 0, gone: [{ order: topupOrder, reason: 'expired' }] })));
    expect(screen.getByRole('status')).toHaveTextContent('€ 20,00 opwaarderen staat niet meer klaar: de ophaaltermijn is verlopen.');
  });

  it('says nothing is waiting and offers Terug and Stoppen', async () => {
    const kiosk = renderKiosk(view(noOrdersScreen()));
    expect(heading()).toHaveTextContent('Geen bestellingen gevonden');
    await kiosk.user.click(screen.getByRole('button', { name: 'Terug' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Stoppen' }));
    expect(kiosk.requests()).toEqual([{ type: 'BACK' }, { type: 'STOP' }]);
  });
});

describe('confirm', () => {
  it('shows the order with Akkoord and Annuleren', async () => {
    const kiosk = renderKiosk(view({ name: 'confirm', card, order: topupOrder, also: [] }));
    expect(heading()).toHaveTextContent('Klopt deze bestelling?');
    expect(screen.getByText('€ 20,00 opwaarderen')).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Akkoord' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Annuleren' }));
    expect(kiosk.requests()).toEqual([{ type: 'CONFIRM' }, { type: 'CANCEL' }]);
  });
});

describe('Alles ophalen', () => {
  it('confirm lists every order that will be collected', () => {
    renderKiosk(view({ name: 'confirm', card, order: productOrder, also: [topupOrder, codeOrder] }));
    expect(heading()).toHaveTextContent('Kloppen deze 3 bestellingen?');
    const items = within(screen.getByRole('list')).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('Dal Voordeel');
    expect(items[1]).toHaveTextContent('€ 20,00 opwaarderen');
    expect(items[2]).toHaveTextContent('Kaartservicecode');
  });

  it('delivered shows the code and what else was collected', () => {
    renderKiosk(
      view(
        deliveredScreen(
          codeOrder,
          { kind: 'kaartservicecode', code: KAARTSERVICECODE },
          { collected: [{ order: topupOrder, outcome: { kind: 'topup', amountCents: 2000, balanceCents: 3250 } }], moreOrders: false },
        ),
      ),
    );
    expect(screen.getByText(KAARTSERVICECODE)).toBeInTheDocument();
    expect(screen.getByText(/^Ook opgehaald: € 20,00 opwaarderen\.$/)).toBeInTheDocument();
  });

  it('stopped part-way: the failure says what was collected all the same', () => {
    renderKiosk(view(failedScreen('orderCancelled', { collected: [topupOrder, productOrder] })));
    expect(screen.getByText('Wel opgehaald: € 20,00 opwaarderen, Dal Voordeel.')).toBeInTheDocument();
  });
});

describe('delivering', () => {
  it('tells the traveller not to remove the card, and offers no way out', () => {
    renderKiosk(view({ name: 'delivering', order: productOrder }));
    expect(heading()).toHaveTextContent('Niet wegnemen — uw bestelling wordt op de kaart gezet');
    expect(screen.getByText('Dal Voordeel')).toBeInTheDocument();
    expect(within(screen.getByRole('main')).queryAllByRole('button')).toHaveLength(0);
  });
});

describe('delivered', () => {
  it('reveals the kaartservicecode in large digits, with the next step and a QR code to Mijn NS', async () => {
    const kiosk = renderKiosk(
      view(deliveredScreen(codeOrder, { kind: 'kaartservicecode', code: KAARTSERVICECODE })),
    );
    expect(heading()).toHaveTextContent('Uw kaartservicecode');
    expect(screen.getByText(KAARTSERVICECODE)).toHaveClass('code');
    // It is shown again on the card's next tap: "alleen nu" would not be true.
    expect(screen.queryByText(/alleen nu/)).not.toBeInTheDocument();
    expect(screen.getByText('Houdt u deze kaart binnen 24 uur weer voor deze automaat, dan ziet u de code opnieuw.')).toBeInTheDocument();
    const next = screen.getByRole('region', { name: 'Zo koppelt u uw kaart' });
    expect(within(next).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Ga naar Mijn NS: scan de QR-code of ga naar www.ns.nl/mijnns.',
      'Kies ‘OV-chipkaart koppelen’.',
      'Vul het kaartnummer in (het staat op uw kaart) en deze code.',
    ]);
    const qr = within(next).getByRole('img', { name: 'QR-code naar Mijn NS (www.ns.nl/mijnns)' });
    expect(qr).toHaveAttribute('data-qr-value', 'https://www.ns.nl/mijnns');
    expect(qr.querySelector('path')?.getAttribute('d')).toMatch(/^M\d/);
    expect(screen.getByText('Klaar? Neem uw kaart mee.')).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Nog een bestelling ophalen' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Klaar' }));
    expect(kiosk.requests()).toEqual([{ type: 'PICKUP' }, { type: 'STOP' }]);
  });

  it('takes the code off the screen while "Bent u er nog?" asks, and puts it back when answered', () => {
    const delivered = deliveredScreen(codeOrder, { kind: 'kaartservicecode', code: KAARTSERVICECODE });
    const kiosk = renderKiosk(view(delivered, { inactivityWarning: true }));
    expect(screen.getByRole('alertdialog', { name: 'Bent u er nog?' })).toBeInTheDocument();
    expect(document.body.textContent).not.toContain(KAARTSERVICECODE);
    expect(screen.getByTestId('kaartservicecode-covered')).toHaveTextContent('Verborgen tot u verdergaat');
    kiosk.show(view(delivered));
    expect(screen.getByTestId('kaartservicecode')).toHaveTextContent(KAARTSERVICECODE);
  });

  it('with nothing else waiting, Klaar is the only (and main) choice', () => {
    renderKiosk(view(deliveredScreen(codeOrder, { kind: 'kaartservicecode', code: KAARTSERVICECODE }, { moreOrders: false })));
    const actions = within(screen.getByRole('main')).getAllByRole('button');
    expect(actions.map((button) => button.textContent)).toEqual(['Klaar']);
    expect(actions[0]).toHaveClass('btn--primary');
  });

  it('card lifted: the code stays up for the grace period, saying so, with only Klaar', () => {
    renderKiosk(
      view(deliveredScreen(codeOrder, { kind: 'kaartservicecode', code: KAARTSERVICECODE }, { cardGone: true, graceSeconds: 20 })),
    );
    expect(screen.getByText(KAARTSERVICECODE)).toBeInTheDocument();
    const notice = screen.getByRole('status');
    expect(notice).toHaveTextContent('Uw kaart is weggenomen');
    expect(notice).toHaveTextContent('Dit scherm blijft nog 20 seconden staan.');
    expect(within(screen.getByRole('main')).getAllByRole('button').map((button) => button.textContent)).toEqual(['Klaar']);
  });

  it('shows the product and how long it is valid', () => {
    renderKiosk(
      view(
        deliveredScreen(productOrder, {
          kind: 'product',
          product: { productCode: 'WEEKEND_VRIJ', validFrom: '2025-12-01', validUntil: '2026-11-30' },
        }),
      ),
    );
    expect(heading()).toHaveTextContent('Het product staat op uw kaart');
    expect(screen.getByText('Weekend Vrij')).toBeInTheDocument();
    expect(screen.getByText('Geldig van 1 december 2025 tot en met 30 november 2026')).toBeInTheDocument();
  });

  it('shows the amount loaded and the new balance', () => {
    renderKiosk(
      view(deliveredScreen(topupOrder, { kind: 'topup', amountCents: 2000, balanceCents: 3250 })),
    );
    expect(heading()).toHaveTextContent('Het saldo staat op uw kaart');
    expect(screen.getByText('€ 20,00 is op uw kaart gezet.')).toBeInTheDocument();
    expect(screen.getByText('Nieuw saldo: € 32,50')).toBeInTheDocument();
  });
});

describe('interrupted', () => {
  it('asks for the same card again with a countdown', () => {
    const { container } = renderKiosk(
      view({ name: 'interrupted', order: productOrder, differentCard: false, deadlineSeconds: 30 }),
    );
    expect(heading()).toHaveTextContent('Houd dezelfde kaart opnieuw voor de lezer');
    expect(screen.getByText(/Uw bestelling is niet verloren/)).toBeInTheDocument();
    expect(screen.getByText('U heeft hiervoor 30 seconden.')).toBeInTheDocument();
    expect(screen.queryByText('Dit is een andere kaart')).not.toBeInTheDocument();
    const countdown = container.querySelector<HTMLElement>('.countdown');
    expect(countdown?.style.getPropertyValue('--deadline')).toBe('30s');
    expect(within(screen.getByRole('main')).queryAllByRole('button')).toHaveLength(0);
  });

  it('says when a different card is held to the reader', () => {
    renderKiosk(view({ name: 'interrupted', order: productOrder, differentCard: true, deadlineSeconds: 30 }));
    expect(screen.getByRole('alert')).toHaveTextContent('Dit is een andere kaart');
  });
});

describe('failed', () => {
  const GONE = ['orderCancelled', 'orderExpired', 'orderDelivered'];
  it.each(DELIVERY_FAILURES)('explains %s truthfully, with Stoppen', async (reason) => {
    const kiosk = renderKiosk(view(failedScreen(reason)));
    expect(heading()).toHaveTextContent('Het ophalen is niet gelukt');
    // An order that is gone is not "niet verloren": the card is what did not change.
    expect(
      screen.getByText(GONE.includes(reason) ? 'Er is niets op uw kaart veranderd.' : 'Uw bestelling is niet verloren.'),
    ).toBeInTheDocument();
    const message = nl.failed.reasons[reason].replace('{{max}}', '€ 150,00');
    expect(screen.getByText(message)).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Stoppen' }));
    expect(kiosk.requests()).toEqual([{ type: 'STOP' }]);
  });

  it('offers Opnieuw proberen only when the machine says a retry can help', async () => {
    const kiosk = renderKiosk(view(failedScreen('timeout', { retry: true })));
    expect(screen.queryByRole('button', { name: 'Andere bestelling kiezen' })).not.toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Opnieuw proberen' }));
    expect(kiosk.requests()).toEqual([{ type: 'PICKUP' }]);
  });

  it('a failure a retry cannot cure (balance limit) offers another order instead, not Opnieuw proberen', async () => {
    const kiosk = renderKiosk(view(failedScreen('balanceLimit', { chooseAnother: true })));
    expect(screen.queryByRole('button', { name: 'Opnieuw proberen' })).not.toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Andere bestelling kiezen' }));
    expect(kiosk.requests()).toEqual([{ type: 'BACK' }]);
  });

  it('after the wait for the same card ran out, no button: holding the card is the retry', () => {
    renderKiosk(view(failedScreen('cardRemoved')));
    expect(within(screen.getByRole('main')).getAllByRole('button').map((button) => button.textContent)).toEqual(['Stoppen']);
    expect(screen.getByText(/Houd dezelfde kaart weer voor de lezer/)).toBeInTheDocument();
    expect(screen.queryByText(/teruggehouden/)).not.toBeInTheDocument();
  });
});

describe('every exit explained', () => {
  it('card removed before Akkoord: "Kaart weggenomen", nothing was changed', () => {
    renderKiosk(view({ name: 'cardRemoved' }));
    expect(heading()).toHaveTextContent('Kaart weggenomen');
    expect(screen.getByText('Er is niets veranderd op uw kaart. Uw bestellingen staan nog klaar.')).toBeInTheDocument();
  });

  it('the session over with the card on the reader: "Neem uw kaart mee"', () => {
    renderKiosk(view({ name: 'takeCard' }));
    expect(heading()).toHaveTextContent('Neem uw kaart mee');
  });
});

/** One sample per screen name: adding a screen to the contract fails to compile here. */
const samples: { readonly [N in ScreenName]: Extract<Screen, { name: N }> } = {
  outOfService: { name: 'outOfService', reason: 'noReader', serviceReason: null, fault: null },
  idle: { name: 'idle' },
  readingCard: { name: 'readingCard' },
  unknownCard: { name: 'unknownCard', reason: 'corruptCard' },
  menu: { name: 'menu', card },
  loadingOrders: { name: 'loadingOrders', card },
  orders: ordersScreen([codeOrder, productOrder, topupOrder]),
  noOrders: noOrdersScreen({ added: 2, gone: [{ order: codeOrder, reason: 'delivered' }] }),
  confirm: { name: 'confirm', card, order: productOrder, also: [] },
  cardRemoved: { name: 'cardRemoved' },
  takeCard: { name: 'takeCard' },
  delivering: { name: 'delivering', order: topupOrder },
  delivered: deliveredScreen(codeOrder, { kind: 'kaartservicecode', code: KAARTSERVICECODE }),
  interrupted: { name: 'interrupted', order: codeOrder, differentCard: true, deadlineSeconds: 30 },
  failed: failedScreen('balanceLimit'),
  technicianCard: { name: 'technicianCard' },
  pin: { name: 'pin', entry: 'card', wrongPin: true, attemptsLeft: 2 },
  checkingPin: { name: 'checkingPin' },
  pinLocked: { name: 'pinLocked', minutesLeft: 15 },
  maintenance: maintenance({ lastAction: { action: 'releaseDeliveries', ok: true, count: 2 } }),
  loadingJourneys: { name: 'loadingJourneys', card },
  journeys: journeysScreen([delayedJourney, forgottenJourney, refusedJourney]),
  chooseDestination: chooseDestinationScreen,
  confirmClaim: { name: 'confirmClaim', journey: forgottenJourney, kind: 'forgottenCheckOut', amountCents: 1170, destination: 'amsterdam-centraal' },
  claiming: { name: 'claiming', journey: delayedJourney },
  claimResult: claimResultScreen({ refundReady: false }),
};

/** Every maintenance page, filled, so each is checked for headings, names and raw keys. */
const maintenancePages = MAINTENANCE_PAGES.map((page) =>
  maintenance({
    page,
    testCard: inspection,
    log: [{ at: '2025-11-20T10:15:30Z', level: 'warn', message: 'Reader reconnected after 2 attempts' }],
    audit: [{ at: '2025-11-20T10:16:00Z', actor: '•••• 9012', action: 'syncNow', detail: null }],
    deliveries: [
      { id: 'del-1', maskedCardNumber: '•••• 5678', kind: 'topup', state: 'writing', since: '2025-11-20T09:00:00Z' },
    ],
  }),
);

function expectNoRawKeys() {
  // An unknown key renders as itself ("failed.reasons.x"); a missing value as "{{x}}".
  // (The address of Mijn NS is data, and looks like a key.)
  expect(document.body.textContent?.replaceAll('www.ns.nl/mijnns', '')).not.toMatch(/\b[a-z][A-Za-z]*\.[a-z][A-Za-z_.]*\b|\{\{/);
  for (const element of document.body.querySelectorAll('[aria-label]')) {
    expect(element.getAttribute('aria-label')).not.toMatch(/^[a-z][A-Za-z]*\.[a-z]/);
  }
}

describe.each(LANGUAGES)('every screen in %s', (language) => {
  it.each(Object.values(samples))('$name has a heading, named buttons and no raw catalog keys', (sample) => {
    const { container } = renderKiosk(view(sample, { language }));
    expect(container.querySelector(`[data-screen="${sample.name}"]`)).not.toBeNull();
    expect(heading().textContent?.trim()).not.toBe('');
    for (const button of screen.getAllByRole('button')) expect(button).toHaveAccessibleName();
    expectNoRawKeys();
  });

  it.each(maintenancePages.map((sample) => ({ page: sample.maintenance.page, sample })))(
    'maintenance page $page has a heading, named buttons and no raw catalog keys',
    ({ sample }) => {
      renderKiosk(view(sample, { language }));
      expect(screen.getByRole('heading', { level: 2 }).textContent?.trim()).not.toBe('');
      for (const button of screen.getAllByRole('button')) expect(button).toHaveAccessibleName();
      expectNoRawKeys();
    },
  );
});
