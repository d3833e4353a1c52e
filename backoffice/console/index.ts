// The operator console: server-rendered pages under /console for the people who run the
// fleet (docs/architecture.md, "Operator console"). Operators sign in with a name and a
// password (scrypt, ./passwords.ts; accounts made by `npm run backoffice -- add-operator`);
// the session lives in the database (only a hash of its id) behind a signed, HttpOnly,
// SameSite=Strict cookie (Secure under TLS); every POST carries the session's CSRF token
// (@fastify/csrf-protection). Bearer tokens mean nothing here, and this session means
// nothing to the kiosk and online APIs. Registered in its own scope: the cookie, session,
// form and CSRF plugins touch no other route.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cardNumberSchema } from '../../protocol/kiosk-api.js';
import type { ConsoleStore } from '../console-db.js';
import type { BackOfficeStore } from '../store.js';
import { hashPin } from '../pins.js';
import { pinProblemKind, technicianIdSchema } from '../technicians.js';
import { DEFAULT_STALE_MS, kioskStatus } from './fleet.js';
import { chooseLanguage, translator, type CatalogKey, type ConsoleLanguage } from './i18n/index.js';
import {
  auditPage,
  conflictsPage,
  errorPage,
  fleetPage,
  loginPage,
  ordersPage,
  techniciansPage,
  type Flash,
  type PageContext,
} from './pages.js';
import { verifyPassword } from './passwords.js';
import { CONSOLE_CSS, CONSOLE_JS } from './style.js';

declare module 'fastify' {
  interface Session {
    operator?: string;
    _csrf?: string;
    flash?: Flash;
  }
}

export interface ConsoleOptions {
  /** No heartbeat for longer than this: the kiosk is red. Default 3 heartbeat intervals (90 s). */
  readonly staleMs?: number;
  /** How often the fleet page refreshes its table. Default 10 s. */
  readonly refreshMs?: number;
  /** Login attempts a minute from one address. Default 10. */
  readonly loginPerMinute?: number;
  /** Requests a minute from one address to the other console pages. Default 600. */
  readonly pagesPerMinute?: number;
}

export interface ConsolePluginOptions extends ConsoleOptions {
  /** The back office's storage (the fleet, technicians, the kiosks' audit), on either engine. */
  readonly store: BackOfficeStore;
  /** The console's own tables, on the same engine (backoffice/console-db.ts, console-pg.ts). */
  readonly consoleStore: ConsoleStore;
  /**
   * The file of the key that signs session cookies (0600, made the first time): beside the
   * SQLite file, or in the data dir on PostgreSQL (every instance needs the same one). null:
   * a key for this process only (a throwaway database).
   */
  readonly sessionKeyFile: string | null;
  /** Served over TLS: the cookie is Secure and named `__Host-console`. */
  readonly secure: boolean;
  readonly now: () => Date;
}

/** A session idles out after an hour (each request extends it). */
export const SESSION_IDLE_MS = 60 * 60_000;

