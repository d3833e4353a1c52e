import type { LogLineView } from '../../../kiosk/contract.js';
import { useKiosk } from '../../kiosk-context.js';

/** Log messages are data from the service: shown as they are, never translated. */
export function LogPage({ lines }: { readonly lines: readonly LogLineView[] }) {
  const { t, dateTime } = useKiosk();
  if (lines.length === 0) return <p>{t('maintenance.log.none')}</p>;
  return (
    <ol className="log-lines">
      {lines.map((line, index) => (
        <li key={index} className={`log-line log-line--${line.level}`}>
          <time className="log-time" dateTime={line.at}>
            {dateTime(line.at)}
          </time>
          <span className="log-level">{line.level}</span>
          <span className="log-message">{line.message}</span>
        </li>
      ))}
    </ol>
  );
}
