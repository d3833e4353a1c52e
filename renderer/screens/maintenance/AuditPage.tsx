import type { AuditLineView } from '../../../kiosk/contract.js';
import { MAINTENANCE_ACTIONS, type MaintenanceAction } from '../../../domain/index.js';
import { useKiosk } from '../../kiosk-context.js';

const ACTION_NAMES: readonly string[] = [...MAINTENANCE_ACTIONS, 'outOfService'];

function isActionName(action: string): action is MaintenanceAction['type'] {
  return ACTION_NAMES.includes(action);
}

export function AuditPage({ lines }: { readonly lines: readonly AuditLineView[] }) {
  const { t, dateTime } = useKiosk();
  if (lines.length === 0) return <p>{t('maintenance.audit.none')}</p>;
  return (
    <div className="table-scroll">
      <table className="maint-table">
        <thead>
          <tr>
            <th scope="col">{t('maintenance.audit.time')}</th>
            <th scope="col">{t('maintenance.audit.actor')}</th>
            <th scope="col">{t('maintenance.audit.action')}</th>
            <th scope="col">{t('maintenance.audit.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => (
            <tr key={index}>
              <td>
                <time dateTime={line.at}>{dateTime(line.at)}</time>
              </td>
              <td>{line.actor}</td>
              <td>{isActionName(line.action) ? t(`maintenance.actions.${line.action}`) : line.action}</td>
              <td>{line.detail ?? t('maintenance.none')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
