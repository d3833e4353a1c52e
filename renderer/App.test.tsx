// What is the same on every screen: connection notices, language, the DEMO badge, the
// inactivity question and the ACTIVITY pings.
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_THROTTLE_MS } from './App.js';
import { renderKiosk } from './test/render.js';
import { card, codeOrder, KAARTSERVICECODE, productOrder, SERVICE_KEY, topupOrder, view, ordersScreen, deliveredScreen } from './test/views.js';

describe('connection', () => {
  it('shows "connecting" until the first view arrives', () => {
    const kiosk = renderKiosk();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Verbinding maken…');
    kiosk.show(view({ name: 'idle' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Houd uw OV-chipkaart voor de lezer');
  });

  it('replaces a stale screen with "reconnecting" while the connection is lost', () => {
    const kiosk = renderKiosk(view({ name: 'menu', card }, { language: 'en', demo: true }));
    kiosk.setConnection('lost');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Connection lost');
    expect(screen.getByText(/We are reconnecting/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Collect order' })).not.toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Language' })).not.toBeInTheDocument();

    kiosk.setConnection('open');
    expect(screen.getByRole('button', { name: 'Collect order' })).toBeInTheDocument();
  });
});

describe('language', () => {
  it('follows view.language: the machine switches to English and back', () => {
    const kiosk = renderKiosk(view({ name: 'menu', card }));
    expect(screen.getByRole('button', { name: 'Ophalen bestelling' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('nl');

    kiosk.show(view({ name: 'menu', card }, { language: 'en' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('What would you like to do?');
    expect(screen.getByRole('button', { name: 'Collect order' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeInTheDocument();
    expect(screen.queryByText('Ophalen bestelling')).not.toBeInTheDocument();
    // Amounts and dates follow too.
    expect(screen.getByText('€12.50')).toBeInTheDocument();
    expect(screen.getByText('31 March 2031')).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('en');
  });

  it('uses the NS wording in English', () => {
    const kiosk = renderKiosk(view({ name: 'idle' }, { language: 'en' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Hold your OV-chipkaart to the reader');
    kiosk.show(view({ name: 'confirm', card, order: productOrder, also: [] }, { language: 'en' }));
    expect(screen.getByRole('button', { name: 'OK' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
    // NS product names stay Dutch in every language.
    expect(screen.getByText('Dal Voordeel')).toBeInTheDocument();
    kiosk.show(view({ name: 'interrupted', order: topupOrder, differentCard: true, deadlineSeconds: 30 }, { language: 'en' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Hold the same card to the reader again');
    expect(screen.getByRole('alert')).toHaveTextContent('This is a different card');
    kiosk.show(view({ name: 'outOfService', reason: 'noReader', serviceReason: null, fault: null }, { language: 'en' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Out of service');
  });

  it('asks the machine to switch language from the NL / EN buttons', async () => {
    const kiosk = renderKiosk(view({ name: 'idle' }));
    const group = screen.getByRole('group', { name: 'Taal' });
    expect(group).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^NL/ })).toHaveAttribute('aria-pressed', 'true');
    await kiosk.user.click(screen.getByRole('button', { name: /^EN/ }));
    expect(kiosk.requests()).toEqual([{ type: 'SET_LANGUAGE', language: 'en' }]);
    // The renderer does not switch by itself: the machine's view decides.
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Houd uw OV-chipkaart voor de lezer');
  });
});

describe('demo badge', () => {
  it('shows DEMO only in demo mode', () => {
    const kiosk = renderKiosk(view({ name: 'idle' }));
    expect(screen.queryByText('DEMO')).not.toBeInTheDocument();
    kiosk.show(view({ name: 'idle' }, { demo: true }));
    expect(screen.getByText('DEMO')).toBeInTheDocument();
  });
});

describe('inactivity', () => {
  it('asks "Bent u er nog?" and answers with ACTIVITY', async () => {
    const kiosk = renderKiosk(view(ordersScreen([productOrder])));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();

    kiosk.show(view(ordersScreen([productOrder]), { inactivityWarning: true }));
    const dialog = screen.getByRole('alertdialog', { name: 'Bent u er nog?' });
    const button = screen.getByRole('button', { name: 'Ja, ga door' });
    expect(dialog).toContainElement(button);
    expect(button).toHaveFocus();

    kiosk.sent.length = 0;
    fireEvent.click(button);
    expect(kiosk.sent).toEqual([{ type: 'ACTIVITY' }]);

    kiosk.show(view(ordersScreen([productOrder])));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });
});

describe('activity', () => {
  it('sends ACTIVITY on touch and key press, at most once per 2 s', () => {
    let time = 10_000;
    const kiosk = renderKiosk(view({ name: 'menu', card }), { now: () => time });
    const activities = () => kiosk.sent.filter((event) => event.type === 'ACTIVITY').length;

    fireEvent.pointerDown(document.body);
    expect(activities()).toBe(1);
    time += ACTIVITY_THROTTLE_MS - 1;
    fireEvent.pointerDown(document.body);
    fireEvent.keyDown(document.body, { key: 'Tab' });
    expect(activities()).toBe(1);
    time += 1;
    fireEvent.keyDown(document.body, { key: 'Tab' });
    expect(activities()).toBe(2);
  });
});

describe('kaartservicecode', () => {
  it('is displayed on delivered and on no screen before it', () => {
    const before = [
      view(ordersScreen([codeOrder])),
      view({ name: 'confirm', card, order: codeOrder, also: [] }),
      view({ name: 'delivering', order: codeOrder }),
      view({ name: 'interrupted', order: codeOrder, differentCard: false, deadlineSeconds: 30 }),
    ];
    const kiosk = renderKiosk();
    for (const step of before) {
      kiosk.show(step);
      expect(screen.getAllByText('Kaartservicecode').length).toBeGreaterThan(0);
      expect(document.body).not.toHaveTextContent(KAARTSERVICECODE);
    }
    kiosk.show(view(deliveredScreen(codeOrder, { kind: 'kaartservicecode', code: KAARTSERVICECODE })));
    expect(screen.getByText(KAARTSERVICECODE)).toBeVisible();

    kiosk.show(view({ name: 'idle' }));
    expect(document.body).not.toHaveTextContent(KAARTSERVICECODE);
  });
});

describe('service key', () => {
  it(`sends SERVICE_KEY when the cabinet's key combination (${SERVICE_KEY}) is pressed`, async () => {
    const kiosk = renderKiosk(view({ name: 'idle' }));
    await kiosk.user.keyboard('{Control>}{Alt>}[KeyM]{/Alt}{/Control}');
    expect(kiosk.requests()).toEqual([{ type: 'SERVICE_KEY' }]);
  });

  it('ignores the key alone, other modifiers and held-down repeats', () => {
    const kiosk = renderKiosk(view({ name: 'menu', card }));
    fireEvent.keyDown(document.body, { code: 'KeyM', key: 'm' });
    fireEvent.keyDown(document.body, { code: 'KeyM', key: 'm', ctrlKey: true });
    fireEvent.keyDown(document.body, { code: 'KeyM', key: 'M', ctrlKey: true, altKey: true, shiftKey: true });
    fireEvent.keyDown(document.body, { code: 'KeyN', key: 'n', ctrlKey: true, altKey: true });
    expect(kiosk.requests()).toEqual([]);

    fireEvent.keyDown(document.body, { code: 'KeyM', key: 'µ', ctrlKey: true, altKey: true });
    fireEvent.keyDown(document.body, { code: 'KeyM', key: 'µ', ctrlKey: true, altKey: true, repeat: true });
    expect(kiosk.requests()).toEqual([{ type: 'SERVICE_KEY' }]);
  });

  it('follows view.serviceKey, and does nothing without a valid one', () => {
    const kiosk = renderKiosk(view({ name: 'idle' }, { serviceKey: 'Shift+F12' }));
    fireEvent.keyDown(document.body, { code: 'KeyM', ctrlKey: true, altKey: true });
    fireEvent.keyDown(document.body, { code: 'F12', shiftKey: true });
    expect(kiosk.requests()).toEqual([{ type: 'SERVICE_KEY' }]);

    kiosk.show(view({ name: 'idle' }, { serviceKey: '' }));
    fireEvent.keyDown(document.body, { code: 'F12', shiftKey: true });
    expect(kiosk.requests()).toHaveLength(1);
  });

  it('works on any screen, a PIN entry included, without typing into it', () => {
    const kiosk = renderKiosk(view({ name: 'pin', entry: 'serviceKey', wrongPin: false, attemptsLeft: null }));
    fireEvent.keyDown(document.body, { code: 'KeyM', key: 'm', ctrlKey: true, altKey: true });
    expect(kiosk.requests()).toEqual([{ type: 'SERVICE_KEY' }]);
    expect(screen.queryAllByTestId('pin-dot')).toHaveLength(0);
  });

  it('is not active while the connection is lost', () => {
    const kiosk = renderKiosk(view({ name: 'idle' }));
    kiosk.setConnection('lost');
    fireEvent.keyDown(document.body, { code: 'KeyM', ctrlKey: true, altKey: true });
    expect(kiosk.requests()).toEqual([]);
  });
});
