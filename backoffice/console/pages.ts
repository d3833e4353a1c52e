// The console's pages, rendered on the server: every word from the catalogs (./i18n), every
// value escaped (./html.ts), no inline script or style (the CSP is `default-src 'self'`).
import type { OrderPayload } from '../../domain/index.js';
import type { RemoteOrderStatus } from '../../protocol/kiosk-api.js';
import type { CardOrderRow, OpenIssue, OperatorAuditRow, TechnicianRow } from '../console-db.js';
import { PICKUP_QUARANTINED, PICKUP_UNKNOWN_ORDER } from '../db.js';
import type { KioskStatus } from './fleet.js';
import { html, type Html, type HtmlValue } from './html.js';
import { CONSOLE_LANGUAGES, languageName, type CatalogKey, type ConsoleLanguage, type Translate } from './i18n/index.js';

export type PageName = 'login' | 'fleet' | 'orders' | 'conflicts' | 'technicians' | 'audit' | 'error';

/** What every page is drawn with. */
export interface PageContext {
  readonly t: Translate;
  readonly lang: ConsoleLanguage;
  /** The address with the language kept when it was chosen in the address. */
  readonly link: (path: string) => string;
  /** The address of this page in another language (the switch). */
  readonly switchTo: (lang: ConsoleLanguage) => string;
  readonly csrf: string;
  readonly operator: string | null;
  readonly now: Date;
}

/** A message after an action, and whether it tells of a refusal. */
export interface Flash {
  readonly key: CatalogKey;
  readonly values?: Readonly<Record<string, string | number>>;
  readonly error?: boolean;
}

const NAV: readonly { page: PageName; key: CatalogKey; path: string }[] = [
  { page: 'fleet', key: 'nav.fleet', path: '/console/fleet' },
  { page: 'orders', key: 'nav.orders', path: '/console/orders' },
  { page: 'conflicts', key: 'nav.conflicts', path: '/console/conflicts' },
  { page: 'technicians', key: 'nav.technicians', path: '/console/technicians' },
  { page: 'audit', key: 'nav.audit', path: '/console/audit' },
];

/** A card number as the console shows it: its last four digits. */
export const maskCard = (cardNumber: string): string => `•••• ${cardNumber.slice(-4)}`;

/** A moment in the page's language, on the stations' clock (Europe/Amsterdam). */
const dateText = (ctx: PageContext, iso: string): string =>
  new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Amsterdam' }).format(new Date(iso));

function when(ctx: PageContext, iso: string | null): Html | string {
  if (iso === null) return '—';
  return html`<time datetime="${new Date(iso).toISOString()}">${dateText(ctx, iso)}</time>`;
}

