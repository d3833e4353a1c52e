// The technician's digit entry: an on-screen keypad (1–9, Wissen, 0, ←, OK) and a physical
// keyboard or cabinet keypad alike. What the digits are is the screen's business: the PIN
// shows dots only, the technician card number shows the digits.
import { useCallback, useEffect, useState } from 'react';
import { useKiosk } from '../kiosk-context.js';

const DIGIT_ROWS = [
  ['1', '2', '3'],
  ['4', '5', '6'],
  ['7', '8', '9'],
] as const;

const DIGIT = /^[0-9]$/;
/** A numeric keypad with NumLock off reports "Home", "PageUp", …: its code still says the digit. */
const NUMPAD_DIGIT = /^Numpad([0-9])$/;

function typedDigit(event: KeyboardEvent): string | null {
  if (DIGIT.test(event.key)) return event.key;
  return NUMPAD_DIGIT.exec(event.code)?.[1] ?? null;
}

export interface DigitEntry {
  readonly digits: string;
  readonly complete: boolean;
  press(digit: string): void;
  backspace(): void;
  clear(): void;
  submit(): void;
}

/**
 * Digits typed on the keypad or a keyboard, at most `max`; OK (or Enter) hands them to
 * `onSubmit` once there are at least `min`, and forgets them.
 */
export function useDigitEntry(min: number, max: number, onSubmit: (digits: string) => void): DigitEntry {
  const [digits, setDigits] = useState('');
  const complete = digits.length >= min;
  const press = useCallback((digit: string) => setDigits((current) => (current.length >= max ? current : current + digit)), [max]);
  const backspace = useCallback(() => setDigits((current) => current.slice(0, -1)), []);
  const clear = useCallback(() => setDigits(''), []);
  const submit = useCallback(() => {
    if (digits.length < min || digits.length > max) return;
    onSubmit(digits);
    setDigits('');
  }, [digits, min, max, onSubmit]);

  // A physical keyboard (a technician's laptop, or a keypad on the cabinet) works too.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
      const digit = typedDigit(event);
      if (digit !== null) {
        event.preventDefault();
        if (!event.repeat) press(digit);
      } else if (event.key === 'Backspace') {
        event.preventDefault();
        backspace();
      } else if (event.key === 'Enter') {
        // Enter on Stoppen or the language switch does what that button says; anywhere
        // else, keypad keys included, it is OK.
        const target = event.target instanceof Element ? event.target : null;
        if (target?.closest('button, a, input, select, textarea') && !target.closest('[data-keypad]')) return;
        event.preventDefault();
        if (!event.repeat) submit();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [press, backspace, submit]);

  return { digits, complete, press, backspace, clear, submit };
}

/** The on-screen keys of a digit entry. */
export function DigitKeypad({ entry }: { readonly entry: DigitEntry }) {
  const { t } = useKiosk();
  return (
    <div className="keypad" role="group" aria-label={t('pin.keypad')}>
      {DIGIT_ROWS.flat().map((digit) => (
        <button key={digit} type="button" className="keypad-key" data-keypad onClick={() => entry.press(digit)}>
          {digit}
        </button>
      ))}
      <button type="button" className="keypad-key keypad-key--text" data-keypad onClick={entry.clear}>
        {t('pin.clear')}
      </button>
      <button type="button" className="keypad-key" data-keypad onClick={() => entry.press('0')}>
        0
      </button>
      <button type="button" className="keypad-key keypad-key--text" data-keypad aria-label={t('pin.backspace')} onClick={entry.backspace}>
        <span aria-hidden="true">{t('pin.backspaceKey')}</span>
      </button>
      <button type="button" className="keypad-key keypad-key--ok" data-keypad disabled={!entry.complete} onClick={entry.submit}>
        {t('pin.ok')}
      </button>
    </div>
  );
}
