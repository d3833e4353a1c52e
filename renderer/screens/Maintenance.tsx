// The technician's screen: a tab bar of pages, "Monteursmodus verlaten" always in
// reach, what the last action did, and the page the machine says is open. Which page is
// open is the machine's state: a tab sends MAINT_SHOW and the next view shows it.
import { useId } from 'react';
import type { MaintenanceView } from '../../kiosk/contract.js';
import { MAINTENANCE_PAGES } from '../../domain/index.js';
import { Button } from '../components/Button.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';
import { AuditPage } from './maintenance/AuditPage.js';
import { DeliveriesPage } from './maintenance/DeliveriesPage.js';
import { LogPage } from './maintenance/LogPage.js';
import { OutOfServicePage } from './maintenance/OutOfServicePage.js';
import { StatusPage } from './maintenance/StatusPage.js';
import { TestCardPage } from './maintenance/TestCardPage.js';

function Page({ maintenance }: { readonly maintenance: MaintenanceView }) {
  const { page, busy } = maintenance;
  switch (page) {
    case 'status':
      return <StatusPage status={maintenance.status} busy={busy} />;
    case 'testCard':
      return <TestCardPage inspection={maintenance.testCard} />;
    case 'deliveries':
      return <DeliveriesPage deliveries={maintenance.deliveries} busy={busy} />;
    case 'log':
      return <LogPage lines={maintenance.log} />;
    case 'audit':
      return <AuditPage lines={maintenance.audit} />;
    case 'outOfService':
      return <OutOfServicePage current={maintenance.status.app.outOfService} busy={busy} />;
    default: {
      const _never: never = page;
      return null;
    }
  }
}

/** "Bezig…" while an action runs, then whether it worked; a live region either way. */
function ActionState({ maintenance }: { readonly maintenance: MaintenanceView }) {
  const { t } = useKiosk();
  const { busy, lastAction } = maintenance;
  return (
    <div className="maint-state" role="status">
      {busy ? (
        <p className="maint-busy">{t('maintenance.busy')}</p>
      ) : (
        lastAction !== null && (
          <div className={lastAction.ok ? 'maint-result maint-result--ok' : 'maint-result maint-result--failed'}>
            <p className="maint-result-title">
              {t(lastAction.ok ? 'maintenance.result.ok' : 'maintenance.result.failed', {
                action: t(`maintenance.actions.${lastAction.action}`),
              })}
            </p>
            {lastAction.count !== undefined && <p>{t('maintenance.result.count', { count: lastAction.count })}</p>}
          </div>
        )
      )}
    </div>
  );
}

export function Maintenance({ maintenance }: { readonly maintenance: MaintenanceView }) {
  const { t, send } = useKiosk();
  const pageHeadingId = useId();
  return (
    <ScreenLayout name="maintenance" title={t('maintenance.title')}>
      <div className="maint-bar">
        <nav className="maint-tabs" aria-label={t('maintenance.pagesLabel')}>
          <ul>
            {MAINTENANCE_PAGES.map((page) => (
              <li key={page}>
                <button
                  type="button"
                  className="maint-tab"
                  aria-current={page === maintenance.page ? 'page' : undefined}
                  onClick={() => send({ type: 'MAINT_SHOW', page })}
                >
                  {t(`maintenance.pages.${page}`)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <Button variant="secondary" onClick={() => send({ type: 'EXIT_MAINTENANCE' })}>
          {t('maintenance.exit')}
        </Button>
      </div>
      <ActionState maintenance={maintenance} />
      <section className={`maint-page maint-page--${maintenance.page}`} aria-labelledby={pageHeadingId}>
        <h2 id={pageHeadingId}>{t(`maintenance.pages.${maintenance.page}`)}</h2>
        <Page maintenance={maintenance} />
      </section>
    </ScreenLayout>
  );
}
