// The menu says how many orders wait for the card, before the traveller asks for them.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderKiosk } from './test/render.js';
import { card, view } from './test/views.js';

describe('the menu', () => {
  it.each([
    [0, 'Er staan nu geen bestellingen voor u klaar.'],
    [1, 'Er staat 1 bestelling voor u klaar.'],
    [3, 'Er staan 3 bestellingen voor u klaar.'],
  ])('%i waiting: says so', (waiting, text) => {
    renderKiosk(view({ name: 'menu', card, waiting }));
    expect(screen.getByTestId('menu-waiting')).toHaveTextContent(text);
  });

  it('says nothing of a count it was not given, and speaks French too', () => {
    const kiosk = renderKiosk(view({ name: 'menu', card }));
    expect(screen.queryByTestId('menu-waiting')).not.toBeInTheDocument();
    kiosk.show(view({ name: 'menu', card, waiting: 2 }, { language: 'fr' }));
    expect(screen.getByTestId('menu-waiting')).toHaveTextContent('2 commandes vous attendent.');
  });
});
