// One scenario per screen: the traveller sees the Dutch text and each button asks the
// machine for the right thing.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Screen, ScreenName } from '../kiosk/contract.js';
import { DELIVERY_FAILURES, LANGUAGES, MAINTENANCE_PAGES, READ_FAILURES } from '../domain/index.js';
import { nl } from './i18n/nl.js';
import { renderKiosk } from './test/render.js';
import {
  card,
  codeOrder,
  inspection,
  KAARTSERVICECODE,
  maintenance,
  productOrder,
  topupOrder,
  view,
} from './test/views.js';

function heading() {
  return screen.getByRole('heading', { level: 1 });
}

describe('outOfService', () => {
  it('says the machine is out of service while it starts', () => {
    renderKiosk(view({ name: 'outOfService', reason: 'starting', serviceReason: null }));
    expect(heading()).toHaveTextContent('Buiten gebruik');
    expect(screen.getByText('De automaat wordt opgestart. Een ogenblik geduld.')).toBeInTheDocument();
  });

  it('sends the traveller to another machine when the reader is gone', () => {
    renderKiosk(view({ name: 'outOfService', reason: 'noReader', serviceReason: null }));
    expect(heading()).toHaveTextContent('Buiten gebruik');
    expect(screen.getByText(/Gebruik een andere automaat/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Stoppen' })).not.toBeInTheDocument();
  });

  it.each([
    ['maintenance', 'Deze automaat is tijdelijk buiten gebruik voor onderhoud'],
    ['technicalFault', 'Deze automaat is tijdelijk buiten gebruik door een storing'],
    ['cleaning', 'Deze automaat wordt schoongemaakt'],
  ] as const)('tells the traveller why a technician took it out of service: %s', (serviceReason, text) => {
    renderKiosk(view({ name: 'outOfService', reason: 'manual', serviceReason }));
    expect(heading()).toHaveTextContent('Buiten gebruik');
    const message = screen.getByText(new RegExp(`^${text}`));
    expect(message).toHaveTextContent(/Gebruik een andere automaat/);
    expect(within(screen.getByRole('main')).queryAllByRole('button')).toHaveLength(0);
  });

  it('still says something when a manual stop comes without its reason', () => {
    renderKiosk(view({ name: 'outOfService', reason: 'manual', serviceReason: null }));
    expect(screen.getByText(/^Deze automaat is tijdelijk buiten gebruik\. Gebruik een andere automaat/)).toBeInTheDocument();
  });

  it('speaks English too', () => {
    renderKiosk(view({ name: 'outOfService', reason: 'manual', serviceReason: 'cleaning' }, { language: 'en' }));
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
    const kiosk = renderKiosk(view({ name: 'orders', card, orders: [codeOrder, productOrder, topupOrder] }));
    expect(heading()).toHaveTextContent('Kies een bestelling');
    const list = screen.getByRole('list');
    const buttons = within(list).getAllByRole('button');
    expect(buttons).toHaveLength(3);
    expect(buttons[0]).toHaveTextContent('Kaartservicecode');
    expect(buttons[1]).toHaveTextContent('Dal Voordeel');
    expect(buttons[1]).toHaveTextContent('Geldig van 1 december 2025 tot en met 30 november 2026');
    expect(buttons[2]).toHaveTextContent('Saldo € 20,00');

    await kiosk.user.click(screen.getByRole('button', { name: /Dal Voordeel/ }));
    await kiosk.user.click(screen.getByRole('button', { name: /Kaartservicecode/ }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Terug' }));
    expect(kiosk.requests()).toEqual([
      { type: 'SELECT_ORDER', orderId: 'ord-prod-1' },
      { type: 'SELECT_ORDER', orderId: 'ord-ksc-1' },
      { type: 'BACK' },
    ]);
  });

  it('gives a product code it does not know a generic name', () => {
    renderKiosk(view({ name: 'orders', card, orders: [{ ...productOrder, productCode: 'UNKNOWN_9' }] }));
    expect(screen.getByRole('button', { name: /Reisproduct/ })).toBeInTheDocument();
    expect(screen.queryByText('UNKNOWN_9')).not.toBeInTheDocument();
  });
});

describe('noOrders', () => {
  it('says nothing is waiting and offers Terug and Stoppen', async () => {
    const kiosk = renderKiosk(view({ name: 'noOrders', card }));
    expect(heading()).toHaveTextContent('Geen bestellingen gevonden');
    await kiosk.user.click(screen.getByRole('button', { name: 'Terug' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Stoppen' }));
    expect(kiosk.requests()).toEqual([{ type: 'BACK' }, { type: 'STOP' }]);
  });
});

describe('confirm', () => {
  it('shows the order with Akkoord and Annuleren', async () => {
    const kiosk = renderKiosk(view({ name: 'confirm', card, order: topupOrder }));
    expect(heading()).toHaveTextContent('Klopt deze bestelling?');
    expect(screen.getByText('Saldo € 20,00')).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Akkoord' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Annuleren' }));
    expect(kiosk.requests()).toEqual([{ type: 'CONFIRM' }, { type: 'CANCEL' }]);
  });
});

describe('delivering', () => {
  it('tells the traveller not to remove the card, and offers no way out', () => {
    renderKiosk(view({ name: 'delivering', order: productOrder }));
    expect(heading()).toHaveTextContent('Niet wegnemen — uw kaart wordt beschreven');
    expect(screen.getByText('Dal Voordeel')).toBeInTheDocument();
    expect(within(screen.getByRole('main')).queryAllByRole('button')).toHaveLength(0);
  });
});

describe('delivered', () => {
  it('reveals the kaartservicecode in large digits, once', async () => {
    const kiosk = renderKiosk(
      view({ name: 'delivered', order: codeOrder, outcome: { kind: 'kaartservicecode', code: KAARTSERVICECODE } }),
    );
    expect(heading()).toHaveTextContent('Uw kaartservicecode');
    expect(screen.getByText(KAARTSERVICECODE)).toHaveClass('code');
    expect(screen.getByText('Deze code wordt alleen nu getoond. Schrijf hem op voordat u verdergaat.')).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Nog een bestelling ophalen' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Klaar' }));
    expect(kiosk.requests()).toEqual([{ type: 'PICKUP' }, { type: 'STOP' }]);
  });

  it('shows the product and how long it is valid', () => {
    renderKiosk(
      view({
        name: 'delivered',
        order: productOrder,
        outcome: {
          kind: 'product',
          product: { productCode: 'WEEKEND_VRIJ', validFrom: '2025-12-01', validUntil: '2026-11-30' },
        },
      }),
    );
    expect(heading()).toHaveTextContent('Het product staat op uw kaart');
    expect(screen.getByText('Weekend Vrij')).toBeInTheDocument();
    expect(screen.getByText('Geldig van 1 december 2025 tot en met 30 november 2026')).toBeInTheDocument();
  });

  it('shows the amount loaded and the new balance', () => {
    renderKiosk(
      view({ name: 'delivered', order: topupOrder, outcome: { kind: 'topup', amountCents: 2000, balanceCents: 3250 } }),
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
  it.each(DELIVERY_FAILURES)('explains %s, says the order is safe, offers Opnieuw proberen and Stoppen', async (reason) => {
    const kiosk = renderKiosk(view({ name: 'failed', reason }));
    expect(heading()).toHaveTextContent('Het ophalen is niet gelukt');
    expect(screen.getByText('Uw bestelling is niet verloren.')).toBeInTheDocument();
    const message = nl.failed.reasons[reason].replace('{{max}}', '€ 150,00');
    expect(screen.getByText(message)).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Opnieuw proberen' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Stoppen' }));
    expect(kiosk.requests()).toEqual([{ type: 'PICKUP' }, { type: 'STOP' }]);
  });
});

/** One sample per screen name: adding a screen to the contract fails to compile here. */
const samples: { readonly [N in ScreenName]: Extract<Screen, { name: N }> } = {
  outOfService: { name: 'outOfService', reason: 'noReader', serviceReason: null },
  idle: { name: 'idle' },
  readingCard: { name: 'readingCard' },
  unknownCard: { name: 'unknownCard', reason: 'corruptCard' },
  menu: { name: 'menu', card },
  loadingOrders: { name: 'loadingOrders', card },
  orders: { name: 'orders', card, orders: [codeOrder, productOrder, topupOrder] },
  noOrders: { name: 'noOrders', card },
  confirm: { name: 'confirm', card, order: productOrder },
  delivering: { name: 'delivering', order: topupOrder },
  delivered: { name: 'delivered', order: codeOrder, outcome: { kind: 'kaartservicecode', code: KAARTSERVICECODE } },
  interrupted: { name: 'interrupted', order: codeOrder, differentCard: true, deadlineSeconds: 30 },
  failed: { name: 'failed', reason: 'balanceLimit' },
  pin: { name: 'pin', entry: 'card', wrongPin: true, attemptsLeft: 2 },
  checkingPin: { name: 'checkingPin' },
  pinLocked: { name: 'pinLocked', minutesLeft: 15 },
  maintenance: maintenance({ lastAction: { action: 'releaseDeliveries', ok: true, count: 2 } }),
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
  expect(document.body.textContent).not.toMatch(/\b[a-z][A-Za-z]*\.[a-z][A-Za-z_.]*\b|\{\{/);
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
