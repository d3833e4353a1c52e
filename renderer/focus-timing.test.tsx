// A keypad user's keys are handled between browser tasks. A new screen must take the focus
// in the same task that shows it: if focus moved later (a passive effect, its own task), an
// arrow pressed in between would be undone and the following OK would press nothing. CI saw
// exactly that once in Chromium (focus on "Ophalen bestelling", Enter, no orders screen).
import { render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskView } from '../kiosk/contract.js';
import { App } from './App.js';
import { createFakeBridge } from './test/fake-bridge.js';
import { card, codeOrder, ordersScreen, view } from './test/views.js';

type ActFlag = { IS_REACT_ACT_ENVIRONMENT?: boolean };

/** Pushes a view as the carrier does (a message event: no act, React's default lane). */
function rawCarrier() {
  const listeners = new Set<(view: KioskView) => void>();
  const fake = createFakeBridge();
  const bridge = {
    ...fake.bridge,
    subscribe(listener: (view: KioskView) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { bridge, devChannel: fake.devChannel, push: (v: KioskView) => listeners.forEach((l) => l(v)) };
}

/** Resolves in the microtask after the DOM first shows `name`: before any later task runs. */
function whenScreenAppears(name: string): Promise<string | null> {
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (document.querySelector(`[data-screen="${name}"]`)) {
        observer.disconnect();
        resolve(document.activeElement?.tagName ?? null);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
}

describe('focus on a new screen', () => {
  let before: boolean | undefined;
  beforeEach(() => {
    before = (globalThis as ActFlag).IS_REACT_ACT_ENVIRONMENT;
    (globalThis as ActFlag).IS_REACT_ACT_ENVIRONMENT = false;
  });
  afterEach(() => {
    (globalThis as ActFlag).IS_REACT_ACT_ENVIRONMENT = before;
  });

  it('is on the heading in the same task that shows the screen', async () => {
    const carrier = rawCarrier();
    render(<App bridge={carrier.bridge} devChannel={carrier.devChannel} now={() => 0} speaker={null} />);
    const menu = whenScreenAppears('menu');
    carrier.push(view({ name: 'menu', card }));
    await expect(menu).resolves.toBe('H1');
    const orders = whenScreenAppears('orders');
    carrier.push(view(ordersScreen([codeOrder])));
    await expect(orders).resolves.toBe('H1');
  });

  it('is on "Ja, ga door" in the same task that shows "Bent u er nog?"', async () => {
    const carrier = rawCarrier();
    render(<App bridge={carrier.bridge} devChannel={carrier.devChannel} now={() => 0} speaker={null} />);
    carrier.push(view({ name: 'menu', card }));
    await new Promise((r) => setTimeout(r, 50));
    const focused = new Promise<string | null>((resolve) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector('[role="alertdialog"]')) {
          observer.disconnect();
          const inDialog = document.activeElement?.closest('[role="alertdialog"]') != null;
          resolve(inDialog ? (document.activeElement?.textContent ?? null) : null);
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    carrier.push(view({ name: 'menu', card }, { inactivityWarning: true }));
    await expect(focused).resolves.toBe('Ja, ga door');
  });
});
