// The technician's PIN. The digits live in this component's state only: they are never
// rendered (dots only), never sent except as SUBMIT_PIN, and forgotten once sent. App
// keys this component on the attempt, so a wrong PIN starts from an empty entry.
import { useCallback, useEffect, useId, useState } from 'react';
import { Button } from '../components/Button.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from '../../domain/index.js';
import { useKiosk } from '../kiosk-context.js';

/** What the contract accepts (SUBMIT_PIN), from domain/. */
export { PIN_MAX_DIGITS, PIN_MIN_DIGITS };

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

export interface PinProps {
  readonly entry: 'card' | 'serviceKey';
  readonly wrongPin: boolean;
  readonly attemptsLeft: number | null;
}

export function Pin({ entry, wrongPin, attemptsLeft }: PinProps) {
  const { t, send } = useKiosk();
  const [digits, setDigits] = useState('');
  const hintId = useId();
  const complete = digits.length >= PIN_MIN_DIGITS;

  const press = useCallback((digit: string) => {
    setDigits((current) => (current.length >= PIN_MAX_DIGITS ? current : current + digit));
  }, []);
  const backspace = useCallback(() => setDigits((current) => current.slice(0, -1)), []);
  const clear = useCallback(() => setDigits(''), []);
  const submit = useCallback(() => {
    if (digits.length < PIN_MIN_DIGITS || digits.length > PIN_MAX_DIGITS) return;
    send({ type: 'SUBMIT_PIN', pin: digits });
    setDigits('');
  }, [digits, send]);

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

  return (
    <ScreenLayout
      name="pin"
      title={t('pin.title')}
      actions={
        <Button variant="secondary" onClick={() => send({ type: 'EXIT_MAINTENANCE' })}>
          {t('common.stop')}
        </Button>
      }
    >
      <p>{entry === 'card' ? t('pin.bodyCard') : t('pin.bodyServiceKey')}</p>
      {wrongPin && (
        <div className="alert" role="alert">
          <p className="alert-title">{t('pin.wrong')}</p>
          {attemptsLeft !== null && <p>{t('pin.attemptsLeft', { count: attemptsLeft })}</p>}
        </div>
      )}
      <div className="pin-entry">
        {/* Dots only: how many digits, never which. */}
        <p className="pin-dots" role="status" aria-describedby={hintId}>
          <span className="visually-hidden">{t('pin.entered', { count: digits.length })}</span>
          {Array.from({ length: Math.max(PIN_MIN_DIGITS, digits.length) }, (_, index) => (
            <span
              key={index}
              className={index < digits.length ? 'pin-dot pin-dot--filled' : 'pin-dot'}
              aria-hidden="true"
              data-testid={index < digits.length ? 'pin-dot' : undefined}
            />
          ))}
        </p>
        <p id={hintId} className="pin-hint">
          {t('pin.hint')}
        </p>
      </div>
      <div className="keypad" role="group" aria-label={t('pin.keypad')}>
        {DIGIT_ROWS.flat().map((digit) => (
          <button key={digit} type="button" className="keypad-key" data-keypad onClick={() => press(digit)}>
            {digit}
          </button>
        ))}
        <button type="button" className="keypad-key keypad-key--text" data-keypad onClick={clear}>
          {t('pin.clear')}
        </button>
        <button type="button" className="keypad-key" data-keypad onClick={() => press('0')}>
          0
        </button>
        <button
          type="button"
          className="keypad-key keypad-key--text"
          data-keypad
          aria-label={t('pin.backspace')}
          onClick={backspace}
        >
          <span aria-hidden="true">{t('pin.backspaceKey')}</span>
        </button>
        <button
          type="button"
          className="keypad-key keypad-key--ok"
          data-keypad
          disabled={!complete}
          onClick={submit}
        >
          {t('pin.ok')}
        </button>
      </div>
    </ScreenLayout>
  );
}
