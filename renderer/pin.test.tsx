// Technician mode, first step: the PIN. Digits stay in the keypad component and are only
// ever shown as dots; OK sends SUBMIT_PIN.
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Screen } from '../kiosk/contract.js';
import { renderKiosk } from './test/render.js';
import { view } from './test/views.js';

type PinScreen = Extract<Screen, { name: 'pin' }>;

function pin(overrides: Partial<PinScreen> = {}): PinScreen {
  return { name: 'pin', entry: 'card', wrongPin: false, attemptsLeft: null, ...overrides };
}

function heading() {
  return screen.getByRole('heading', { level: 1 });
}

const dots = () => screen.queryAllByTestId('pin-dot').length;
const keypad = () => within(screen.getByRole('group', { name: 'Cijfertoetsen' }));

/** Neither the text nor any attribute of the page holds the typed digits. */
function expectNotInDom(digits: string) {
  expect(document.body.innerHTML).not.toContain(digits);
  expect(document.body.textContent).not.toContain(digits);
  for (const input of document.querySelectorAll('input')) expect(input.value).not.toContain(digits);
}

describe('pin', () => {
  it('asks a technician with a card for the PIN', () => {
    renderKiosk(view(pin()));
    expect(heading()).toHaveTextContent('Monteursmodus');
    expect(screen.getByText('Monteurskaart herkend. Voer uw pincode in.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says so when the service key opened it', () => {
    renderKiosk(view(pin({ entry: 'serviceKey' })));
    expect(screen.getByText('Servicesleutel gebruikt. Voer uw pincode in.')).toBeInTheDocument();
  });

  it('has a keypad with big digit keys, Wissen, a named backspace and OK', () => {
    renderKiosk(view(pin()));
    const names = keypad()
      .getAllByRole('button')
      .map((button) => button.getAttribute('aria-label') ?? button.textContent);
    expect(names).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'Wissen', '0', 'Laatste cijfer wissen', 'OK']);
    expect(keypad().getByRole('button', { name: 'Laatste cijfer wissen' })).toHaveTextContent('←');
  });

  it('takes digits from the keypad, shows dots only and sends SUBMIT_PIN on OK', async () => {
    const kiosk = renderKiosk(view(pin()));
    const ok = keypad().getByRole('button', { name: 'OK' });
    expect(ok).toBeDisabled();

    // A PIN has at least 6 digits: OK waits for the sixth.
    for (const [index, digit] of ['5', '8', '2', '9', '1'].entries()) {
      await kiosk.user.click(keypad().getByRole('button', { name: digit }));
      expect(dots()).toBe(index + 1);
    }
    expect(ok).toBeDisabled();
    await kiosk.user.click(keypad().getByRole('button', { name: '4' }));
    expect(dots()).toBe(6);
    expect(screen.getByRole('status')).toHaveTextContent('6 cijfers ingevoerd');
    expectNotInDom('582914');
    expect(ok).toBeEnabled();

    await kiosk.user.click(ok);
    expect(kiosk.requests()).toEqual([{ type: 'SUBMIT_PIN', pin: '582914' }]);
    // Forgotten once sent.
    expect(dots()).toBe(0);
    expectNotInDom('582914');
  });

  it('clears with Wissen, removes one digit with ←, and stops at 8 digits', async () => {
    const kiosk = renderKiosk(view(pin()));
    const press = (name: string) => kiosk.user.click(keypad().getByRole('button', { name }));
    for (const digit of '123') await press(digit);
    await press('Wissen');
    expect(dots()).toBe(0);

    for (const digit of '3141592653') await press(digit);
    expect(dots()).toBe(8);
    await press('Laatste cijfer wissen');
    expect(dots()).toBe(7);
    await press('7');
    expectNotInDom('31415927');
    await press('OK');
    expect(kiosk.requests()).toEqual([{ type: 'SUBMIT_PIN', pin: '31415927' }]);
  });

  it('takes digits, Backspace and Enter from a physical keyboard', async () => {
    const kiosk = renderKiosk(view(pin()));
    await kiosk.user.keyboard('24613');
    expect(dots()).toBe(5);
    await kiosk.user.keyboard('{Enter}');
    expect(kiosk.requests()).toEqual([]);

    await kiosk.user.keyboard('8{Backspace}0');
    expect(dots()).toBe(6);
    expectNotInDom('246130');
    expectNotInDom('246138');
    await kiosk.user.keyboard('{Enter}');
    expect(kiosk.requests()).toEqual([{ type: 'SUBMIT_PIN', pin: '246130' }]);
  });

  it('takes numeric keypad digits, with NumLock on or off', () => {
    renderKiosk(view(pin()));
    fireEvent.keyDown(document.body, { key: '7', code: 'Numpad7' });
    fireEvent.keyDown(document.body, { key: 'Home', code: 'Numpad7' });
    fireEvent.keyDown(document.body, { key: 'PageUp', code: 'Numpad9' });
    expect(dots()).toBe(3);
    fireEvent.keyDown(document.body, { key: 'Home', code: 'Home' });
    expect(dots()).toBe(3);
  });

  it('ignores letters and digits typed with Control, Alt or Meta', async () => {
    const kiosk = renderKiosk(view(pin()));
    await kiosk.user.keyboard('a1b2{Control>}3{/Control}{Alt>}4{/Alt}');
    expect(dots()).toBe(2);
    expect(kiosk.requests()).toEqual([]);
  });

  it('treats Enter on a keypad key as OK, and Enter on Stoppen as Stoppen', async () => {
    const kiosk = renderKiosk(view(pin()));
    await kiosk.user.click(keypad().getByRole('button', { name: '7' }));
    await kiosk.user.keyboard('77777');
    // Focus is still on the "7" key: Enter submits instead of typing another 7.
    expect(keypad().getByRole('button', { name: '7' })).toHaveFocus();
    await kiosk.user.keyboard('{Enter}');
    expect(kiosk.requests()).toEqual([{ type: 'SUBMIT_PIN', pin: '777777' }]);

    screen.getByRole('button', { name: 'Stoppen' }).focus();
    await kiosk.user.keyboard('123456{Enter}');
    expect(kiosk.requests()).toEqual([{ type: 'SUBMIT_PIN', pin: '777777' }, { type: 'EXIT_MAINTENANCE' }]);
  });

  it('offers Stoppen, which leaves technician mode', async () => {
    const kiosk = renderKiosk(view(pin()));
    await kiosk.user.click(screen.getByRole('button', { name: 'Stoppen' }));
    expect(kiosk.requests()).toEqual([{ type: 'EXIT_MAINTENANCE' }]);
  });

  it('says the PIN was wrong and how many attempts are left', () => {
    const kiosk = renderKiosk(view(pin({ wrongPin: true, attemptsLeft: 2 })));
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Onjuiste pincode');
    expect(alert).toHaveTextContent('Nog 2 pogingen');
    kiosk.show(view(pin({ wrongPin: true, attemptsLeft: 1 })));
    expect(screen.getByRole('alert')).toHaveTextContent('Nog 1 poging');
    kiosk.show(view(pin({ wrongPin: true, attemptsLeft: null })));
    expect(screen.getByRole('alert')).toHaveTextContent(/^Onjuiste pincode$/);
  });

  it('starts from an empty entry after a wrong PIN', async () => {
    const kiosk = renderKiosk(view(pin()));
    await kiosk.user.keyboard('123');
    expect(dots()).toBe(3);
    kiosk.show(view(pin({ wrongPin: true, attemptsLeft: 2 })));
    expect(dots()).toBe(0);

    await kiosk.user.keyboard('45');
    kiosk.show(view(pin({ wrongPin: true, attemptsLeft: 1 })));
    expect(dots()).toBe(0);
  });

  it('keeps the entry when a view arrives for the same attempt (a language switch)', async () => {
    const kiosk = renderKiosk(view(pin()));
    await kiosk.user.keyboard('12');
    kiosk.show(view(pin(), { language: 'en' }));
    expect(heading()).toHaveTextContent('Technician mode');
    expect(dots()).toBe(2);
    expect(screen.getByRole('status')).toHaveTextContent('2 digits entered');
  });
});

describe('checkingPin', () => {
  it('says the PIN is being checked and offers nothing to press', () => {
    renderKiosk(view({ name: 'checkingPin' }));
    expect(heading()).toHaveTextContent('Pincode wordt gecontroleerd');
    expect(within(screen.getByRole('main')).queryAllByRole('button')).toHaveLength(0);
  });
});

describe('pinLocked', () => {
  it('says when to try again and offers Stoppen', async () => {
    const kiosk = renderKiosk(view({ name: 'pinLocked', minutesLeft: 15 }));
    expect(screen.getByText('Te vaak een onjuiste pincode. Probeer het over 15 minuten opnieuw.')).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: 'Stoppen' }));
    expect(kiosk.requests()).toEqual([{ type: 'EXIT_MAINTENANCE' }]);
  });

  it('counts a single minute in the singular', () => {
    renderKiosk(view({ name: 'pinLocked', minutesLeft: 1 }));
    expect(screen.getByText('Te vaak een onjuiste pincode. Probeer het over 1 minuut opnieuw.')).toBeInTheDocument();
  });

  it('offers no keypad', () => {
    renderKiosk(view({ name: 'pinLocked', minutesLeft: 15 }));
    expect(screen.queryByRole('group', { name: 'Cijfertoetsen' })).not.toBeInTheDocument();
  });
});

describe('the service key: which technician first', () => {
  it('takes the 16 digits of the technician card, shows them in groups, and sends them on OK only when complete', async () => {
    const kiosk = renderKiosk(view({ name: 'technicianCard' }));
    expect(heading()).toHaveTextContent('Monteursmodus');
    expect(screen.getByText(/Voer het nummer van uw monteurskaart in/)).toBeInTheDocument();
    const ok = keypad().getByRole('button', { name: 'OK' });
    await kiosk.user.keyboard('999900001234000');
    expect(screen.getByTestId('technician-card-number')).toHaveTextContent('9999 0000 1234 000');
    expect(ok).toBeDisabled();
    await kiosk.user.keyboard('1');
    // No 17th digit.
    await kiosk.user.keyboard('5');
    expect(screen.getByTestId('technician-card-number')).toHaveTextContent('9999 0000 1234 0001');
    await kiosk.user.click(ok);
    expect(kiosk.requests()).toEqual([{ type: 'SUBMIT_TECHNICIAN_CARD', cardNumber: '9999000012340001' }]);
    await kiosk.user.click(screen.getByRole('button', { name: 'Stoppen' }));
    expect(kiosk.requests().at(-1)).toEqual({ type: 'EXIT_MAINTENANCE' });
  });
});
