// The receipt on the traveller's screens: told before Akkoord when there will be none,
// "Bon afdrukken" on the delivered screen only while it can print, and what became of it.
import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import type { ReceiptView } from '../kiosk/contract.js';
import { renderKiosk } from './test/render.js';
import { card, codeOrder, deliveredScreen, KAARTSERVICECODE, maintenance, status, view } from './test/views.js';

const code = { kind: 'kaartservicecode', code: KAARTSERVICECODE } as const;

async function violations(container: HTMLElement) {
  const result = await axe.run(container, { resultTypes: ['violations'] });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the confirm screen and the printer', () => {
  it('says before Akkoord that there will be no receipt when the printer cannot print', async () => {
    const { container } = renderKiosk(view({ name: 'confirm', card, order: codeOrder, also: [], receipt: { available: false, state: 'none' } }));
    expect(screen.getByText('Er is nu geen bon beschikbaar: de bonprinter werkt niet. Ophalen kan wel.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Akkoord' })).toBeEnabled();
    expect(await violations(container)).toEqual([]);
  });

  it('says nothing of receipts while the printer can print, or where there is none', () => {
    const kiosk = renderKiosk(view({ name: 'confirm', card, order: codeOrder, also: [], receipt: { available: true, state: 'none' } }));
    expect(screen.queryByTestId('no-receipt')).not.toBeInTheDocument();
    kiosk.show(view({ name: 'confirm', card, order: codeOrder, also: [] }));
    expect(screen.queryByTestId('no-receipt')).not.toBeInTheDocument();
  });
});

describe('Bon afdrukken on the delivered screen', () => {
  const delivered = (receipt?: ReceiptView) => view(deliveredScreen(codeOrder, code, { moreOrders: false, ...(receipt ? { receipt } : {}) }));

  it('asks the kiosk to print, once the traveller presses it', async () => {
    const kiosk = renderKiosk(delivered({ available: true, state: 'none' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Bon afdrukken' }));
    expect(kiosk.requests()).toEqual([{ type: 'PRINT_RECEIPT' }]);
    expect(await violations(kiosk.container)).toEqual([]);
  });

  it.each([
    ['printing', 'Uw bon wordt afgedrukt…'],
    ['printed', 'Uw bon is afgedrukt. Vergeet hem niet mee te nemen.'],
    ['alreadyPrinted', 'De bon van deze bestelling is al afgedrukt.'],
  ] as const)('%s: says so, and offers no second receipt', (state, text) => {
    renderKiosk(delivered({ available: true, state }));
    expect(screen.getByText(text)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Bon afdrukken' })).not.toBeInTheDocument();
  });

  it('after a failure: says so, and offers it again when the printer can print', () => {
    renderKiosk(delivered({ available: true, state: 'failed' }));
    expect(screen.getByText('De bon kon niet worden afgedrukt. Uw bestelling is wel opgehaald.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Bon afdrukken' })).toBeInTheDocument();
  });

  it('the printer cannot print: no button, and why', () => {
    renderKiosk(delivered({ available: false, state: 'none' }));
    expect(screen.getByText('Er is nu geen bon beschikbaar.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Bon afdrukken' })).not.toBeInTheDocument();
  });

  it('a station without a printer: no button and no word of receipts', () => {
    renderKiosk(delivered());
    expect(screen.queryByRole('button', { name: 'Bon afdrukken' })).not.toBeInTheDocument();
    expect(screen.queryByTestId('receipt-status')).not.toBeInTheDocument();
  });

  it('speaks the traveller’s language', () => {
    renderKiosk({ ...delivered({ available: true, state: 'none' }), language: 'fr' });
    expect(screen.getByRole('button', { name: 'Imprimer le reçu' })).toBeInTheDocument();
  });
});

describe('the technician’s status page', () => {
  it('shows the printer and its condition, only when there is one', () => {
    const kiosk = renderKiosk(view(maintenance({ status: { ...status, printer: { health: 'red', name: 'tcp 10.0.0.9:9100', condition: 'paperOut', reason: null } } })));
    expect(screen.getByText('Bonprinter')).toBeInTheDocument();
    expect(screen.getByText('Papier op')).toBeInTheDocument();
    expect(screen.getByText('tcp 10.0.0.9:9100')).toBeInTheDocument();
    expect(screen.queryByText('Oorzaak')).not.toBeInTheDocument();
    // Offline, and why: the adapter's reason, as data.
    kiosk.show(view(maintenance({ status: { ...status, printer: { health: 'red', name: 'device /dev/usb/lp0', condition: 'offline', reason: 'no device at /dev/usb/lp0' } } })));
    expect(screen.getByText('Oorzaak')).toBeInTheDocument();
    expect(screen.getByText('no device at /dev/usb/lp0')).toBeInTheDocument();
    kiosk.show(view(maintenance()));
    expect(screen.queryByText('Bonprinter')).not.toBeInTheDocument();
  });
});
