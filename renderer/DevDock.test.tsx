// The developer dock drives the simulated reader: tap, remove, tear after N writes. It
// talks on its own channel, opened only while the kiosk's view says demo.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DevDockView } from '../demo/dev-contract.js';
import { renderKiosk } from './test/render.js';
import { view } from './test/views.js';

const dev: DevDockView = {
  cards: [
    { id: 'anna', label: 'Anna · 5678' },
    { id: 'bram', label: 'Bram · 4321' },
  ],
  presentCardId: null,
  tearAfterWrites: null,
};

function dock() {
  return screen.getByRole('complementary', { name: 'Ontwikkelaarsgereedschap' });
}

describe('developer dock', () => {
  it('is absent at a station: its channel is never opened', () => {
    const kiosk = renderKiosk(view({ name: 'idle' }));
    kiosk.showDock(dev);
    expect(screen.queryByRole('complementary')).not.toBeInTheDocument();
    expect(kiosk.openDevConnections()).toBe(0);
  });

  it('is absent in a demo whose channel sends no dock view', () => {
    const kiosk = renderKiosk(view({ name: 'idle' }, { demo: true }));
    expect(kiosk.openDevConnections()).toBe(1);
    expect(screen.queryByRole('complementary')).not.toBeInTheDocument();
    expect(document.querySelector('.layout--with-dock')).toBeNull();
  });

  it('taps a card, removes it, and arms a tear after N block writes', async () => {
    const kiosk = renderKiosk(view({ name: 'idle' }, { demo: true }));
    kiosk.showDock(dev);
    const panel = within(dock());
    expect(document.querySelector('.layout--with-dock')).not.toBeNull();
    expect(panel.getByText('Geen kaart op de lezer')).toBeInTheDocument();
    expect(panel.getByText('Niet ingesteld.')).toBeInTheDocument();
    expect(panel.getByRole('button', { name: 'Kaart wegnemen' })).toBeDisabled();

    await kiosk.user.click(panel.getByRole('button', { name: 'Bram · 4321' }));
    expect(kiosk.devCommands).toEqual([{ type: 'dev.tap', cardId: 'bram' }]);

    kiosk.show(view({ name: 'readingCard' }, { demo: true }));
    kiosk.showDock({ ...dev, presentCardId: 'bram' });
    expect(panel.getByText('Op de lezer: Bram · 4321')).toBeInTheDocument();
    expect(panel.getByRole('button', { name: 'Bram · 4321' })).toHaveAttribute('aria-pressed', 'true');
    await kiosk.user.click(panel.getByRole('button', { name: 'Kaart wegnemen' }));
    expect(kiosk.devCommands.at(-1)).toEqual({ type: 'dev.remove' });

    const select = panel.getByRole('combobox', { name: 'Na hoeveel blokschrijfacties' });
    expect(within(select).getAllByRole('option').map((option) => option.textContent)).toEqual(
      ['0', '1', '2', '3', '4', '5', '6', '7', '8'],
    );
    await kiosk.user.selectOptions(select, '3');
    await kiosk.user.click(panel.getByRole('button', { name: 'Instellen voor volgende levering' }));
    expect(kiosk.devCommands.at(-1)).toEqual({ type: 'dev.tearNextWrite', afterWrites: 3 });

    kiosk.showDock({ ...dev, presentCardId: 'bram', tearAfterWrites: 3 });
    expect(panel.getByText('Ingesteld: de volgende levering breekt af na 3 blokschrijfacties.')).toBeInTheDocument();
    // Dock commands are not traveller requests, and nothing of the dock went on the kiosk's carrier.
    expect(kiosk.requests()).toEqual([]);
    expect(kiosk.devCommands).toHaveLength(3);
  });

  it('hides while the connection is lost, closing its channel, and comes back with the kiosk', () => {
    const kiosk = renderKiosk(view({ name: 'idle' }, { demo: true }));
    kiosk.showDock(dev);
    expect(dock()).toBeInTheDocument();
    kiosk.setConnection('lost');
    expect(screen.queryByRole('complementary')).not.toBeInTheDocument();
    expect(kiosk.openDevConnections()).toBe(0);
    kiosk.setConnection('open');
    expect(kiosk.openDevConnections()).toBe(1);
    expect(dock()).toBeInTheDocument();
  });

  it('hides when its channel goes away', () => {
    const kiosk = renderKiosk(view({ name: 'idle' }, { demo: true }));
    kiosk.showDock(dev);
    kiosk.showDock(null);
    expect(screen.queryByRole('complementary')).not.toBeInTheDocument();
  });

  it('speaks the machine language', () => {
    const kiosk = renderKiosk(view({ name: 'idle' }, { language: 'en', demo: true }));
    kiosk.showDock({ ...dev, tearAfterWrites: 1 });
    const panel = within(screen.getByRole('complementary', { name: 'Developer tools' }));
    expect(panel.getByRole('button', { name: 'Remove card' })).toBeInTheDocument();
    expect(panel.getByText('Armed: the next delivery breaks off after 1 block write.')).toBeInTheDocument();
  });
});
