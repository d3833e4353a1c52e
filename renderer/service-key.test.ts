// "Control+Alt+KeyM" and friends: the configured key combination of the cabinet's key switch.
import { describe, expect, it } from 'vitest';
import { matchesKeyCombo, parseKeyCombo, type KeyState } from './service-key.js';

const none: KeyState = { code: '', ctrlKey: false, altKey: false, shiftKey: false, metaKey: false };

describe('parseKeyCombo', () => {
  it('reads modifiers and the KeyboardEvent.code', () => {
    const combo = parseKeyCombo('Control+Alt+KeyM');
    expect(combo?.code).toBe('KeyM');
    expect([...(combo?.modifiers ?? [])].sort()).toEqual(['Alt', 'Control']);
    expect(parseKeyCombo('F12')).toEqual({ code: 'F12', modifiers: new Set() });
    expect(parseKeyCombo('Meta+Shift+Digit9')?.modifiers).toEqual(new Set(['Meta', 'Shift']));
  });

  it.each(['', '+', 'Control+', 'Control+Alt', 'Ctrl+KeyM', 'Control+Control+KeyM', 'Control+Key M', 'control+KeyM'])(
    'refuses %j',
    (text) => {
      expect(parseKeyCombo(text)).toBeNull();
    },
  );
});

describe('matchesKeyCombo', () => {
  const combo = parseKeyCombo('Control+Alt+KeyM');
  if (!combo) throw new Error('fixture');

  it('matches exactly those modifiers with that key', () => {
    expect(matchesKeyCombo({ ...none, code: 'KeyM', ctrlKey: true, altKey: true }, combo)).toBe(true);
  });

  it.each([
    ['no modifiers', { ...none, code: 'KeyM' }],
    ['one modifier short', { ...none, code: 'KeyM', ctrlKey: true }],
    ['an extra modifier', { ...none, code: 'KeyM', ctrlKey: true, altKey: true, shiftKey: true }],
    ['another key', { ...none, code: 'KeyN', ctrlKey: true, altKey: true }],
  ])('does not match %s', (_name, event) => {
    expect(matchesKeyCombo(event, combo)).toBe(false);
  });
});
