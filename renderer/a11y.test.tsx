// Everyone can use it: the assistance toggles, the keypad alone, spoken guidance, and
// all four languages on every screen.
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NO_ASSIST } from '../domain/index.js';
import { createSpeaker, type Speaker } from './a11y/speech.js';
import { renderKiosk } from './test/render.js';
import { card, codeOrder, productOrder, topupOrder, view, ordersScreen, noOrdersScreen, deliveredScreen } from './test/views.js';

function fakeSpeaker() {
  const said: { text: string; lang: string }[] = [];
  const synth = {
    speak: (u: SpeechSynthesisUtterance) => said.push({ text: u.text, lang: u.lang }),
    cancel: () => undefined,
  };
  const speaker: Speaker = createSpeaker(synth, (text) => ({ text, lang: '' }) as SpeechSynthesisUtterance);
  return { said, speaker };
}

const key = (k: string) => fireEvent.keyDown(document.activeElement ?? document.body, { key: k });

describe('assistance', () => {
  it('offers high contrast, large text, speech and more time as toggles on every screen, and sends SET_ASSIST', async () => {
    const kiosk = renderKiosk(view({ name: 'idle' }));
    const group = screen.getByRole('group', { name: 'Hulp bij bediening' });
    expect(group).toBeInTheDocument();
    const contrast = screen.getByRole('button', { name: 'Hoog contrast' });
    expect(contrast).toHaveAttribute('aria-pressed', 'false');
    await kiosk.user.click(contrast);
    expect(kiosk.requests()).toEqual([{ type: 'SET_ASSIST', option: 'highContrast', on: true }]);

    kiosk.show(view({ name: 'menu', card }, { assist: { ...NO_ASSIST, highContrast: true, moreTime: true } }));
    expect(screen.getByRole('button', { name: 'Hoog contrast' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Meer tijd' })).toHaveAttribute('aria-pressed', 'true');
    expect(document.documentElement).toHaveClass('high-contrast');
    await kiosk.user.click(screen.getByRole('button', { name: 'Meer tijd' }));
    expect(kiosk.requests().at(-1)).toEqual({ type: 'SET_ASSIST', option: 'moreTime', on: false });

    // Large text is its own choice, apart from the colours.
    await kiosk.user.click(screen.getByRole('button', { name: 'Grote letters' }));
    expect(kiosk.requests().at(-1)).toEqual({ type: 'SET_ASSIST', option: 'largeText', on: true });
    kiosk.show(view({ name: 'menu', card }, { assist: { ...NO_ASSIST, largeText: true } }));
    expect(screen.getByRole('button', { name: 'Grote letters' })).toHaveAttribute('aria-pressed', 'true');
    expect(document.documentElement).toHaveClass('large-text');
    expect(document.documentElement).not.toHaveClass('high-contrast');

    // The next traveller: the machine reset it, the view follows.
    kiosk.show(view({ name: 'idle' }));
    expect(document.documentElement).not.toHaveClass('high-contrast');
    expect(document.documentElement).not.toHaveClass('large-text');
  });

  it('reads each screen and its choices in the chosen language, and names the focused control', () => {
    const { said, speaker } = fakeSpeaker();
    const kiosk = renderKiosk(view({ name: 'menu', card }), { speaker });
    expect(said).toEqual([]); // off until the traveller switches it on
    kiosk.show(view({ name: 'menu', card }, { assist: { ...NO_ASSIST, speech: true } }));
    expect(said.at(-1)?.lang).toBe('nl-NL');
    expect(said.at(-1)?.text).toMatch(/^Wat wilt u doen\?\. .*Kaartnummer.*Keuzes: Ophalen bestelling, Reizen en Geld Terug, Stoppen/);

    kiosk.show(view(ordersScreen([codeOrder, topupOrder]), { language: 'de', assist: { ...NO_ASSIST, speech: true } }));
    expect(said.at(-1)?.lang).toBe('de-DE');
    expect(said.at(-1)?.text).toMatch(/^Wählen Sie eine Bestellung\. .*Auswahl: Kaartservicecode/);
    expect(said.at(-1)?.text).toContain('20,00 €');

    key('ArrowDown');
    expect(said.at(-1)?.text).toMatch(/^Kaartservicecode/);
  });

  it('never speaks a kaartservicecode, even with speech on', () => {
    const { said, speaker } = fakeSpeaker();
    const kiosk = renderKiosk(view({ name: 'menu', card }), { speaker });
    kiosk.show(
      view(
        deliveredScreen(codeOrder, { kind: 'kaartservicecode', code: '4821-9034-7713' }),
        { assist: { ...NO_ASSIST, speech: true } },
      ),
    );
    expect(said.length).toBeGreaterThan(0);
    const spoken = said.map((s) => s.text).join(' | ');
    expect(spoken).not.toMatch(/4821|9034|7713/);
    expect(screen.getByTestId('kaartservicecode')).toHaveTextContent('4821-9034-7713');
  });

  it('is silent on the technician screens: no PIN digit is ever spoken', () => {
    const { said, speaker } = fakeSpeaker();
    const kiosk = renderKiosk(view({ name: 'menu', card }), { speaker });
    const before = said.length;
    kiosk.show(view({ name: 'pin', entry: 'serviceKey', wrongPin: false, attemptsLeft: null }, { assist: { ...NO_ASSIST, speech: true } }));
    for (const digit of ['4', '3', '2', '1']) screen.getByRole('button', { name: digit }).focus();
    expect(said.slice(before)).toEqual([]);
  });

  it('stays silent where there is no speech synthesis', () => {
    const kiosk = renderKiosk(view({ name: 'menu', card }, { assist: { ...NO_ASSIST, speech: true } }), { speaker: null });
    expect(screen.getByRole('button', { name: 'Spraak' })).toHaveAttribute('aria-pressed', 'true');
    kiosk.show(view({ name: 'idle' }, { assist: { ...NO_ASSIST, speech: true } }));
  });
});

describe('keypad alone', () => {
  it('moves focus with the arrows (screen first, wrapping), presses with OK, goes back with Escape', async () => {
    const kiosk = renderKiosk(view({ name: 'confirm', card, order: productOrder, also: [] }));
    expect(document.activeElement?.tagName).toBe('H1');
    key('ArrowDown');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Akkoord' }));
    key('ArrowDown');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Annuleren' }));
    key('ArrowDown');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Hoog contrast' }));
    key('ArrowUp');
    key('ArrowUp');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Akkoord' }));
    key('ArrowUp');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /FR/ }));
    key('Escape');
    expect(kiosk.requests()).toEqual([{ type: 'CANCEL' }]);
    await kiosk.user.keyboard('{Backspace}');
    expect(kiosk.requests()).toEqual([{ type: 'CANCEL' }, { type: 'CANCEL' }]);
  });

  it('keeps the arrows inside the inactivity question', () => {
    renderKiosk(view({ name: 'menu', card }, { inactivityWarning: true }));
    key('ArrowDown');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Ja, ga door' }));
    key('ArrowDown');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Ja, ga door' }));
  });

  it('has a back on every traveller screen that offers one', () => {
    const kiosk = renderKiosk(view(noOrdersScreen()));
    key('Escape');
    kiosk.show(view(ordersScreen([codeOrder])));
    key('Escape');
    kiosk.show(view({ name: 'menu', card }));
    key('Backspace');
    expect(kiosk.requests()).toEqual([{ type: 'BACK' }, { type: 'BACK' }, { type: 'STOP' }]);
  });
});

describe('four languages', () => {
  it('offers NL, EN, DE and FR on every screen and shows amounts and dates through Intl', async () => {
    const kiosk = renderKiosk(view({ name: 'menu', card }, { language: 'fr' }));
    const group = screen.getByRole('group', { name: 'Langue' });
    for (const name of [/Nederlands/, /English/, /Deutsch/, /Français/]) expect(group).toContainElement(screen.getByRole('button', { name }));
    expect(screen.getByText('12,50 €')).toBeInTheDocument();
    expect(screen.getByText('31 mars 2031')).toBeInTheDocument();
    kiosk.show(view({ name: 'menu', card }, { language: 'de' }));
    expect(screen.getByText('31. März 2031')).toBeInTheDocument();
    await kiosk.user.click(screen.getByRole('button', { name: /Français/ }));
    expect(kiosk.requests()).toEqual([{ type: 'SET_LANGUAGE', language: 'fr' }]);
  });
});
