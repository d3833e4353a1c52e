// What maintenance mode does behind the machine: PIN checks with a lockout that survives
// a restart, the technicians' actions (each written to the audit log), testing a card,
// and the status at a glance that the screen and GET /health share.
import { statfsSync, statSync } from 'node:fs';
import type { Logger } from 'pino';
import { readCard } from '../hardware/card-io.js';
import { CardLayoutError, type CardCodec } from '../hardware/card-layout.js';
import { CardIoError, type CardReader } from '../hardware/card-reader.js';
import type { MaintenanceContext, VerifyPinInput } from '../machine/kiosk-machine.js';
import {
  SERVICE_REASONS,
  type Fault,
  type CardInspection,
  type MaintenanceAction,
  type MaintenanceActionResult,
  type PinResult,
  type ServiceReason,
} from '../domain/index.js';
import type { FleetPinLock, PinAttempt } from '../protocol/kiosk-api.js';
import { RELEASED_BY_TECHNICIAN, type Store } from '../store/index.js';
import type { ClockStatus, Health, MaintenanceStatus, MaintenanceView } from './contract.js';
import type { PrinterCondition } from '../domain/printer.js';
import type { LogBuffer } from './log-buffer.js';
import { pinMatches } from './pin.js';
import { maskCardNumber } from './view.js';

/** What the sync client tells maintenance (absent when no back office is configured). */
export interface SyncStatusSource {
  status(): { online: boolean; lastSuccessAt: string | null; lagSeconds: number | null };
  /** Pull and push now; resolves when done. */
  syncNow(): Promise<void>;
  /**
   * The fleet's count of PIN attempts for a technician (sync/client.ts pinAttempt): null when
   * the back office cannot say; then the kiosk's own lockout is all there is.
   */
  pinAttempt?(attempt: PinAttempt): Promise<FleetPinLock | null>;
}

export interface LockoutPolicy {
  readonly maxAttempts: number;
  readonly minutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxAttempts: 5, minutes: 15 };

export interface MaintenanceDeps {
  readonly store: Store;
  readonly reader: CardReader;
  readonly codec: CardCodec;
  readonly log: Logger;
  readonly now: () => Date;
  readonly version: string;
  /** Where the database lives: its disk is the one reported. */
  readonly dataDir: string;
  readonly logBuffer?: LogBuffer | undefined;
  readonly sync?: SyncStatusSource | undefined;
  readonly lockout?: LockoutPolicy | undefined;
  /** A fault (storage) that keeps the kiosk out of service now, if any. */
  readonly fault?: (() => Fault | null) | undefined;
  /** The kiosk's clock against the back office's. */
  readonly clock?: (() => ClockStatus) | undefined;
  /** The receipt printer, when the station has one. */
  readonly printer?: { readonly name: string; condition(): PrinterCondition | null; reason(): string | null } | undefined;
}

/** A printer that cannot print is red for the technician; the kiosk still serves travellers (amber overall). */
export function printerHealth(condition: PrinterCondition | null): Health {
  if (condition === 'ready') return 'green';
  if (condition === 'paperLow' || condition === null) return 'amber';
  return 'red';
}

/** Before the first dated sync answer, or without a back office. */
export const CLOCK_UNKNOWN: ClockStatus = { health: 'green', offsetSeconds: null, farOff: false };

export interface Maintenance {
  verifyPin(input: VerifyPinInput): Promise<PinResult>;
  run(input: { action: MaintenanceAction; technicianId: string }): Promise<MaintenanceActionResult>;
  inspect(uid: string, signal?: AbortSignal): Promise<CardInspection>;
  status(): MaintenanceStatus;
  view(context: MaintenanceContext, busy: boolean): MaintenanceView;
  /** Out of service as a technician left it. */
  serviceReason(): ServiceReason | null;
  audit(actor: string, action: string, detail?: string | null): void;
  close(): void;
}

/** Sync is amber when no exchange with the back office succeeded for longer than this. */
export const SYNC_AMBER_AFTER_MS = 2 * 60_000;
/** ... and red after this long (also when the kiosk has run this long without any success). */
export const SYNC_RED_AFTER_MS = 10 * 60_000;

/**
 * The sync part of the status: by the time since the last successful exchange (on the
 * kiosk's clock), so a hung exchange that the client has not yet called a failure still
 * turns it amber, then red. Offline or a long outbox: at least amber. Never synced: the
 * time since the kiosk started counts.
 */
