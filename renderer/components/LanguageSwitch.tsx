import { LANGUAGES } from '../../domain/index.js';
import { useKiosk } from '../kiosk-context.js';

export function LanguageSwitch() {
  const { t, language, send } = useKiosk();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          className="language-button"
          aria-pressed={lang === language}
          onClick={() => send({ type: 'SET_LANGUAGE', language: lang })}
        >
          <span className="language-short">{t(`language.${lang}Short`)}</span>
          <span className="language-name">{t(`language.${lang}`)}</span>
        </button>
      ))}
    </div>
  );
}
