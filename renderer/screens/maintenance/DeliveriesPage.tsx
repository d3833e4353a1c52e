import type { UnsettledDeliveryView } from '../../../kiosk/contract.js';
import { Button } from '../../components/Button.js';
import { useKiosk } from '../../kiosk-context.js';

// `kind` and `state` are plain strings in the contract: name the ones this renderer
// knows, show anything newer as it comes.
const KINDS = ['kaartservicecode', 'product', 'topup'] as const;
const STATES = ['pending', 'writing'] as const;

function known<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

export function DeliveriesPage({
  deliveries,
  busy,
}: {
  readonly deliveries: readonly UnsettledDeliveryView[];
  readonly busy: boolean;
}) {
  const { t, dateTime, send } = useKiosk();
  return (
    <>
      {deliveries.length === 0 ? (
        <p className="emphasis">{t('maintenance.deliveries.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="maint-table">
            <thead>
              <tr>
                <th scope="col">{t('maintenance.deliveries.card')}</th>
                <th scope="col">{t('maintenance.deliveries.kind')}</th>
                <th scope="col">{t('maintenance.deliveries.state')}</th>
                <th scope="col">{t('maintenance.deliveries.since')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <td className="card-number">{delivery.maskedCardNumber}</td>
                  <td>{known(KINDS, delivery.kind) ? t(`maintenance.deliveries.kinds.${delivery.kind}`) : delivery.kind}</td>
                  <td>
                    {known(STATES, delivery.state) ? t(`maintenance.deliveries.states.${delivery.state}`) : delivery.state}
                  </td>
                  <td>
                    <time dateTime={delivery.since}>{dateTime(delivery.since)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>{t('maintenance.deliveries.explanation')}</p>
      <div className="maint-actions">
        <Button
          disabled={busy || deliveries.length === 0}
          onClick={() => send({ type: 'MAINT_ACTION', action: 'releaseDeliveries' })}
        >
          {t('maintenance.deliveries.release')}
        </Button>
      </div>
    </>
  );
}
