import { useLayoutEffect, useId, useRef } from 'react';
import { useKiosk } from '../kiosk-context.js';

/** "Bent u er nog?": the machine decides when; any answer is an ACTIVITY. */
export function InactivityOverlay() {
  const { t, send } = useKiosk();
  const titleId = useId();
  const bodyId = useId();
  const button = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    button.current?.focus();
  }, []);
  return (
    <div className="overlay">
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={bodyId}>
        <h2 id={titleId}>{t('inactivity.title')}</h2>
        <p id={bodyId}>{t('inactivity.body')}</p>
        <button ref={button} type="button" className="btn btn--primary" onClick={() => send({ type: 'ACTIVITY' })}>
          {t('inactivity.continue')}
        </button>
      </div>
    </div>
  );
}
