// The technician's PIN. The digits live in this component's state only: they are never
// rendered (dots only), never sent except as SUBMIT_PIN, and forgotten once sent. App
// keys this component on the attempt, so a wrong PIN starts from an empty entry.
import { useCallback, useId } from 'react';
import { Button } from '../components/Button.js';
import { DigitKeypad, useDigitEntry } from '../components/DigitKeypad.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from '../../domain/index.js';
import { useKiosk } from '../kiosk-context.js';

/** What the contract accepts (SUBMIT_PIN), from domain/. */
export { PIN_MAX_DIGITS, PIN_MIN_DIGITS };

export interface PinProps {
  readonly entry: 'card' | 'serviceKey';
  readonly wrongPin: boolean;
  readonly attemptsLeft: number | null;
}

export function Pin({ entry, wrongPin, attemptsLeft }: PinProps) {
  const { t, send } = useKiosk();
  const hintId = useId();
  const submitPin = useCallback((pin: string) => send({ type: 'SUBMIT_PIN', pin }), [send]);
  const pin = useDigitEntry(PIN_MIN_DIGITS, PIN_MAX_DIGITS, submitPin);
  const { digits } = pin;

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
      <DigitKeypad entry={pin} />
    </ScreenLayout>
  );
}
