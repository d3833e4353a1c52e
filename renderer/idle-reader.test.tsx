// The idle screen shows where the reader is on this cabinet, in words and with an arrow.
import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { renderKiosk } from './test/render.js';
import { view } from './test/views.js';

describe('the idle screen and the reader', () => {
  it.each([
    ['below-screen', 'De kaartlezer zit onder het scherm.'],
    ['right', 'De kaartlezer zit rechts naast het scherm.'],
    ['left', 'De kaartlezer zit links naast het scherm.'],
  ] as const)('%s: says where it is, and points there', async (readerPosition, text) => {
    const { container } = renderKiosk(view({ name: 'idle', readerPosition }));
    expect(screen.getByText(text)).toBeInTheDocument();
    expect(container.querySelector(`[data-reader-position="${readerPosition}"]`)).not.toBeNull();
    const result = await axe.run(container, { resultTypes: ['violations'] });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });

  it('below the screen unless the station says otherwise, in the traveller’s language', () => {
    renderKiosk(view({ name: 'idle' }, { language: 'de' }));
    expect(screen.getByText('Das Kartenlesegerät befindet sich unter dem Bildschirm.')).toBeInTheDocument();
  });
});
