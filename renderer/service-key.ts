// The cabinet's key switch reaches the kiosk as a key combination (a keyboard encoder
// wired to the switch). The service configures it as "Control+Alt+KeyM": modifiers
// Control, Alt, Shift and Meta joined with '+', then one KeyboardEvent.code. `code` is
// the physical key, so the combination works whatever the keyboard layout.

const MODIFIERS = ['Control', 'Alt', 'Shift', 'Meta'] as const;
type Modifier = (typeof MODIFIERS)[number];

export interface KeyCombo {
  readonly code: string;
  readonly modifiers: ReadonlySet<Modifier>;
}

function isModifier(part: string): part is Modifier {
  return (MODIFIERS as readonly string[]).includes(part);
}

/** null for anything malformed: an empty string, an unknown or repeated modifier, no key. */
export function parseKeyCombo(text: string): KeyCombo | null {
  const parts = text.split('+');
  const code = parts.pop();
  if (code === undefined || !/^[A-Za-z0-9]+$/.test(code) || isModifier(code)) return null;
  const modifiers = new Set<Modifier>();
  for (const part of parts) {
    if (!isModifier(part) || modifiers.has(part)) return null;
    modifiers.add(part);
  }
  return { code, modifiers };
}

export type KeyState = Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>;

/** Exactly these modifiers: Control+Alt+KeyM does not fire on Control+Alt+Shift+KeyM. */
export function matchesKeyCombo(event: KeyState, combo: KeyCombo): boolean {
  return (
    event.code === combo.code &&
    event.ctrlKey === combo.modifiers.has('Control') &&
    event.altKey === combo.modifiers.has('Alt') &&
    event.shiftKey === combo.modifiers.has('Shift') &&
    event.metaKey === combo.modifiers.has('Meta')
  );
}
