import type { LogLineView } from '../../../kiosk/contract.js';
import { useKiosk } from '../../kiosk-context.js';

/** One labelled field of a line: the kiosk's state, the order, the reason. */
function LogField({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <span className="log-field">
      <span className="log-field-name">{label}</span> {value}
    </span>
  );
}

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
          <span className="log-message">
            {line.message}
            {line.state !== undefined && <LogField label={t('maintenance.log.state')} value={line.state} />}
            {line.order !== undefined && <LogField label={t('maintenance.log.order')} value={line.order} />}
            {line.reason !== undefined && <LogField label={t('maintenance.log.reason')} value={line.reason} />}
          </span>
        </li>
      ))}
    </ol>
  );
}
