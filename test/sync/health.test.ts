// The maintenance status (and GET /health) says how long sync has been failing: amber
// after SYNC_AMBER_AFTER_MS without a successful exchange, red after SYNC_RED_AFTER_MS.
// The clock is injected; the sync client is a stub that reports what a test sets.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CardCodec } from '../../hardware/card-layout.js';
import type { CardReader } from '../../hardware/card-reader.js';
import { createMaintenance, SYNC_AMBER_AFTER_MS, SYNC_RED_AFTER_MS, type SyncStatusSource } from '../../kiosk/maintenance.js';
import { useTempFiles } from '../../store/test-helpers.js';

const files = useTempFiles();

const reader: CardReader = {
  name: 'stub reader',
  state: () => ({ status: 'ready' }),
  subscribe: () => () => {},
  card: () => null,
  restart: async () => {},
  close: async () => {},
};

function setUp() {
  const start = Date.parse('2026-12-01T10:00:00.000Z');
  let nowMs = start;
  let sync = { online: false, lastSuccessAt: null as string | null, lagSeconds: null as number | null };
  const source: SyncStatusSource = { status: () => sync, syncNow: async () => {} };
  const store = files.open();
  const maintenance = createMaintenance({
    store,
    reader,
    codec: {} as CardCodec,
    log: pino({ level: 'silent' }),
    now: () => new Date(nowMs),
    version: 'test',
    dataDir: files.dir,
    sync: source,
  });
  return {
    health: () => maintenance.status().sync.health,
    at: (ms: number) => (nowMs = start + ms),
    /** A successful exchange `ago` ms before now; `online` as the client would say. */
    lastSuccess(agoMs: number, online: boolean) {
      sync = { online, lastSuccessAt: new Date(nowMs - agoMs).toISOString(), lagSeconds: Math.floor(agoMs / 1000) };
    },
    close: () => maintenance.close(),
  };
}

describe('sync health in the maintenance status', () => {
  it('names its thresholds: amber after 2 minutes, red after 10', () => {
    expect(SYNC_AMBER_AFTER_MS).toBe(2 * 60_000);
    expect(SYNC_RED_AFTER_MS).toBe(10 * 60_000);
  });

  it('green while exchanges succeed, amber past 2 minutes without one, red past 10 — even while the client still says online', () => {
    const t = setUp();
    t.at(60 * 60_000);
    t.lastSuccess(1_000, true);
    expect(t.health()).toBe('green');
    t.lastSuccess(SYNC_AMBER_AFTER_MS - 1, true);
    expect(t.health()).toBe('green');
    // A hung exchange: the client has not noticed a failure, but nothing succeeded for long.
    t.lastSuccess(SYNC_AMBER_AFTER_MS + 1, true);
    expect(t.health()).toBe('amber');
    t.lastSuccess(SYNC_RED_AFTER_MS - 1, true);
    expect(t.health()).toBe('amber');
    t.lastSuccess(SYNC_RED_AFTER_MS + 1, true);
    expect(t.health()).toBe('red');
    t.lastSuccess(SYNC_RED_AFTER_MS + 1, false);
    expect(t.health()).toBe('red');
    t.close();
  });

  it('offline after a recent success: amber; never synced: amber, red once the kiosk has run 10 minutes without a sync', () => {
    const t = setUp();
    t.lastSuccess(5_000, false);
    expect(t.health()).toBe('amber');
    const never = setUp();
    expect(never.health()).toBe('amber');
    never.at(SYNC_RED_AFTER_MS + 1);
    expect(never.health()).toBe('red');
    t.close();
    never.close();
  });
});