export function syncHealth(input: {
  configured: boolean;
  online: boolean;
  lastSuccessAt: string | null;
  outboxDepth: number;
  nowMs: number;
  startedAtMs: number;
}): Health {
  if (!input.configured) return 'amber';
  const since = input.lastSuccessAt === null ? input.startedAtMs : Date.parse(input.lastSuccessAt);
  const quietMs = input.nowMs - since;
  if (quietMs > SYNC_RED_AFTER_MS) return 'red';
  if (quietMs > SYNC_AMBER_AFTER_MS || !input.online || input.lastSuccessAt === null || input.outboxDepth > 100) return 'amber';
  return 'green';
}

const LOCKOUT_KEY = 'pinLockout';
/** Asked about for a card number that is no technician's: not a possible technician id (backoffice/technicians.ts). */
const UNKNOWN_TECHNICIAN = '~';
const SERVICE_REASON_KEY = 'serviceReason';
const GiB = 1024 ** 3;

const worst = (...levels: Health[]): Health =>
  levels.includes('red') ? 'red' : levels.includes('amber') ? 'amber' : 'green';

interface LockoutState {
  failures: number;
  lockedUntil: string | null;
  /** Locks in a row without a good PIN between them: each lasts twice as long (at most 8 hours). */
  locks?: number;
}

/** The longest lock. */
const MAX_LOCK_MINUTES = 8 * 60;

