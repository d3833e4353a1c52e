import { ASSIST_OPTIONS, type Assist } from '../../domain/index.js';
import { useKiosk } from '../kiosk-context.js';

/**
 * Help the traveller switches on for themselves (EN 301 549): high contrast, large
 * text (each on its own), spoken guidance, more time. On every screen, next to the language; each is a
 * toggle (aria-pressed) whose state is the machine's, reset for the next traveller.
 */
export function AssistBar({ assist }: { readonly assist: Assist }) {
  const { t, send } = useKiosk();
  return (
    <div className="assist-bar" role="group" aria-label={t('assist.label')}>
      {ASSIST_OPTIONS.map((option) => (
        <button
          key={option}
          type="button"
          className={`assist-button assist-button--${option}`}
          aria-pressed={assist[option]}
          data-assist={option}
          onClick={() => send({ type: 'SET_ASSIST', option, on: !assist[option] })}
        >
          <span className="assist-icon" aria-hidden="true" />
          <span>{t(`assist.${option}`)}</span>
        </button>
      ))}
    </div>
  );
}
