import type { Health } from '../../kiosk/contract.js';
import { useKiosk } from '../kiosk-context.js';

/**
 * A red/amber/green indicator that does not rely on colour: each level has its own
 * shape (drawn in CSS, hidden from screen readers) and its word ("OK", "Let op", "Storing").
 */
export function HealthBadge({ health }: { readonly health: Health }) {
  const { t } = useKiosk();
  return (
    <span className={`health health--${health}`} data-health={health}>
      {t(`maintenance.health.${health}`)}
    </span>
  );
}
