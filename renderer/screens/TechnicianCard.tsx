// The service key opens maintenance only for a technician who says who they are: the number
// of their technician card, typed on the keypad, before the PIN (issue 11: a PIN must open
// it as its own technician only). The number is not a secret: its digits are shown, in
// groups of four as on the card.
import { useCallback, useId } from 'react';
import { Button } from '../components/Button.js';
import { DigitKeypad, useDigitEntry } from '../components/DigitKeypad.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

const CARD_DIGITS = 16;

export function TechnicianCard() {
  const { t, send } = useKiosk();
  const hintId = useId();
  const submitNumber = useCallback((cardNumber: string) => send({ type: 'SUBMIT_TECHNICIAN_CARD', cardNumber }), [send]);
  const number = useDigitEntry(CARD_DIGITS, CARD_DIGITS, submitNumber);
  const groups = number.digits.match(/\d{1,4}/g) ?? [];
  return (
    <ScreenLayout
      name="technicianCard"
      title={t('pin.title')}
      actions={
        <Button variant="secondary" onClick={() => send({ type: 'EXIT_MAINTENANCE' })}>
          {t('common.stop')}
        </Button>
      }
    >
      <p>{t('technicianCard.body')}</p>
      <div className="pin-entry">
        <p className="card-number-entry" role="status" aria-describedby={hintId}>
          <span className="visually-hidden">{t('technicianCard.label')}: </span>
          <span data-testid="technician-card-number">{groups.join(' ')}</span>
        </p>
        <p id={hintId} className="pin-hint">
          {t('technicianCard.hint')}
        </p>
      </div>
      <DigitKeypad entry={number} />
    </ScreenLayout>
  );
}
