// Builds the running kiosk from its configuration: demo mode when unconfigured
// (simulated reader with demo cards, demo orders, badged), otherwise the station's setup.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import { layoutV1 } from '../hardware/card-layout.js';
import type { CardReader } from '../hardware/card-reader.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { SimulatedWallet } from '../hardware/simulated-wallet.js';
import { openStore, type Store } from '../store/index.js';
import packageJson from '../package.json' with { type: 'json' };
import { demoWallet } from './demo.js';
import { createKiosk, type DemoSimulator, type Kiosk, type KioskOptions } from './kiosk.js';
import { createReader, demoPcscConfig, readerConfigSchema } from './reader-factory.js';
import { LogBuffer } from './log-buffer.js';
import { createMaintenance } from './maintenance.js';
import { startHealthServer } from './web-host.js';
import { backOfficeConfigSchema, startSyncWiring } from './sync-wiring.js';

export const stationConfigSchema = z
  .object({
    stationName: z.string().min(1).max(80),
    /** The reader to use: `{ type: 'pcsc', keyA, keyB?, readerName? }` at a station. */
    reader: readerConfigSchema,
    /** Without it a station serves only what its cache holds. */
    backOffice: backOfficeConfigSchema.optional(),
  })
  .strict();
export type StationConfig = z.infer<typeof stationConfigSchema>;

export interface StartOptions {
  readonly dataDir: string;
  /** Station configuration file; default `<dataDir>/station.json`, or $KIOSK_CONFIG. */
  readonly configFile?: string;
  readonly log?: Logger;
  readonly now?: () => Date;
  /** The machine's clock for its delays (end-to-end tests pass a simulated one). */
  readonly clock?: KioskOptions['clock'];
}

export interface RunningKiosk {
  readonly service: Kiosk;
  readonly store: Store;
  readonly config: { readonly demo: boolean; readonly stationName: string };
  readonly log: Logger;
  stop(): Promise<void>;
}

export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(base, 'station-kiosk');
}

function loadConfig(file: string): StationConfig | null {
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`station configuration ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = stationConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`station configuration ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export async function startKiosk(options: StartOptions): Promise<RunningKiosk> {
  // The recent log is kept in memory too, for the technician's log page.
  const logBuffer = options.log ? undefined : new LogBuffer();
  const log =
    options.log ??
    pino(
      { level: process.env.LOG_LEVEL ?? 'info' },
      pino.multistream([{ stream: process.stdout }, { stream: logBuffer as LogBuffer }]),
    );
  const now = options.now ?? (() => new Date());
  mkdirSync(options.dataDir, { recursive: true });
  const configFile = options.configFile ?? process.env.KIOSK_CONFIG ?? join(options.dataDir, 'station.json');
  const config = loadConfig(configFile);
  const store = openStore(join(options.dataDir, 'kiosk.db'), { now, logger: log.child({ component: 'store' }) });
  const codec = layoutV1;
  const sync = await startSyncWiring({ dataDir: options.dataDir, config: config ? config.backOffice : null, store, log, now });

  // Demo: the simulated reader with the developer dock, or (KIOSK_READER=pcsc) the demo
  // cards over PC/SC, held with `npm run card -- tap <card>`. A station: its own reader.
  let simulator: DemoSimulator | undefined;
  let reader: CardReader;
  if (!config) {
    const pcsc = demoPcscConfig();
    const { wallet } = SimulatedWallet.open(join(options.dataDir, 'demo-cards.json'), () => demoWallet(codec));
    const simulated = new SimulatedReader({ name: 'Simulated reader (demo)', onWrite: () => wallet.save() });
    reader = pcsc ? createReader(pcsc, log) : simulated;
    simulator = pcsc ? undefined : { reader: simulated, wallet };
    log.info({ dataDir: options.dataDir, reader: reader.name }, 'demo mode: demo cards, embedded back office');
  } else {
    reader = createReader(config.reader, log);
    log.info({ station: config.stationName }, 'station mode');
  }
  const maintenance = createMaintenance({
    store,
    reader,
    codec,
    log,
    now,
    version: packageJson.version,
    dataDir: options.dataDir,
    logBuffer,
    sync: sync.client ?? undefined,
  });
  const kiosk = createKiosk({ reader, codec, store, log, now, clock: options.clock, maintenance, simulator });
  const closeReader = () => reader.close();

  // Fleet monitoring polls GET /health; the web host serves it on its own port too.
  const healthPort = process.env.KIOSK_HEALTH_PORT ? Number(process.env.KIOSK_HEALTH_PORT) : null;
  const healthServer =
    healthPort === null
      ? null
      : await startHealthServer({
          health: kiosk.maintenance.status,
          screen: () => kiosk.view().screen.name,
          log,
          port: healthPort,
        });
  if (healthServer) log.info({ url: `${healthServer.url}/health` }, 'health endpoint');

  return {
    service: kiosk,
    store,
    config: { demo: !config, stationName: config?.stationName ?? 'Demo' },
    log,
    async stop() {
      await healthServer?.close();
      await kiosk.stop();
      await closeReader();
      await sync.stop();
      store.close();
    },
  };
}
