// Connects the kiosk to its back office: the sync client for the configured back office,
// or none (a station without one serves only what its cache holds).
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Store } from '../store/index.js';
import { createSyncClient, type SyncClient, type SyncClientOptions } from '../sync/client.js';
import { orderKeyFrom } from '../sync/order-signature.js';

/** Plain HTTP only to this machine itself: anything else could be read and rewritten on the way. */
function loopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === '[::1]' || host === 'localhost';
}

export const backOfficeConfigSchema = z
  .object({
    /** e.g. https://backoffice.example.org (http: only to 127.0.0.1 / ::1). */
    url: z
      .url()
      .refine((url) => url.startsWith('https:') || (url.startsWith('http:') && loopback(url)), {
        message: 'the back office must be reached over https: (plain http: only on 127.0.0.1 or ::1)',
      }),
    /** This kiosk's bearer token, issued by the back office (`npm run backoffice -- add-kiosk`). */
    token: z.string().min(20),
    /**
     * The back office's order key (`npm run backoffice -- order-key`, SPKI DER in base64):
     * an order whose signature does not verify with it is never stored, offered or written.
     */
    /**
     * TLS (required for https): the fleet CA to pin, as a PEM file (only certificates it
     * issued are trusted), and this kiosk's client certificate and key for mutual TLS.
     * Paths relative to the data directory. docs/tls.md says how to issue and rotate them.
     */
    tls: z
      .object({ ca: z.string().min(1), cert: z.string().min(1).optional(), key: z.string().min(1).optional() })
      .strict()
      .refine((t) => (t.cert === undefined) === (t.key === undefined), { message: 'tls.cert and tls.key go together' })
      .optional(),
    orderKey: z.string().min(40).max(200).refine(
      (key) => {
        try {
          orderKeyFrom(key);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'not an Ed25519 public key (SPKI DER in base64): copy it from `npm run backoffice -- order-key`' },
    ),
  })
  .strict()
  .refine((config) => !config.url.startsWith('https:') || config.tls !== undefined, {
    message: 'an https back office needs tls.ca (the fleet CA to pin)',
    path: ['tls'],
  });
export type BackOfficeConfig = z.infer<typeof backOfficeConfigSchema>;

/** The TLS files of the configuration, read (a file that cannot be read stops the start, naming it). */
function readTls(tls: NonNullable<BackOfficeConfig['tls']>, dataDir = '.'): { ca: string; cert?: string; key?: string } {
  const read = (field: string, name: string) => {
    const path = resolve(dataDir, name);
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`backOffice.tls.${field}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    ca: read('ca', tls.ca),
    ...(tls.cert !== undefined ? { cert: read('cert', tls.cert) } : {}),
    ...(tls.key !== undefined ? { key: read('key', tls.key) } : {}),
  };
}

export interface SyncWiring {
  readonly client: SyncClient | null;
  /** The back office's order key, which the delivery checks again before it writes. */
  readonly orderKey: KeyObject | null;
  stop(): Promise<void>;
}

export async function startSyncWiring(options: {
  /** undefined: a station without a back office. */
  config: BackOfficeConfig | undefined;
  store: Store;
  log: Logger;
  now: () => Date;
  /** Pull once before the first card (a back office on loopback answers at once). */
  syncFirst?: boolean;
  /** Where relative TLS file names are found. */
  dataDir?: string;
  /** Told the Date of every sync answer (kiosk/clock-watch.ts). */
  onServerDate?: (dateHeader: string, sentAt: Date, receivedAt: Date) => void;
  /** The kiosk's health and out-of-service reason for every heartbeat (the operator console shows them). */
  report?: SyncClientOptions['report'];
}): Promise<SyncWiring> {
  const { store, log, now, config } = options;
  if (config === undefined) {
    log.warn('no back office configured: the kiosk serves its cached orders only');
    return { client: null, orderKey: null, stop: async () => {} };
  }
  const orderKey = orderKeyFrom(config.orderKey);
  const tls = config.tls ? readTls(config.tls, options.dataDir) : undefined;
  const client = createSyncClient({
    orderKey,
    ...(tls ? { tls } : {}),
    baseUrl: config.url,
    token: config.token,
    store,
    logger: log.child({ component: 'sync' }),
    now,
    onTechnicians: (list) => store.maintenance.technicians.replaceAll(list),
    ...(options.onServerDate ? { onServerDate: options.onServerDate } : {}),
    ...(options.report ? { report: options.report } : {}),
  });
  if (options.syncFirst) {
    await client.syncNow().catch((error: unknown) => log.warn({ err: String(error) }, 'first sync failed'));
  }
  client.start();
  return { client, orderKey, stop: () => client.stop() };
}
