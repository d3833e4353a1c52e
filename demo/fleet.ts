// A local fleet for developers and tests: one embedded back office and N demo kiosks in
// one process, each with its own data directory, its own token at the back office, its own
// simulated reader and developer dock, all sharing ONE demo wallet (demo-cards.json in the
// fleet directory): a card carried from one kiosk to another keeps what was written on it.
// A card tapped at one kiosk is taken off the reader where it was before (it is one card).
// `npm run fleet` (scripts/fleet.ts) serves each kiosk on a web host of its own and writes
// fleet.json (demo/fleet-control.ts), through which `npm run card -- --kiosk N` taps cards.
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { layoutV1 } from '../hardware/card-layout.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { composeKiosk, type KioskLog, type RunningKiosk, type StartOptions } from '../kiosk/compose.js';
import { LogBuffer } from '../kiosk/log-buffer.js';
import { startEmbeddedBackOffice, type EmbeddedBackOffice } from './backoffice.js';
import { addDemoSealKeys, demoWallet } from './cards.js';
import { createDevChannel, parseDevCommand, type DevChannel } from './dev-channel.js';
import { SimulatedWallet } from './wallet.js';

/** The wallet file every kiosk of a fleet shares. */
export const FLEET_WALLET_FILE = 'demo-cards.json';
export const MAX_FLEET_KIOSKS = 32;

export interface FleetOptions {
  readonly kiosks: number;
  /** The fleet directory: backoffice.db, demo-cards.json, kiosk-1/, kiosk-2/, ... */
  readonly dir: string;
  /** The fleet's log (each kiosk logs as a child with `kiosk: kiosk-N`); default pino to stdout. */
  readonly log?: Logger;
  readonly now?: () => Date;
  readonly clock?: StartOptions['clock'];
  /** The back office's port; default $BACKOFFICE_PORT, else a free one. */
  readonly backOfficePort?: number;
}

export interface FleetKiosk {
  /** 1-based, as `npm run card -- --kiosk N` counts. */
  readonly n: number;
  /** Its id at the back office, e.g. `fleet-kiosk-2`. */
  readonly id: string;
  readonly name: string;
  readonly dataDir: string;
  readonly running: RunningKiosk;
  readonly reader: SimulatedReader;
  /** Its developer dock's channel (tap, remove, tear); the same object as `running.devChannel`. */
  readonly devChannel: DevChannel;
}

export interface Fleet {
  readonly dir: string;
  readonly backOffice: EmbeddedBackOffice;
  /** The one wallet all kiosks' readers share. */
  readonly wallet: SimulatedWallet;
  readonly kiosks: readonly FleetKiosk[];
  /** Kiosk `n` (1-based); throws when there is none. */
  kiosk(n: number): FleetKiosk;
  /** Stops every kiosk, then the back office. Safe to call twice. */
  stop(): Promise<void>;
}

function kioskLogFor(base: Logger | undefined, id: string): KioskLog {
  if (base) return { log: base.child({ kiosk: id }), buffer: undefined };
  // Each kiosk keeps its own recent log for the technician's log page.
  const buffer = new LogBuffer();
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.multistream([{ stream: process.stdout }, { stream: buffer }])).child({ kiosk: id });
  return { log, buffer };
}

/**
 * The dock of one kiosk of the fleet: tapping a card takes it off any other kiosk's reader
 * first (one card cannot lie on two readers; carried away mid-write, that write is torn).
 */
function carryingChannel(own: DevChannel, self: SimulatedReader, readers: () => readonly SimulatedReader[], wallet: SimulatedWallet, log: Logger): DevChannel {
  return {
    ...own,
    receive(raw) {
      const parsed = parseDevCommand(raw);
      if (parsed.ok && parsed.value.type === 'dev.tap') {
        const entry = wallet.get(parsed.value.cardId);
        for (const other of readers()) {
          if (other !== self && entry && other.presentCard() === entry.card) {
            log.info({ card: entry.id }, 'fleet: card carried over from another kiosk');
            other.remove();
          }
        }
      }
      return own.receive(raw);
    },
  };
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const { dir } = options;
  if (!Number.isInteger(options.kiosks) || options.kiosks < 1 || options.kiosks > MAX_FLEET_KIOSKS) {
    throw new Error(`a fleet has 1 to ${MAX_FLEET_KIOSKS} kiosks, not ${String(options.kiosks)}`);
  }
  const now = options.now ?? (() => new Date());
  const baseLog = options.log ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const fleetLog = baseLog.child({ component: 'fleet' });
  const specs = Array.from({ length: options.kiosks }, (_, i) => ({ n: i + 1, id: `fleet-kiosk-${i + 1}`, name: `Fleet kiosk ${i + 1}` }));

  const { wallet } = SimulatedWallet.open(join(dir, FLEET_WALLET_FILE), () => demoWallet(layoutV1));
  if (addDemoSealKeys(wallet.list(), layoutV1)) wallet.save();
  const backOffice = await startEmbeddedBackOffice({
    dataDir: dir,
    log: baseLog,
    now,
    kiosks: specs,
    ...(options.backOfficePort !== undefined ? { port: options.backOfficePort } : {}),
  });

  const kiosks: FleetKiosk[] = [];
  const readers = () => kiosks.map((k) => k.reader);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const kiosk of [...kiosks].reverse()) {
      try {
        await kiosk.running.stop();
      } catch (error) {
        fleetLog.warn({ err: error, kiosk: kiosk.id }, 'fleet: a kiosk did not stop cleanly');
      }
    }
    wallet.save();
    await backOffice.close();
  };

  try {
    for (const spec of specs) {
      const registered = backOffice.kiosks[spec.n - 1];
      if (!registered) throw new Error(`kiosk ${spec.n} was not registered at the back office`);
      const kioskLog = kioskLogFor(options.log, spec.id);
      const reader = new SimulatedReader({ name: `Simulated reader (${spec.name})`, onWrite: () => wallet.save() });
      const own = createDevChannel({ reader, wallet, log: kioskLog.log.child({ component: 'dev-dock' }) });
      const devChannel = carryingChannel(own, reader, readers, wallet, kioskLog.log);
      const dataDir = join(dir, `kiosk-${spec.n}`);
      let running: RunningKiosk;
      try {
        running = await composeKiosk(
          { dataDir, kioskLog, now, ...(options.clock ? { clock: options.clock } : {}) },
          {
            stationName: spec.name,
            demo: true,
            reader: () => reader,
            backOffice: registered.config,
            syncFirst: true,
            devChannel,
            onStop: async () => {
              own.close();
            },
          },
        );
      } catch (error) {
        own.close();
        throw error;
      }
      kiosks.push({ ...spec, dataDir, running, reader, devChannel });
      running.log.info({ dataDir, backOffice: backOffice.url }, 'fleet: kiosk started');
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    dir,
    backOffice,
    wallet,
    kiosks,
    kiosk(n) {
      const kiosk = kiosks[n - 1];
      if (!Number.isInteger(n) || !kiosk) throw new Error(`no kiosk ${String(n)} in this fleet of ${kiosks.length}`);
      return kiosk;
    },
    stop,
  };
}