/** The key that signs session cookies: from `path` (0600), made there the first time. */
function sessionSecret(path: string | null): string {
  if (path === null) return randomBytes(32).toString('hex');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

const formValue = z.string().max(2000);
const loginBody = z.object({ name: formValue, password: formValue });
const searchBody = z.object({ card: formValue });
const resolveBody = z.object({ subject: z.string().min(1).max(200), conflict: z.string().min(1).max(2000), note: formValue });
const technicianBody = z.object({ id: formValue, cardNumber: formValue, pin: formValue });
const technicianParams = z.object({ id: technicianIdSchema, action: z.enum(['disable', 'enable']) });
const auditQuery = z.object({
  operatorsBefore: z.coerce.number().int().positive().optional(),
  kiosksBefore: z.coerce.number().int().positive().optional(),
});
/** Entries of each part of the audit page. */
export const AUDIT_PAGE = 100;

export async function operatorConsole(scope: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  const { store, now, secure } = options;
  const consoleDb: ConsoleStore = options.consoleStore;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const refreshMs = options.refreshMs ?? 10_000;
  const pageLimit = { rateLimit: { max: options.pagesPerMinute ?? 600, timeWindow: 60_000 } };

  // Pages for people, not the API: none of them in the OpenAPI document (/openapi.json).
  scope.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  await scope.register(fastifyCookie);
  await scope.register(fastifySession, {
    secret: sessionSecret(options.sessionKeyFile),
    cookieName: secure ? '__Host-console' : 'console-session',
    cookie: { path: '/', httpOnly: true, secure, sameSite: 'strict', maxAge: SESSION_IDLE_MS },
    saveUninitialized: false,
    rolling: true,
    store: {
      set(sessionId, session, done) {
        const expires = session.cookie.expires ? new Date(session.cookie.expires) : new Date(Date.now() + SESSION_IDLE_MS);
        consoleDb.sessions.set(sessionId, JSON.stringify(session), expires).then(() => done(), (error: unknown) => done(error));
      },
      get(sessionId, done) {
        consoleDb.sessions.get(sessionId).then(
          (data) => done(null, data === undefined ? null : (JSON.parse(data) as Parameters<typeof done>[1])),
          (error: unknown) => done(error),
        );
      },
      destroy(sessionId, done) {
        consoleDb.sessions.destroy(sessionId).then(() => done(), (error: unknown) => done(error));
      },
    },
  });
  await scope.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  await scope.register(fastifyCsrf, { sessionPlugin: '@fastify/session', getToken: (request) => tokenOf(request.body) });

  const pruner = setInterval(() => {
    consoleDb.sessions.prune().catch((error: unknown) => scope.log.warn({ err: String(error) }, 'console: pruning sessions failed'));
  }, 10 * 60_000);
  pruner.unref();
  scope.addHook('onClose', async () => {
    clearInterval(pruner);
    await consoleDb.close();
  });

  // Strict headers on every console answer: nothing but this origin's own files, no framing.
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  // ---------------------------------------------------------------- page context
  const languageOf = (request: FastifyRequest): { lang: ConsoleLanguage; explicit: boolean } => {
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    const lang = chooseLanguage(asked, request.headers['accept-language']);
    return { lang, explicit: asked === lang };
  };
  const context = (request: FastifyRequest, reply: FastifyReply): PageContext => {
    const { lang, explicit } = languageOf(request);
    const path = request.url.split('?')[0] ?? '/console';
    return {
      t: translator(lang),
      lang,
      link: (to) => (explicit ? `${to}?lang=${lang}` : to),
      switchTo: (to) => `${path}?lang=${to}`,
      csrf: reply.generateCsrf(),
      operator: request.session.operator ?? null,
      now: now(),
    };
  };
  const back = (request: FastifyRequest, path: string): string => {
    const { lang, explicit } = languageOf(request);
    return explicit ? `${path}?lang=${lang}` : path;
  };
  const send = (reply: FastifyReply, status: number, page: string) => reply.code(status).type('text/html; charset=utf-8').send(page);
  /** Post/redirect/get: the message is shown once, on the page the operator lands on. */
  const redirectWith = (request: FastifyRequest, reply: FastifyReply, path: string, flash: Flash) => {
    request.session.flash = flash;
    return reply.redirect(back(request, path), 303);
  };
  const takeFlash = (request: FastifyRequest): Flash | null => {
    const flash = request.session.flash ?? null;
    if (flash) request.session.flash = undefined;
    return flash;
  };

  // The operator of this session, still there and enabled; else to the login (a GET) or 401.
  const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const name = request.session.operator;
    const operator = name === undefined ? undefined : await consoleDb.operator(name);
    if (operator && operator.disabledAt === null) return;
    if (name !== undefined) await request.session.destroy();
    if (request.method === 'GET') return reply.redirect(back(request, '/console/login'), 303);
    return send(reply, 401, loginPage({ ...context(request, reply), operator: null }, { key: 'login.failed', error: true }));
  };
  const operatorOf = (request: FastifyRequest): string => request.session.operator ?? '?';

  scope.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    const ctx = (): PageContext => context(request, reply);
    if (status === 429) {
      const limited: Flash = { key: 'login.limited', error: true };
      return send(reply, 429, request.url.startsWith('/console/login') ? loginPage({ ...ctx(), operator: null }, limited) : errorPage(ctx(), limited.key));
    }
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      request.log.warn({ path: request.url.split('?')[0], ip: request.ip }, 'console: request without a valid CSRF token refused (403)');
      return send(reply, 403, errorPage(ctx(), 'error.csrf'));
    }
    if (status >= 500) request.log.error({ err: error, path: request.url.split('?')[0] }, 'console: request failed');
    return send(reply, status >= 500 ? 500 : status, errorPage(ctx(), status === 404 ? 'error.notFound' : 'error.internal'));
  });
  scope.setNotFoundHandler(async (request, reply) => send(reply, 404, errorPage(context(request, reply), 'error.notFound')));

  // ---------------------------------------------------------------- static files
  scope.get('/console.css', { config: pageLimit }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(CONSOLE_CSS),
  );
  scope.get('/console.js', { config: pageLimit }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(CONSOLE_JS),
  );

  // ---------------------------------------------------------------- login and logout
  scope.get('/', { config: pageLimit }, async (request, reply) =>
    reply.redirect(back(request, request.session.operator ? '/console/fleet' : '/console/login'), 303),
  );
  scope.get('/login', { config: pageLimit }, async (request, reply) => {
    if (request.session.operator && (await consoleDb.operator(request.session.operator))?.disabledAt === null) {
      return reply.redirect(back(request, '/console/fleet'), 303);
    }
    return send(reply, 200, loginPage({ ...context(request, reply), operator: null }, takeFlash(request)));
  });
  scope.post(
    '/login',
    {
      config: { rateLimit: { max: options.loginPerMinute ?? 10, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => `console-login:${request.ip}` } },
      preValidation: scope.csrfProtection,
    },
    async (request, reply) => {
      const body = loginBody.safeParse(request.body);
      const name = body.success ? body.data.name.trim() : '';
      const stored = body.success && name.length > 0 && name.length <= 64 ? await consoleDb.operator(name) : undefined;
      // The same scrypt whether the name exists or not; one answer for either mistake.
      const ok = (await verifyPassword(body.success ? body.data.password : '', stored)) && stored?.disabledAt === null;
      if (!ok || !stored) {
        request.log.warn({ ip: request.ip }, 'console: login refused');
        return send(reply, 401, loginPage({ ...context(request, reply), operator: null }, { key: 'login.failed', error: true }));
      }
      // A new session id at login: one planted before it (session fixation) opens nothing.
      await request.session.regenerate();
      request.session.operator = stored.name;
      await consoleDb.record(stored.name, 'login', null, null);
      request.log.info({ operator: stored.name }, 'console: operator signed in');
      return reply.redirect(back(request, '/console/fleet'), 303);
    },
  );
  scope.post('/logout', { config: pageLimit, preValidation: scope.csrfProtection }, async (request, reply) => {
    const name = request.session.operator;
    if (name !== undefined) await consoleDb.record(name, 'logout', null, null);
    await request.session.regenerate();
    return redirectWith(request, reply, '/console/login', { key: 'login.loggedOut' });
  });

  // ---------------------------------------------------------------- the fleet
  scope.get('/fleet', { config: pageLimit, preHandler: signedIn }, async (request, reply) => {
    const feed = { head: await store.head(), epoch: store.epoch };
    const at = now();
    const kiosks = (await store.kiosks()).map((k) => kioskStatus(k, feed, at, staleMs));
    return send(reply, 200, fleetPage(context(request, reply), kiosks, staleMs, refreshMs));
  });

  // ---------------------------------------------------------------- orders by card
  // A POST, so that the full card number is in no address, history or proxy log.
  scope.get('/orders', { config: pageLimit, preHandler: signedIn }, async (request, reply) =>
    send(reply, 200, ordersPage(context(request, reply), null, takeFlash(request))),
  );
  scope.post('/orders', { config: pageLimit, preValidation: scope.csrfProtection, preHandler: signedIn }, async (request, reply) => {
    const body = searchBody.safeParse(request.body);
    const card = cardNumberSchema.safeParse(body.success ? body.data.card.replace(/\s+/g, '') : '');
    if (!card.success) return send(reply, 400, ordersPage(context(request, reply), null, { key: 'orders.invalid', error: true }));
    return send(reply, 200, ordersPage(context(request, reply), { card: card.data, orders: await consoleDb.ordersByCard(card.data) }, null));
  });

  // ---------------------------------------------------------------- conflicts
  scope.get('/conflicts', { config: pageLimit, preHandler: signedIn }, async (request, reply) =>
    send(reply, 200, conflictsPage(context(request, reply), await consoleDb.openIssues(), takeFlash(request))),
  );
  scope.post('/conflicts/resolve', { config: pageLimit, preValidation: scope.csrfProtection, preHandler: signedIn }, async (request, reply) => {
    const body = resolveBody.safeParse(request.body);
    const note = body.success ? body.data.note.trim() : '';
    if (!body.success || note.length === 0 || note.length > 500) {
      return send(reply, 400, conflictsPage(context(request, reply), await consoleDb.openIssues(), { key: 'conflicts.noteRequired', error: true }));
    }
    const { subject, conflict } = body.data;
    if (!(await consoleDb.resolve(subject, conflict, operatorOf(request), note))) {
      return send(reply, 409, conflictsPage(context(request, reply), await consoleDb.openIssues(), { key: 'conflicts.changed', error: true }));
    }
    request.log.info({ operator: operatorOf(request), subject }, 'console: conflict resolved');
    const id = subject.slice(subject.indexOf(':') + 1);
    return redirectWith(request, reply, '/console/conflicts', { key: 'conflicts.resolved', values: { subject: id } });
  });

  // ---------------------------------------------------------------- technicians
  scope.get('/technicians', { config: pageLimit, preHandler: signedIn }, async (request, reply) =>
    send(reply, 200, techniciansPage(context(request, reply), await consoleDb.technicians(), takeFlash(request))),
  );
  scope.post('/technicians', { config: pageLimit, preValidation: scope.csrfProtection, preHandler: signedIn }, async (request, reply) => {
    const body = technicianBody.safeParse(request.body);
    const refuse = async (key: CatalogKey, values?: Record<string, string>) =>
      send(reply, 400, techniciansPage(context(request, reply), await consoleDb.technicians(), { key, values, error: true }));
    if (!body.success) return refuse('tech.badId');
    const id = body.data.id.trim();
    const cardNumber = body.data.cardNumber.replace(/\s+/g, '');
    const { pin } = body.data;
    if (!technicianIdSchema.safeParse(id).success) return refuse('tech.badId');
    if (!cardNumberSchema.safeParse(cardNumber).success) return refuse('tech.badCard');
    const pinRule = pinProblemKind(pin);
    if (pinRule !== null) return refuse(`pin.${pinRule}`);
    if (await consoleDb.technicianExists(id)) return refuse('tech.exists', { id });
    await store.setTechnician(id, cardNumber, hashPin(pin));
    await consoleDb.record(operatorOf(request), 'technician-add', id, null);
    request.log.info({ operator: operatorOf(request), technicianId: id }, 'console: technician added');
    return redirectWith(request, reply, '/console/technicians', { key: 'tech.added', values: { id } });
  });
  scope.post('/technicians/:id/:action', { config: pageLimit, preValidation: scope.csrfProtection, preHandler: signedIn }, async (request, reply) => {
    const params = technicianParams.safeParse(request.params);
    if (!params.success) return send(reply, 404, errorPage(context(request, reply), 'error.notFound'));
    const { id, action } = params.data;
    if (!(await store.setTechnicianEnabled(id, action === 'enable'))) {
      return send(reply, 404, techniciansPage(context(request, reply), await consoleDb.technicians(), { key: 'tech.unknown', values: { id }, error: true }));
    }
    await consoleDb.record(operatorOf(request), `technician-${action}`, id, null);
    request.log.info({ operator: operatorOf(request), technicianId: id, action }, 'console: technician changed');
    return redirectWith(request, reply, '/console/technicians', { key: action === 'disable' ? 'tech.disabledDone' : 'tech.enabledDone', values: { id } });
  });

  // ---------------------------------------------------------------- audit
  scope.get('/audit', { config: pageLimit, preHandler: signedIn }, async (request, reply) => {
    const query = auditQuery.safeParse(request.query);
    const { operatorsBefore, kiosksBefore } = query.success ? query.data : {};
    // A page more than shown tells whether there are older entries.
    const operators = await consoleDb.operatorAudit(AUDIT_PAGE + 1, operatorsBefore);
    const kiosks = await store.audit({ limit: AUDIT_PAGE + 1, before: kiosksBefore });
    const shownOperators = operators.slice(0, AUDIT_PAGE);
    const shownKiosks = kiosks.slice(0, AUDIT_PAGE);
    return send(
      reply,
      200,
      auditPage(context(request, reply), shownOperators, shownKiosks, {
        ...(operators.length > AUDIT_PAGE ? { operatorsBefore: shownOperators.at(-1)?.seq } : {}),
        ...(kiosks.length > AUDIT_PAGE ? { kiosksBefore: shownKiosks.at(-1)?.seq } : {}),
      }),
    );
  });
}

/** The CSRF token of a form (its `_csrf` field). */
function tokenOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const token = (body as Record<string, unknown>)._csrf;
  return typeof token === 'string' ? token : undefined;
}