export function createMaintenance(deps: MaintenanceDeps): Maintenance {
  const { store, reader, codec, log, now } = deps;
  const lockout = deps.lockout ?? DEFAULT_LOCKOUT;
  const repo = store.maintenance;
  const startedAtMs = now().getTime();
  let lastCardAt: string | null = null;
  let readerErrors = 0;
  const unsubscribe = reader.subscribe((state) => {
    if (state.status === 'card_present') lastCardAt = now().toISOString();
    if (state.status === 'card_error' || state.status === 'no_reader') readerErrors++;
  });

  const audit = (actor: string, action: string, detail: string | null = null) => {
    repo.audit.append({ actor, action, detail });
    log.info({ actor, action }, 'maintenance audit');
  };

  // One lock per technician and way in: wrong PINs typed at the service key for a
  // technician do not keep that technician's card out, and no technician locks another out.
  const lockoutKey = (entry: 'card' | 'serviceKey', cardNumber: string) => `${LOCKOUT_KEY}:${entry}:${cardNumber}`;
  const readLockout = (key: string): LockoutState => {
    const raw = repo.settings.get(key);
    if (!raw) return { failures: 0, lockedUntil: null };
    try {
      const parsed = JSON.parse(raw) as Partial<LockoutState>;
      return { failures: Number(parsed.failures) || 0, lockedUntil: parsed.lockedUntil ?? null, locks: Number(parsed.locks) || 0 };
    } catch {
      return { failures: 0, lockedUntil: null };
    }
  };

  async function verifyPin({ entry, cardNumber, pin }: VerifyPinInput): Promise<PinResult> {
    const key = lockoutKey(entry, cardNumber);
    // Who tried, as the audit log names them: the card, or the service key for that card.
    const actor = entry === 'card' ? maskCardNumber(cardNumber) : `service key ${maskCardNumber(cardNumber)}`;
    const state = readLockout(key);
    const writeLockout = (next: LockoutState) => repo.settings.set(key, JSON.stringify(next));
    const nowMs = now().getTime();
    if (state.lockedUntil && Date.parse(state.lockedUntil) > nowMs) {
      // Audited too: guessing on during a lock is seen.
      audit(actor, 'pin.lockedAttempt', null);
      return { result: 'locked', minutesLeft: Math.ceil((Date.parse(state.lockedUntil) - nowMs) / 60_000) };
    }
    // Only that technician's PIN: an unknown number is checked against nothing, and answered alike.
    const candidate = repo.technicians.byCard(cardNumber);
    // Online, the attempt is counted across the fleet first: guesses spread over many kiosks
    // lock the technician at every one of them (backoffice/pin-lock.ts).
    // (Not while the back office is known to be unreachable: the technician would wait for nothing.)
    const fleetCount = deps.sync?.pinAttempt && deps.sync.status().online ? deps.sync.pinAttempt.bind(deps.sync) : null;
    // An unknown number is asked about too (the back office knows no such technician): the
    // answer takes as long either way, so the wait does not tell which numbers are technicians'.
    const fleet = fleetCount ? await fleetCount({ technicianId: candidate?.technicianId ?? UNKNOWN_TECHNICIAN, outcome: 'trying' }) : null;
    const afterMs = now().getTime();
    if (fleet?.lockedUntil && Date.parse(fleet.lockedUntil) > afterMs) {
      audit(actor, 'pin.fleetLocked', null);
      return { result: 'locked', minutesLeft: Math.ceil((Date.parse(fleet.lockedUntil) - afterMs) / 60_000) };
    }
    if (candidate && (await pinMatches(pin, candidate))) {
      writeLockout({ failures: 0, lockedUntil: null, locks: 0 });
      if (fleetCount) void fleetCount({ technicianId: candidate.technicianId, outcome: 'ok' });
      audit(candidate.technicianId, 'login', entry === 'card' ? 'technician card' : 'service key');
      return { result: 'ok', technicianId: candidate.technicianId };
    }
    const failures = state.failures + 1;
    const locks = state.locks ?? 0;
    if (failures >= lockout.maxAttempts) {
      const minutes = Math.min(MAX_LOCK_MINUTES, lockout.minutes * 2 ** locks);
      const lockedUntil = new Date(nowMs + minutes * 60_000).toISOString();
      writeLockout({ failures: 0, lockedUntil, locks: locks + 1 });
      audit(actor, 'pin.locked', `${failures} wrong PINs, locked for ${minutes} min`);
      return { result: 'locked', minutesLeft: minutes };
    }
    writeLockout({ failures, lockedUntil: null, locks });
    audit(actor, 'pin.wrong', candidate === undefined ? 'no credentials for this card' : null);
    return { result: 'wrong', attemptsLeft: lockout.maxAttempts - failures };
  }

  async function run({ action, technicianId }: { action: MaintenanceAction; technicianId: string }): Promise<MaintenanceActionResult> {
    switch (action.type) {
      case 'outOfService':
        repo.settings.set(SERVICE_REASON_KEY, action.reason);
        audit(technicianId, 'outOfService', action.reason);
        return { action: action.type, ok: true };
      case 'backInService':
        repo.settings.set(SERVICE_REASON_KEY, null);
        audit(technicianId, 'backInService');
        return { action: action.type, ok: true };
      case 'releaseDeliveries': {
        // Safe because the card is the arbiter: delivery reads the card's ledger right
        // before every write, so a released order that the card already holds is never
        // written again; and a released attempt stays a candidate until its card is read
        // again (deliveries.releasedForCard): a write that landed is then delivered and
        // reported, even if a cancel that waited for the attempt has applied meanwhile.
        const open = repo.openDeliveries();
        for (const delivery of open) store.deliveries.abandon(delivery.id, RELEASED_BY_TECHNICIAN);
        audit(technicianId, 'releaseDeliveries', `${open.length}`);
        return { action: action.type, ok: true, count: open.length };
      }
      case 'syncNow': {
        if (!deps.sync) {
          audit(technicianId, 'syncNow', 'no back office configured');
          return { action: action.type, ok: false };
        }
        try {
          await deps.sync.syncNow();
          audit(technicianId, 'syncNow', 'ok');
          return { action: action.type, ok: true };
        } catch (error) {
          audit(technicianId, 'syncNow', `failed: ${error instanceof Error ? error.message : String(error)}`);
          return { action: action.type, ok: false };
        }
      }
      case 'restartReader': {
        await reader.restart();
        audit(technicianId, 'restartReader');
        return { action: action.type, ok: true };
      }
      default: {
        const unreachable: never = action;
        throw new Error(`unknown maintenance action ${JSON.stringify(unreachable)}`);
      }
    }
  }

  async function inspect(uid: string, signal?: AbortSignal): Promise<CardInspection> {
    const access = reader.card();
    if (!access || access.uid !== uid) return { ok: false, reason: 'unreadable' };
    try {
      const card = await readCard(access, codec, signal);
      return {
        ok: true,
        uid,
        maskedNumber: maskCardNumber(card.identity.cardNumber),
        kind: card.identity.kind,
        expiry: card.identity.expiry,
        balanceCents: card.state.balanceCents,
        products: card.state.products.filter((p) => p !== null),
        ordersOnCard: card.state.ledger ? card.state.ledger.lowWater + card.state.ledger.applied.length : card.state.journal.length,
        activeRecord: card.activeSlot,
        sequence: card.state.sequence,
        layoutVersion: card.layout,
      };
    } catch (error) {
      if (error instanceof CardLayoutError) return { ok: false, reason: error.kind === 'foreign' ? 'foreignCard' : 'corruptCard' };
      if (error instanceof CardIoError) return { ok: false, reason: 'foreignCard' };
      return { ok: false, reason: 'unreadable' };
    }
  }

  function fileSize(path: string): number {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  }

  function serviceReason(): ServiceReason | null {
    const value = repo.settings.get(SERVICE_REASON_KEY);
    return (SERVICE_REASONS as readonly string[]).includes(value ?? '') ? (value as ServiceReason) : null;
  }

  /** A count from the store, or null when the store cannot answer (a fault; reported as such). */
  function counted(what: () => number): number | null {
    try {
      return what();
    } catch {
      return null;
    }
  }

  function status(): MaintenanceStatus {
    const readerState = reader.state();
    const readerStatus = readerState.status;
    const readerHealth: Health = readerStatus === 'no_reader' ? 'red' : readerStatus === 'card_error' ? 'amber' : 'green';
    const fault = deps.fault?.() ?? null;
    const unsettled = counted(() => store.deliveries.unsettledCount());
    const outboxDepth = counted(() => store.outbox.depth());
    const pendingOrders = counted(() => store.orders.countByStatus().pending);
    const storeAnswers = unsettled !== null && outboxDepth !== null && pendingOrders !== null;
    const sync = deps.sync?.status();
    const syncState: Health = syncHealth({
      configured: deps.sync !== undefined,
      online: sync?.online ?? false,
      lastSuccessAt: sync?.lastSuccessAt ?? null,
      outboxDepth: outboxDepth ?? 0,
      nowMs: now().getTime(),
      startedAtMs,
    });
    const clock = deps.clock?.() ?? CLOCK_UNKNOWN;
    let disk = { freeBytes: 0, totalBytes: 0 };
    try {
      const fs = statfsSync(deps.dataDir);
      disk = { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
    } catch {
      // reported as red below
    }
    const diskHealth: Health = disk.freeBytes < 1 * GiB ? 'red' : disk.freeBytes < 5 * GiB ? 'amber' : 'green';
    let reason: ServiceReason | null = null;
    try {
      reason = serviceReason();
    } catch {
      // the store cannot answer: its part is red already
    }
    const parts = {
      reader: {
        health: readerHealth,
        name: reader.name,
        status: readerStatus,
        lastCardAt,
        errorsSinceStart: readerErrors,
        ...(readerState.status === 'card_error' && readerState.fault ? { fault: readerState.fault } : {}),
      },
      store: {
        health: (fault !== null || !storeAnswers ? 'red' : (unsettled ?? 0) > 0 ? 'amber' : 'green') as Health,
        sizeBytes: fileSize(store.file) + fileSize(`${store.file}-wal`),
        pendingOrders: pendingOrders ?? 0,
        unsettledDeliveries: unsettled ?? 0,
      },
      sync: {
        health: syncState,
        configured: deps.sync !== undefined,
        online: sync?.online ?? false,
        lastSuccessAt: sync?.lastSuccessAt ?? null,
        outboxDepth: outboxDepth ?? 0,
        lagSeconds: sync?.lagSeconds ?? null,
      },
      app: {
        health: (reason ? 'amber' : 'green') as Health,
        version: deps.version,
        uptimeSeconds: Math.round(process.uptime()),
        outOfService: reason,
      },
      disk: { health: diskHealth, ...disk },
      fault,
      clock,
    };
    const printer = deps.printer ? { name: deps.printer.name, condition: deps.printer.condition(), reason: deps.printer.reason() } : null;
    const printerPart = printer ? { printer: { health: printerHealth(printer.condition), ...printer } } : {};
    const printerOverall: Health = printer && printerHealth(printer.condition) !== 'green' ? 'amber' : 'green';
    return {
      overall: worst(parts.reader.health, parts.store.health, parts.sync.health, parts.app.health, parts.disk.health, clock.health, printerOverall),
      ...parts,
      ...printerPart,
    };
  }

  function view(context: MaintenanceContext, busy: boolean): MaintenanceView {
    const page = context.page;
    return {
      page,
      busy,
      lastAction: context.lastAction,
      status: status(),
      testCard: page === 'testCard' ? context.testCard : null,
      log: page === 'log' ? (deps.logBuffer?.recent(100) ?? []) : [],
      audit:
        page === 'audit'
          ? repo.audit.recent(100).map((a) => ({ at: a.at, actor: a.actor, action: a.action, detail: a.detail }))
          : [],
      deliveries:
        page === 'deliveries'
          ? repo.openDeliveries().map((d) => ({
              id: d.id,
              maskedCardNumber: maskCardNumber(d.cardNumber),
              kind: d.kind,
              state: d.state,
              since: d.createdAt,
            }))
          : [],
    };
  }

  return {
    verifyPin,
    run,
    inspect,
    status,
    view,
    serviceReason,
    audit,
    close: () => unsubscribe(),
  };
}
