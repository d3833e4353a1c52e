import { render } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { KioskView } from '../../kiosk/contract.js';
import type { Speaker } from '../a11y/speech.js';
import { App } from '../App.js';
import { createFakeBridge } from './fake-bridge.js';

/** Renders the App on a fake carrier and shows `first` (if given) as the service would. */
export function renderKiosk(first?: KioskView, options: { now?: () => number; speaker?: Speaker | null } = {}) {
  const fake = createFakeBridge();
  const user = userEvent.setup();
  const result = render(
    <App bridge={fake.bridge} devChannel={fake.devChannel} now={options.now ?? (() => 0)} speaker={options.speaker ?? null} />,
  );
  if (first) fake.show(first);
  return { ...result, ...fake, user };
}