function ago(ctx: PageContext, iso: string): string {
  const seconds = Math.round((Date.parse(iso) - ctx.now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(ctx.lang, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

function flashBox(ctx: PageContext, flash: Flash | null): Html | null {
  if (!flash) return null;
  return flash.error
    ? html`<p class="error" role="alert">${ctx.t(flash.key, flash.values)}</p>`
    : html`<p class="notice" role="status">${ctx.t(flash.key, flash.values)}</p>`;
}

export function layout(ctx: PageContext, page: PageName, heading: string, body: HtmlValue, options: { refresh?: number } = {}): string {
  const { t } = ctx;
  const nav =
    ctx.operator === null
      ? null
      : html`<nav aria-label="${t('nav.label')}"><ul>${NAV.map(
          (item) => html`<li><a href="${ctx.link(item.path)}"${item.page === page ? html` aria-current="page"` : ''}>${t(item.key)}</a></li>`,
        )}</ul></nav>
        <p class="who">${t('signedInAs', { name: ctx.operator })}</p>
        <form method="post" action="${ctx.link('/console/logout')}"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit" class="secondary">${t('logout')}</button></form>`;
  const languages = html`<nav aria-label="${t('language.label')}"><ul class="lang">${CONSOLE_LANGUAGES.map((lang) =>
    lang === ctx.lang
      ? html`<li><a href="${ctx.switchTo(lang)}" lang="${lang}" aria-current="true">${languageName(lang)}</a></li>`
      : html`<li><a href="${ctx.switchTo(lang)}" lang="${lang}" hreflang="${lang}">${languageName(lang)}</a></li>`,
  )}</ul></nav>`;
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('page.title', { page: heading })}</title>
<link rel="stylesheet" href="/console/console.css">
${options.refresh ? html`<script src="/console/console.js" defer></script>` : null}
</head>
<body data-page="${page}">
<a class="skip" href="#main">${t('skip')}</a>
<header>
<p class="brand">${t('console.title')}</p>
${nav}
${languages}
</header>
<main id="main">
<h1>${heading}</h1>
${body}
</main>
</body>
</html>
`.text;
}

// ------------------------------------------------------------------ login

export function loginPage(ctx: PageContext, flash: Flash | null): string {
  const { t } = ctx;
  return layout(
    ctx,
    'login',
    t('login.heading'),
    html`${flashBox(ctx, flash)}
<form method="post" action="${ctx.link('/console/login')}">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
<label for="name">${t('login.name')}</label>
<input type="text" id="name" name="name" autocomplete="username" required maxlength="64" autofocus>
<label for="password">${t('login.password')}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required maxlength="256">
<p><button type="submit">${t('login.submit')}</button></p>
</form>`,
  );
}

export function errorPage(ctx: PageContext, key: CatalogKey): string {
  const { t } = ctx;
  return layout(
    ctx,
    'error',
    t('error.heading'),
    html`<p class="error" role="alert">${t(key)}</p><p><a href="${ctx.link('/console/fleet')}">${t('error.back')}</a></p>`,
  );
}

// ------------------------------------------------------------------ fleet

function lagText(ctx: PageContext, status: KioskStatus): string {
  switch (status.lag.kind) {
    case 'none':
      return ctx.t('lag.none');
    case 'changes':
      return ctx.t('lag.changes', { count: new Intl.NumberFormat(ctx.lang).format(status.lag.count) });
    case 'otherEpoch':
      return ctx.t('lag.otherEpoch');
    default:
      return ctx.t('lag.unknown');
  }
}

export function fleetPage(ctx: PageContext, kiosks: readonly KioskStatus[], staleMs: number, refreshMs: number): string {
  const { t } = ctx;
  const count = (light: KioskStatus['light']) => kiosks.filter((k) => k.light === light).length;
  const lightKey: Record<KioskStatus['light'], CatalogKey> = { green: 'status.green', amber: 'status.amber', red: 'status.red', never: 'status.never' };
  const rows = kiosks.map(
    (k) => html`<tr class="kiosk-${k.light}" data-kiosk="${k.id}" data-light="${k.light}">
<th scope="row">${k.name}<br><span class="hint">${k.id}</span></th>
<td><span class="status status-${k.light}">${t(lightKey[k.light])}</span>${
      k.light === 'amber' && k.reasons.length > 0 ? html`<br><span class="hint">${k.reasons.map((r) => t(`reason.${r}`)).join(', ')}</span>` : null
    }</td>
<td>${k.health === null ? t('health.unknown') : t(`health.${k.health}`)}</td>
<td>${k.lastSeenAt === null ? t('never') : html`${when(ctx, k.lastSeenAt)}<br><span class="hint">${ago(ctx, k.lastSeenAt)}</span>`}</td>
<td>${lagText(ctx, k)}</td>
<td>${k.outboxDepth === null ? '—' : k.outboxDepth}</td>
<td>${k.outOfService === null ? t('outOfService.no') : t(`service.${k.outOfService}`)}</td>
</tr>`,
  );
  return layout(
    ctx,
    'fleet',
    t('fleet.heading'),
    html`<p class="hint">${t('fleet.rule', { seconds: Math.round(staleMs / 1000) })}</p>
<section data-refresh="${refreshMs}" aria-labelledby="fleet-summary">
<p id="fleet-summary">${t('fleet.summary', { red: count('red'), amber: count('amber'), green: count('green'), total: kiosks.length })}</p>
${
  kiosks.length === 0
    ? html`<p>${t('fleet.none')}</p>`
    : html`<table>
<thead><tr><th scope="col">${t('col.kiosk')}</th><th scope="col">${t('col.status')}</th><th scope="col">${t('col.health')}</th><th scope="col">${t('col.lastHeartbeat')}</th><th scope="col">${t('col.syncLag')}</th><th scope="col">${t('col.outbox')}</th><th scope="col">${t('col.outOfService')}</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}
</section>`,
    { refresh: refreshMs },
  );
}

// ------------------------------------------------------------------ orders by card

function kindText(ctx: PageContext, order: CardOrderRow): string {
  const kind: OrderPayload['kind'] = order.kind;
  if (kind === 'product') return ctx.t('kind.product', { code: order.productCode ?? '?' });
  if (kind === 'topup') {
    const amount = new Intl.NumberFormat(ctx.lang, { style: 'currency', currency: 'EUR' }).format((order.amountCents ?? 0) / 100);
    return ctx.t('kind.topup', { amount });
  }
  return ctx.t('kind.kaartservicecode');
}

const statusKey = (status: RemoteOrderStatus): CatalogKey => `order.${status}`;

export function ordersPage(ctx: PageContext, search: { card: string; orders: readonly CardOrderRow[] } | null, flash: Flash | null): string {
  const { t } = ctx;
  let results: Html | null = null;
  if (search) {
    const card = maskCard(search.card);
    results =
      search.orders.length === 0
        ? html`<p role="status">${t('orders.none', { card })}</p>`
        : html`<h2>${t('orders.for', { card })}</h2>
<table>
<thead><tr><th scope="col">${t('col.order')}</th><th scope="col">${t('col.kind')}</th><th scope="col">${t('col.status')}</th><th scope="col">${t('col.created')}</th><th scope="col">${t('col.expires')}</th><th scope="col">${t('col.pickedUp')}</th><th scope="col">${t('col.conflict')}</th></tr></thead>
<tbody>${search.orders.map(
            (o) => html`<tr data-order="${o.id}">
<th scope="row">${o.id}</th><td>${kindText(ctx, o)}</td><td>${t(statusKey(o.status))}</td><td>${when(ctx, o.createdAt)}</td>
<td>${o.status === 'pending' ? when(ctx, o.expiresAt) : '—'}</td>
<td>${o.pickedUpAt === null ? '—' : t('pickedUpAt', { at: dateText(ctx, o.pickedUpAt), kiosk: o.pickedUpBy ?? '?' })}</td>
<td>${o.conflict === null ? '—' : conflictText(ctx, o.conflict)}</td>
</tr>`,
          )}</tbody>
</table>`;
  }
  return layout(
    ctx,
    'orders',
    t('orders.heading'),
    html`${flashBox(ctx, flash)}
<form method="post" action="${ctx.link('/console/orders')}" role="search">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
<label for="card">${t('orders.card')}</label>
<input type="search" id="card" name="card" inputmode="numeric" autocomplete="off" required pattern="[0-9 ]{16,19}" maxlength="19">
<button type="submit">${t('orders.search')}</button>
</form>
${results}`,
  );
}

// ------------------------------------------------------------------ conflicts

const CONFLICT_KEYS: Readonly<Record<string, CatalogKey>> = {
  [PICKUP_QUARANTINED]: 'conflict.otherCard',
  [PICKUP_UNKNOWN_ORDER]: 'conflict.unknownOrder',
  'picked up after it was cancelled': 'conflict.afterCancelled',
  'picked up after it was expired': 'conflict.afterExpired',
};

/** A conflict as the back office keeps it (its parts joined by '; '), in the page's language where known. */
export function conflictText(ctx: PageContext, conflict: string): string {
  return conflict
    .split('; ')
    .map((part) => {
      const key = CONFLICT_KEYS[part];
      return key ? ctx.t(key) : part;
    })
    .join('; ');
}

function subjectText(ctx: PageContext, issue: OpenIssue): string {
  return issue.subject.startsWith('pickup:')
    ? ctx.t('subject.pickup', { id: issue.subject.slice('pickup:'.length), order: issue.orderId })
    : ctx.t('subject.order', { id: issue.orderId });
}

export function conflictsPage(ctx: PageContext, issues: readonly OpenIssue[], flash: Flash | null): string {
  const { t } = ctx;
  const rows = issues.map((issue, i) => {
    const subject = subjectText(ctx, issue);
    return html`<tr data-subject="${issue.subject}">
<th scope="row">${subject}</th><td>${maskCard(issue.cardNumber)}</td><td>${conflictText(ctx, issue.conflict)}</td><td>${issue.kioskId ?? '—'}</td><td>${when(ctx, issue.at)}</td>
<td><form method="post" action="${ctx.link('/console/conflicts/resolve')}">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
<input type="hidden" name="subject" value="${issue.subject}">
<input type="hidden" name="conflict" value="${issue.conflict}">
<label for="note-${i}">${t('conflicts.note', { subject })}</label>
<textarea id="note-${i}" name="note" required maxlength="500" rows="2"></textarea>
<p><button type="submit">${t('conflicts.resolve')}</button></p>
</form></td>
</tr>`;
  });
  return layout(
    ctx,
    'conflicts',
    t('conflicts.heading'),
    html`${flashBox(ctx, flash)}
<p>${t('conflicts.explain')}</p>
${
  issues.length === 0
    ? html`<p>${t('conflicts.none')}</p>`
    : html`<table>
<thead><tr><th scope="col">${t('col.subject')}</th><th scope="col">${t('col.card')}</th><th scope="col">${t('col.conflict')}</th><th scope="col">${t('col.reportedBy')}</th><th scope="col">${t('col.at')}</th><th scope="col">${t('col.resolve')}</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}`,
  );
}

// ------------------------------------------------------------------ technicians

export function techniciansPage(ctx: PageContext, technicians: readonly TechnicianRow[], flash: Flash | null): string {
  const { t } = ctx;
  const rows = technicians.map(
    (tech) => html`<tr data-technician="${tech.id}">
<th scope="row">${tech.id}</th><td>${maskCard(tech.cardNumber)}</td>
<td>${tech.disabledAt === null ? t('tech.active') : t('tech.disabledSince', { at: dateText(ctx, tech.disabledAt) })}</td>
<td><form method="post" action="${ctx.link(`/console/technicians/${encodeURIComponent(tech.id)}/${tech.disabledAt === null ? 'disable' : 'enable'}`)}">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
${
  tech.disabledAt === null
    ? html`<button type="submit" class="secondary" aria-label="${t('tech.disableLabel', { id: tech.id })}">${t('tech.disable')}</button>`
    : html`<button type="submit" class="secondary" aria-label="${t('tech.enableLabel', { id: tech.id })}">${t('tech.enable')}</button>`
}
</form></td>
</tr>`,
  );
  return layout(
    ctx,
    'technicians',
    t('tech.heading'),
    html`${flashBox(ctx, flash)}
${
  technicians.length === 0
    ? html`<p>${t('tech.none')}</p>`
    : html`<table>
<thead><tr><th scope="col">${t('col.technician')}</th><th scope="col">${t('col.card')}</th><th scope="col">${t('col.state')}</th><th scope="col">${t('col.action')}</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}
<h2>${t('tech.addHeading')}</h2>
<form method="post" action="${ctx.link('/console/technicians')}">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
<label for="tech-id">${t('tech.id')}</label>
<p class="hint" id="tech-id-hint">${t('tech.idHint')}</p>
<input type="text" id="tech-id" name="id" required maxlength="64" aria-describedby="tech-id-hint" autocomplete="off">
<label for="tech-card">${t('tech.card')}</label>
<input type="text" id="tech-card" name="cardNumber" required inputmode="numeric" maxlength="19" autocomplete="off">
<label for="tech-pin">${t('tech.pin')}</label>
<input type="password" id="tech-pin" name="pin" required inputmode="numeric" maxlength="8" autocomplete="new-password">
<p><button type="submit">${t('tech.add')}</button></p>
</form>`,
  );
}

// ------------------------------------------------------------------ audit

export interface KioskAuditLine {
  /** Its place in the order of arrival (db.audit() pages by it). */
  readonly seq: number;
  readonly kioskId: string;
  readonly at: string;
  readonly actor: string;
  readonly actorKnown: boolean;
  readonly action: string;
  readonly detail: string | null;
}

const OPERATOR_ACTIONS = new Set(['login', 'logout', 'resolve', 'technician-add', 'technician-disable', 'technician-enable']);

/** Where the older entries of each part begin, when there are more than a page shows. */
export interface AuditMore {
  readonly operatorsBefore?: number;
  readonly kiosksBefore?: number;
}

export function auditPage(ctx: PageContext, operators: readonly OperatorAuditRow[], kiosks: readonly KioskAuditLine[], more: AuditMore = {}): string {
  const { t } = ctx;
  const action = (name: string): string => (OPERATOR_ACTIONS.has(name) ? t(`action.${name}` as CatalogKey) : name);
  const older = (param: 'operatorsBefore' | 'kiosksBefore', before: number | undefined, key: CatalogKey) => {
    if (before === undefined) return null;
    const href = ctx.link('/console/audit');
    return html`<p><a href="${`${href}${href.includes('?') ? '&' : '?'}${param}=${before}`}">${t(key)}</a></p>`;
  };
  return layout(
    ctx,
    'audit',
    t('audit.heading'),
    html`<h2>${t('audit.operators')}</h2>
${
  operators.length === 0
    ? html`<p>${t('audit.none')}</p>`
    : html`<table>
<thead><tr><th scope="col">${t('col.at')}</th><th scope="col">${t('col.operator')}</th><th scope="col">${t('col.what')}</th><th scope="col">${t('col.subject')}</th><th scope="col">${t('col.detail')}</th></tr></thead>
<tbody>${operators.map(
        (a) => html`<tr><td>${when(ctx, a.at)}</td><td>${a.operator}</td><td>${action(a.action)}</td><td>${a.subject ?? '—'}</td><td>${a.detail ?? '—'}</td></tr>`,
      )}</tbody>
</table>`
}
${older('operatorsBefore', more.operatorsBefore, 'audit.olderOperators')}
<h2>${t('audit.kiosks')}</h2>
${
  kiosks.length === 0
    ? html`<p>${t('audit.none')}</p>`
    : html`<table>
<thead><tr><th scope="col">${t('col.at')}</th><th scope="col">${t('col.kiosk')}</th><th scope="col">${t('col.actor')}</th><th scope="col">${t('col.what')}</th><th scope="col">${t('col.detail')}</th></tr></thead>
<tbody>${kiosks.map(
        (a) =>
          html`<tr><td>${when(ctx, a.at)}</td><td>${a.kioskId}</td><td>${a.actorKnown ? a.actor : t('actor.unknown', { actor: a.actor })}</td><td>${a.action}</td><td>${a.detail ?? '—'}</td></tr>`,
      )}</tbody>
</table>`
}
${older('kiosksBefore', more.kiosksBefore, 'audit.olderKiosks')}`,
  );
}
