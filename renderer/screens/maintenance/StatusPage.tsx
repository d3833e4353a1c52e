import { useId, type ReactNode } from 'react';
import type { Health, MaintenanceStatus } from '../../../kiosk/contract.js';
import { Button } from '../../components/Button.js';
import { Facts, type Fact } from '../../components/Facts.js';
import { HealthBadge } from '../../components/Health.js';
import { faultDetailLines } from '../../fault-detail.js';
import { useKiosk } from '../../kiosk-context.js';

function StatusLine({
  title,
  health,
  facts,
}: {
  readonly title: string;
  readonly health: Health;
  readonly facts: readonly Fact[];
}) {
  const headingId = useId();
  return (
    <section className="status-line" aria-labelledby={headingId}>
      <div className="status-line-head">
        <h3 id={headingId}>{title}</h3>
        <HealthBadge health={health} />
      </div>
      <Facts facts={facts} />
    </section>
  );
}

export function StatusPage({ status, busy }: { readonly status: MaintenanceStatus; readonly busy: boolean }) {
  const { t, send, dateTime, number, bytes } = useKiosk();
  const { reader, store, sync, app, disk, fault, clock } = status;
  const yesNo = (value: boolean): ReactNode => (value ? t('maintenance.yes') : t('maintenance.no'));
  const hours = Math.floor(app.uptimeSeconds / 3600);
  const minutes = Math.floor((app.uptimeSeconds % 3600) / 60);

  return (
    <>
      <div className="status-overall">
        <span className="status-overall-label">{t('maintenance.status.overall')}</span>
        <HealthBadge health={status.overall} />
      </div>

      {fault && (
        <StatusLine
          title={t('maintenance.status.fault.title')}
          health="red"
          facts={[
            { label: t('maintenance.status.fault.title'), value: t(`maintenance.faults.${fault.code}`) },
            { label: t('maintenance.status.fault.file'), value: fault.file ?? t('maintenance.none') },
            {
              label: t('maintenance.status.fault.detail'),
              value: faultDetailLines(t, fault.detail, bytes).map((line, i) => (
                <span key={i} className="fault-detail-line">
                  {line}
                </span>
              )),
            },
          ]}
        />
      )}

      <StatusLine
        title={t('maintenance.status.reader.title')}
        health={reader.health}
        facts={[
          { label: t('maintenance.status.reader.name'), value: reader.name },
          {
            label: t('maintenance.status.reader.status'),
            value: reader.fault ? t(`maintenance.readerFault.${reader.fault}`) : t(`maintenance.readerStatus.${reader.status}`),
          },
          {
            label: t('maintenance.status.reader.lastCard'),
            value: reader.lastCardAt === null ? t('maintenance.status.noCardYet') : dateTime(reader.lastCardAt),
          },
          { label: t('maintenance.status.reader.errors'), value: number(reader.errorsSinceStart) },
        ]}
      />
      {status.printer && (
        <StatusLine
          title={t('maintenance.status.printer.title')}
          health={status.printer.health}
          facts={[
            { label: t('maintenance.status.printer.name'), value: status.printer.name },
            {
              label: t('maintenance.status.printer.status'),
              value:
                status.printer.condition === null
                  ? t('maintenance.status.printer.unknown')
                  : t(`maintenance.printerCondition.${status.printer.condition}`),
            },
            // Why it cannot be asked or print, as the adapter says it (the device file, the address).
            ...(status.printer.reason === null ? [] : [{ label: t('maintenance.status.printer.reason'), value: status.printer.reason }]),
          ]}
        />
      )}
      <StatusLine
        title={t('maintenance.status.store.title')}
        health={store.health}
        facts={[
          { label: t('maintenance.status.store.size'), value: bytes(store.sizeBytes) },
          { label: t('maintenance.status.store.pendingOrders'), value: number(store.pendingOrders) },
          { label: t('maintenance.status.store.unsettled'), value: number(store.unsettledDeliveries) },
        ]}
      />
      <StatusLine
        title={t('maintenance.status.sync.title')}
        health={sync.health}
        facts={[
          { label: t('maintenance.status.sync.configured'), value: yesNo(sync.configured) },
          { label: t('maintenance.status.sync.online'), value: yesNo(sync.online) },
          {
            label: t('maintenance.status.sync.lastSuccess'),
            value: sync.lastSuccessAt === null ? t('maintenance.status.never') : dateTime(sync.lastSuccessAt),
          },
          { label: t('maintenance.status.sync.outbox'), value: number(sync.outboxDepth) },
          {
            label: t('maintenance.status.sync.lag'),
            value:
              sync.lagSeconds === null
                ? t('maintenance.status.unknown')
                : t('maintenance.status.lag', { count: sync.lagSeconds }),
          },
        ]}
      />
      <StatusLine
        title={t('maintenance.status.app.title')}
        health={app.health}
        facts={[
          { label: t('maintenance.status.app.version'), value: app.version },
          { label: t('maintenance.status.app.uptime'), value: t('maintenance.status.uptime', { hours: number(hours), minutes: number(minutes) }) },
          {
            label: t('maintenance.status.app.outOfService'),
            value:
              app.outOfService === null
                ? t('maintenance.status.inService')
                : t(`maintenance.serviceReasons.${app.outOfService}`),
          },
        ]}
      />
      <StatusLine
        title={t('maintenance.status.clock.title')}
        health={clock.health}
        facts={[
          {
            label: t('maintenance.status.clock.offset'),
            value:
              clock.offsetSeconds === null
                ? t('maintenance.status.unknown')
                : t('maintenance.status.clock.seconds', { value: number(clock.offsetSeconds) }),
          },
          { label: t('maintenance.status.clock.farOff'), value: yesNo(clock.farOff) },
        ]}
      />
      <StatusLine
        title={t('maintenance.status.disk.title')}
        health={disk.health}
        facts={[
          { label: t('maintenance.status.disk.free'), value: bytes(disk.freeBytes) },
          { label: t('maintenance.status.disk.total'), value: bytes(disk.totalBytes) },
        ]}
      />

      <div className="maint-actions" role="group" aria-label={t('maintenance.actionsLabel')}>
        <Button disabled={busy} onClick={() => send({ type: 'MAINT_ACTION', action: 'syncNow' })}>
          {t('maintenance.actions.syncNow')}
        </Button>
        <Button disabled={busy} onClick={() => send({ type: 'MAINT_ACTION', action: 'restartReader' })}>
          {t('maintenance.actions.restartReader')}
        </Button>
      </div>
    </>
  );
}
