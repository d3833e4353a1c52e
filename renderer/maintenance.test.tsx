// Technician mode after the PIN: pages, actions, and what the machine reports.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MaintenanceStatus } from '../kiosk/contract.js';
import { MAINTENANCE_PAGES, READ_FAILURES } from '../domain/index.js';
import { nl } from './i18n/nl.js';
import { renderKiosk } from './test/render.js';
import { inspection, maintenance, status, view } from './test/views.js';

/** What the kiosk shows for an instant, in whatever time zone the test runs. */
function localDateTime(iso: string, locale = 'nl-NL') {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

const tabs = () => within(screen.getByRole('navigation', { name: 'Onderdelen van de monteursmodus' }));
const pageHeading = () => screen.getByRole('heading', { level: 2 });
const region = (name: string) => within(screen.getByRole('region', { name }));

/** The value next to a label in a description list. */
function fact(scope: ReturnType<typeof within>, label: string) {
  const term = scope.getByText(label, { selector: 'dt' });
  return term.nextElementSibling?.textContent;
}

describe('maintenance: frame', () => {
  it('shows a tab per page with the current one marked, and sends MAINT_SHOW', async () => {
    const kiosk = renderKiosk(view(maintenance()));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Monteursmodus');
    const buttons = tabs().getAllByRole('button');
    expect(buttons.map((button) => button.textContent)).toEqual([
      'Status',
      'Kaart testen',
      'Leveringen',
      'Logboek',
      'Auditlog',
      'Buiten gebruik',
    ]);
    expect(tabs().getByRole('button', { name: 'Status' })).toHaveAttribute('aria-current', 'page');
    expect(buttons.filter((button) => button.hasAttribute('aria-current'))).toHaveLength(1);
    expect(pageHeading()).toHaveTextContent('Status');

    await kiosk.user.click(tabs().getByRole('button', { name: 'Logboek' }));
    await kiosk.user.click(tabs().getByRole('button', { name: 'Kaart testen' }));
    expect(kiosk.requests()).toEqual([
      { type: 'MAINT_SHOW', page: 'log' },
      { type: 'MAINT_SHOW', page: 'testCard' },
    ]);
    // The machine decides which page is open.
    expect(pageHeading()).toHaveTextContent('Status');
    kiosk.show(view(maintenance({ page: 'log' })));
    expect(tabs().getByRole('button', { name: 'Logboek' })).toHaveAttribute('aria-current', 'page');
    expect(tabs().getByRole('button', { name: 'Status' })).not.toHaveAttribute('aria-current');
    expect(pageHeading()).toHaveTextContent('Logboek');
  });

  it.each(MAINTENANCE_PAGES)('offers "Monteursmodus verlaten" on the %s page', async (page) => {
    const kiosk = renderKiosk(view(maintenance({ page, busy: true })));
    const exit = screen.getByRole('button', { name: 'Monteursmodus verlaten' });
    expect(exit).toBeEnabled();
    await kiosk.user.click(exit);
    expect(kiosk.requests()).toEqual([{ type: 'EXIT_MAINTENANCE' }]);
  });

  it('says "Bezig…" and disables the actions while one runs; tabs stay usable', () => {
    renderKiosk(view(maintenance({ busy: true })));
    expect(screen.getByRole('status')).toHaveTextContent('Bezig…');
    expect(screen.getByRole('button', { name: 'Nu synchroniseren' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Kaartlezer herstarten' })).toBeDisabled();
    for (const tab of tabs().getAllByRole('button')) expect(tab).toBeEnabled();
  });

  it('reports the last action by name, with its count', () => {
    const kiosk = renderKiosk(view(maintenance({ lastAction: { action: 'releaseDeliveries', ok: true, count: 2 } })));
    expect(screen.getByRole('status')).toHaveTextContent('Gelukt: Leveringen vrijgeven');
    expect(screen.getByRole('status')).toHaveTextContent('Aantal: 2');
    expect(screen.queryByText('Bezig…')).not.toBeInTheDocument();

    kiosk.show(view(maintenance({ lastAction: { action: 'syncNow', ok: false } })));
    expect(screen.getByRole('status')).toHaveTextContent(/^Mislukt: Nu synchroniseren$/);

    kiosk.show(view(maintenance({ lastAction: { action: 'outOfService', ok: true } })));
    expect(screen.getByRole('status')).toHaveTextContent(/^Gelukt: Buiten gebruik stellen$/);
  });

  it('speaks English too', () => {
    renderKiosk(view(maintenance({ lastAction: { action: 'restartReader', ok: true } }), { language: 'en' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Technician mode');
    expect(screen.getByRole('button', { name: 'Leave technician mode' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Succeeded: Restart card reader');
    expect(region('Synchronisation').getByText('Warning')).toBeInTheDocument();
    expect(fact(region('Storage'), 'Database size')).toBe('12.3 MB');
    expect(fact(region('Card reader'), 'Last card')).toBe(localDateTime(status.reader.lastCardAt ?? '', 'en-GB'));
  });
});

describe('maintenance: status page', () => {
  it('a fault comes first, red, with what it is, the file and the cause; a clock far off is amber with its offset', () => {
    const m = maintenance();
    if (m.name !== 'maintenance') throw new Error('not the maintenance screen');
    const status = {
      ...m.maintenance.status,
      overall: 'red' as const,
      fault: { code: 'storeReadOnly' as const, file: '/data/kiosk.db', detail: { kind: 'errno' as const, errno: 'EROFS' } },
      clock: { health: 'amber' as const, offsetSeconds: 1_296_000, farOff: true },
    };
    renderKiosk(view({ ...m, maintenance: { ...m.maintenance, status } }));
    const lines = screen.getAllByRole('region').filter((element) => element.classList.contains('status-line'));
    expect(within(lines[0] as HTMLElement).getByRole('heading', { level: 3 })).toHaveTextContent('Storing');
    const fault = region('Storing');
    expect(fault.getByText('De database kan niet schrijven (alleen lezen)')).toBeInTheDocument();
    expect(fault.getByText('/data/kiosk.db')).toBeInTheDocument();
    expect(fault.getByText('het systeem meldt EROFS')).toBeInTheDocument();
    const clock = region('Klok');
    expect(clock.getByText('Let op')).toBeInTheDocument();
    expect(clock.getByText(/1\.296\.000 s/)).toBeInTheDocument();
  });

  it('shows the overall health first, then six lines each with a worded indicator', () => {
    const { container } = renderKiosk(view(maintenance()));
    const overall = container.querySelector('.status-overall');
    expect(overall).toHaveTextContent('Algemene status');
    expect(overall).toHaveTextContent('Let op');

    const lines = screen.getAllByRole('region').filter((element) => element.classList.contains('status-line'));
    expect(lines.map((line) => within(line).getByRole('heading', { level: 3 }).textContent)).toEqual([
      'Kaartlezer',
      'Opslag',
      'Synchronisatie',
      'Applicatie',
      'Klok',
      'Schijf',
    ]);
    const expected = { Kaartlezer: 'OK', Opslag: 'OK', Synchronisatie: 'Let op', Applicatie: 'OK', Klok: 'OK', Schijf: 'Storing' };
    for (const [name, word] of Object.entries(expected)) {
      const badge = region(name).getByText(word);
      // Colour is backed by the word and by data-health (shape in CSS).
      expect(badge).toHaveClass('health');
      expect(badge.getAttribute('data-health')).toBe({ OK: 'green', 'Let op': 'amber', Storing: 'red' }[word]);
    }
  });

  it('lists the facts of each line with their labels', () => {
    renderKiosk(view(maintenance()));
    const reader = region('Kaartlezer');
    expect(fact(reader, 'Naam')).toBe('ACS ACR122U PICC Interface');
    expect(fact(reader, 'Status')).toBe('Gereed');
    expect(fact(reader, 'Laatste kaart')).toBe(localDateTime('2025-11-20T10:15:30Z'));
    expect(fact(reader, 'Fouten sinds start')).toBe('2');

    const store = region('Opslag');
    expect(fact(store, 'Grootte database')).toBe('12,3 MB');
    expect(fact(store, 'Openstaande bestellingen')).toBe('17');
    expect(fact(store, 'Onafgeronde leveringen')).toBe('1');

    const sync = region('Synchronisatie');
    expect(fact(sync, 'Ingesteld')).toBe('Ja');
    expect(fact(sync, 'Verbonden met backoffice')).toBe('Nee');
    expect(fact(sync, 'Laatst gelukt')).toBe('nog nooit');
    expect(fact(sync, 'Wachtrij naar backoffice')).toBe('4');
    expect(fact(sync, 'Achterstand')).toBe('95 seconden');

    const app = region('Applicatie');
    expect(fact(app, 'Versie')).toBe('0.1.0');
    expect(fact(app, 'In bedrijf sinds start')).toBe('3 u 25 min');
    expect(fact(app, 'Buiten gebruik')).toBe('Nee, in gebruik');

    const disk = region('Schijf');
    expect(fact(disk, 'Vrij')).toBe('450 MB');
    expect(fact(disk, 'Totaal')).toBe('32 GB');
  });

  it('another program using the reader shows as that fault, not as a card error', () => {
    const busy: MaintenanceStatus = { ...status, reader: { ...status.reader, health: 'amber', status: 'card_error', fault: 'readerInUse' } };
    renderKiosk(view(maintenance({ status: busy })));
    expect(fact(region('Kaartlezer'), 'Status')).toBe('Een ander programma gebruikt de kaartlezer');
  });

  it('says "nog geen" before the first card, translates reader states, and shows unknown lag', () => {
    const quiet: MaintenanceStatus = {
      ...status,
      reader: { ...status.reader, health: 'red', status: 'no_reader', lastCardAt: null },
      sync: { ...status.sync, lastSuccessAt: '2025-11-20T10:00:00Z', lagSeconds: null },
      app: { ...status.app, outOfService: 'technicalFault' },
    };
    renderKiosk(view(maintenance({ status: quiet })));
    expect(fact(region('Kaartlezer'), 'Laatste kaart')).toBe('nog geen');
    expect(fact(region('Kaartlezer'), 'Status')).toBe('Geen kaartlezer gevonden');
    expect(region('Kaartlezer').getByText('Storing')).toHaveAttribute('data-health', 'red');
    expect(fact(region('Synchronisatie'), 'Laatst gelukt')).toBe(localDateTime('2025-11-20T10:00:00Z'));
    expect(fact(region('Synchronisatie'), 'Achterstand')).toBe('onbekend');
    expect(fact(region('Applicatie'), 'Buiten gebruik')).toBe('Storing');
  });

  it('synchronises now and restarts the reader', async () => {
    const kiosk = renderKiosk(view(maintenance()));
    await kiosk.user.click(screen.getByRole('button', { name: 'Nu synchroniseren' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Kaartlezer herstarten' }));
    expect(kiosk.requests()).toEqual([
      { type: 'MAINT_ACTION', action: 'syncNow' },
      { type: 'MAINT_ACTION', action: 'restartReader' },
    ]);
  });
});

describe('maintenance: testCard page', () => {
  it('asks for a card until one is read', () => {
    renderKiosk(view(maintenance({ page: 'testCard' })));
    expect(screen.getByText('Houd de kaart die u wilt testen voor de lezer')).toBeInTheDocument();
    expect(screen.getByText('Er is nog geen kaart gelezen.')).toBeInTheDocument();
  });

  it('shows what is on a good card', () => {
    renderKiosk(view(maintenance({ page: 'testCard', testCard: inspection })));
    const page = within(screen.getByRole('region', { name: 'Kaart testen' }));
    expect(page.getByText('Houd de kaart die u wilt testen voor de lezer')).toBeInTheDocument();
    expect(page.getByText('Kaart gelezen')).toBeInTheDocument();
    expect(fact(page, 'Kaartnummer')).toBe('•••• •••• •••• 5678');
    expect(fact(page, 'Soort kaart')).toBe('Reizigerskaart');
    expect(fact(page, 'Geldig tot')).toBe('31 maart 2031');
    expect(fact(page, 'Saldo')).toMatch(/^€\s12,50$/);
    expect(fact(page, 'Reisproducten')).toContain('Weekend Vrij');
    expect(fact(page, 'Reisproducten')).toContain('Geldig van 1 december 2025 tot en met 30 november 2026');
    expect(fact(page, 'Bestellingen op de kaart')).toBe('3');
    expect(fact(page, 'Actief record')).toBe('B');
    expect(fact(page, 'Volgnummer')).toBe('42');
    expect(fact(page, 'Layoutversie')).toBe('1');
    expect(fact(page, 'UID')).toBe('04A1B2C3D4E5F6');
  });

  it('says "Geen" for a card without products, and names a technician card', () => {
    renderKiosk(view(maintenance({ page: 'testCard', testCard: { ...inspection, kind: 'technician', products: [] } })));
    const page = within(screen.getByRole('region', { name: 'Kaart testen' }));
    expect(fact(page, 'Reisproducten')).toBe('Geen');
    expect(fact(page, 'Soort kaart')).toBe('Monteurskaart');
  });

  it.each(READ_FAILURES)('explains a card that fails with %s', (reason) => {
    renderKiosk(view(maintenance({ page: 'testCard', testCard: { ok: false, reason } })));
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Kaart niet bruikbaar');
    expect(alert).toHaveTextContent(nl.maintenance.readFailures[reason]);
  });
});

describe('maintenance: deliveries page', () => {
  const deliveries = [
    { id: 'del-1', maskedCardNumber: '•••• 5678', kind: 'topup', state: 'writing', since: '2025-11-20T09:00:00Z' },
    { id: 'del-2', maskedCardNumber: '•••• 4321', kind: 'futureKind', state: 'futureState', since: '2025-11-19T18:30:00Z' },
  ];

  it('lists unsettled deliveries and releases them', async () => {
    const kiosk = renderKiosk(view(maintenance({ page: 'deliveries', deliveries })));
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual([
      'Kaart',
      'Soort',
      'Status',
      'Sinds',
    ]);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent))).toEqual([
      ['•••• 5678', 'Saldo', 'Onderbroken tijdens schrijven', localDateTime('2025-11-20T09:00:00Z')],
      // Kinds and states this renderer does not know are shown as they come.
      ['•••• 4321', 'futureKind', 'futureState', localDateTime('2025-11-19T18:30:00Z')],
    ]);
    expect(screen.getByText(/de kaart houdt zelf bij welke bestellingen er al op staan/)).toBeInTheDocument();

    await kiosk.user.click(screen.getByRole('button', { name: 'Vrijgeven' }));
    expect(kiosk.requests()).toEqual([{ type: 'MAINT_ACTION', action: 'releaseDeliveries' }]);
  });

  it('says when there is nothing to release', () => {
    renderKiosk(view(maintenance({ page: 'deliveries' })));
    expect(screen.getByText('Geen openstaande leveringen')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Vrijgeven' })).toBeDisabled();
  });

  it('cannot release while an action runs', () => {
    renderKiosk(view(maintenance({ page: 'deliveries', deliveries, busy: true })));
    expect(screen.getByRole('button', { name: 'Vrijgeven' })).toBeDisabled();
  });
});

describe('maintenance: log page', () => {
  it('shows recent lines with time, level and the message as it is', () => {
    const { container } = renderKiosk(
      view(
        maintenance({
          page: 'log',
          log: [
            { at: '2025-11-20T10:15:30Z', level: 'info', message: 'sync.pull: 3 orders <b>received</b>' },
            { at: '2025-11-20T10:16:00Z', level: 'error', message: 'reader: SCardConnect failed (0x80100069)' },
          ],
        }),
      ),
    );
    const lines = within(screen.getByRole('region', { name: 'Logboek' })).getAllByRole('listitem');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveTextContent(localDateTime('2025-11-20T10:15:30Z'));
    expect(lines[0]).toHaveTextContent('info');
    // Data, not markup and not a catalog key.
    expect(within(lines[0] as HTMLElement).getByText('sync.pull: 3 orders <b>received</b>')).toBeInTheDocument();
    expect(container.querySelector('b')).toBeNull();
    expect(lines[1]).toHaveClass('log-line--error');
    expect(lines[1]).toHaveTextContent('reader: SCardConnect failed (0x80100069)');
  });

  it("shows a line's state, order and reason, labelled", () => {
    renderKiosk(
      view(
        maintenance({
          page: 'log',
          log: [{ at: '2025-11-20T10:15:30Z', level: 'warn', message: 'delivery failed', state: 'session.failed', order: 'o-7', reason: 'cardRemoved' }],
        }),
      ),
    );
    const [line] = within(screen.getByRole('region', { name: 'Logboek' })).getAllByRole('listitem');
    expect(line).toHaveTextContent('delivery failed');
    expect(line).toHaveTextContent('Toestand session.failed');
    expect(line).toHaveTextContent('Bestelling o-7');
    expect(line).toHaveTextContent('Reden cardRemoved');
  });

  it('says when there are no lines', () => {
    renderKiosk(view(maintenance({ page: 'log' })));
    expect(screen.getByText('Geen logregels')).toBeInTheDocument();
  });
});

describe('maintenance: audit page', () => {
  it('shows time, actor, action and detail', () => {
    renderKiosk(
      view(
        maintenance({
          page: 'audit',
          audit: [
            { at: '2025-11-20T10:16:00Z', actor: '•••• 9012', action: 'releaseDeliveries', detail: '2 released' },
            { at: '2025-11-20T10:20:00Z', actor: 'service key', action: 'login', detail: null },
          ],
        }),
      ),
    );
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(within(rows[0] as HTMLElement).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual([
      'Tijd',
      'Wie',
      'Actie',
      'Details',
    ]);
    expect(rows.slice(1).map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent))).toEqual([
      [localDateTime('2025-11-20T10:16:00Z'), '•••• 9012', 'Leveringen vrijgeven', '2 released'],
      [localDateTime('2025-11-20T10:20:00Z'), 'service key', 'login', '—'],
    ]);
  });

  it('says when there are no lines', () => {
    renderKiosk(view(maintenance({ page: 'audit' })));
    expect(screen.getByText('Geen auditregels')).toBeInTheDocument();
  });
});

describe('maintenance: outOfService page', () => {
  it('shows the machine in service and takes it out with a reason', async () => {
    const kiosk = renderKiosk(view(maintenance({ page: 'outOfService' })));
    expect(screen.getByText('Deze automaat is in gebruik.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Weer in gebruik nemen' })).toBeDisabled();
    // What travellers will read, for each choice.
    expect(screen.getByText(/^Reizigers zien: “Deze automaat wordt schoongemaakt\./)).toBeInTheDocument();

    await kiosk.user.click(screen.getByRole('button', { name: 'Buiten gebruik voor onderhoud' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Buiten gebruik door storing' }));
    await kiosk.user.click(screen.getByRole('button', { name: 'Buiten gebruik voor schoonmaak' }));
    expect(kiosk.requests()).toEqual([
      { type: 'MAINT_OUT_OF_SERVICE', reason: 'maintenance' },
      { type: 'MAINT_OUT_OF_SERVICE', reason: 'technicalFault' },
      { type: 'MAINT_OUT_OF_SERVICE', reason: 'cleaning' },
    ]);
  });

  it('shows the current reason and puts the machine back into service', async () => {
    const kiosk = renderKiosk(
      view(maintenance({ page: 'outOfService', status: { ...status, app: { ...status.app, outOfService: 'cleaning' } } })),
    );
    expect(screen.getByText('Deze automaat is buiten gebruik: Schoonmaak.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Buiten gebruik voor schoonmaak' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Buiten gebruik voor onderhoud' })).toHaveAttribute('aria-pressed', 'false');

    await kiosk.user.click(screen.getByRole('button', { name: 'Weer in gebruik nemen' }));
    expect(kiosk.requests()).toEqual([{ type: 'MAINT_ACTION', action: 'backInService' }]);
  });

  it('disables every choice while an action runs', () => {
    renderKiosk(
      view(
        maintenance({
          page: 'outOfService',
          busy: true,
          status: { ...status, app: { ...status.app, outOfService: 'maintenance' } },
        }),
      ),
    );
    for (const name of [
      'Buiten gebruik voor onderhoud',
      'Buiten gebruik door storing',
      'Buiten gebruik voor schoonmaak',
      'Weer in gebruik nemen',
    ]) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
  });
});
