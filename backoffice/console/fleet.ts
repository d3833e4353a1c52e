// The fleet at a glance: each kiosk's condition from its last heartbeat. A kiosk that has
// not reported for longer than the threshold is red whatever it said last; one that never
// reported is shown as such. Amber: offline, pickups waiting in its outbox, far behind on
// the feed (or on another database's), or the kiosk itself reports amber or red.
import type { ServiceReason } from '../../domain/index.js';
import { heartbeatSchema } from '../../protocol/kiosk-api.js';
import type { KioskRow } from '../db.js';

/** The sync client's heartbeat interval (sync/client.ts pollIntervalMs default). */
export const HEARTBEAT_INTERVAL_MS = 30_000;
/** Red after three heartbeats missed. */
export const DEFAULT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** Amber when the kiosk's cursor was this many changes behind the feed's head. */
export const LAG_AMBER = 500;

export type KioskLight = 'green' | 'amber' | 'red' | 'never';
export type AmberReason = 'offline' | 'outbox' | 'lag' | 'health';
export type SyncLag = { kind: 'none' } | { kind: 'changes'; count: number } | { kind: 'otherEpoch' } | { kind: 'unknown' };

export interface KioskStatus {
  readonly id: string;
  readonly name: string;
  readonly light: KioskLight;
  readonly reasons: readonly AmberReason[];
  readonly lastSeenAt: string | null;
  readonly lag: SyncLag;
  readonly outboxDepth: number | null;
  readonly health: 'green' | 'amber' | 'red' | null;
  /** Why the kiosk is out of service, as it said in its last heartbeat. */
  readonly outOfService: ServiceReason | null;
}

export function kioskStatus(row: KioskRow, feed: { head: number; epoch: string }, now: Date, staleMs: number): KioskStatus {
  const parsed = heartbeatSchema.safeParse(row.heartbeat);
  const beat = parsed.success ? parsed.data : null;
  const health = beat?.health ?? null;
  const outOfService = beat?.outOfService ?? null;
  let lag: SyncLag = { kind: 'unknown' };
  if (beat && beat.cursor !== null && /^\d+$/.test(beat.cursor)) {
    if (beat.epoch && beat.epoch !== feed.epoch) lag = { kind: 'otherEpoch' };
    else {
      const count = Math.max(0, feed.head - Number(beat.cursor));
      lag = count === 0 ? { kind: 'none' } : { kind: 'changes', count };
    }
  }
  const reasons: AmberReason[] = [];
  if (beat && !beat.online) reasons.push('offline');
  if (beat && beat.outboxDepth > 0) reasons.push('outbox');
  if (lag.kind === 'otherEpoch' || (lag.kind === 'changes' && lag.count >= LAG_AMBER)) reasons.push('lag');
  if (health === 'amber' || health === 'red') reasons.push('health');
  const seen = row.lastSeenAt === null ? null : Date.parse(row.lastSeenAt);
  const light: KioskLight =
    seen === null ? 'never' : now.getTime() - seen > staleMs ? 'red' : reasons.length > 0 || outOfService !== null ? 'amber' : 'green';
  return { id: row.id, name: row.name, light, reasons, lastSeenAt: row.lastSeenAt, lag, outboxDepth: beat?.outboxDepth ?? null, health, outOfService };
}
