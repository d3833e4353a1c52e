// Connects the kiosk to its back office: the sync client for the configured back office,
// or none (a station without one serves only what its cache holds).
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Store } from '../store/index.js';
import { createSyncClient, type SyncClient } from '../sync/client.js';

export const backOfficeConfigSchema = z
  .object({
    /** e.g. https://backoffice.example.org */
    url: z.url(),
    /** This kiosk's bearer token, issued by the back office (`npm run backoffice -- add-kiosk`). */
    token: z.string().min(20),
  })
  .strict();
export type BackOfficeConfig = z.infer<typeof backOfficeConfigSchema>;

export interface SyncWiring {
  readonly client: SyncClient | null;
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
}): Promise<SyncWiring> {
  const { store, log, now, config } = options;
  if (config === undefined) {
    log.warn('no back office configured: the kiosk serves its cached orders only');
    return { client: null, stop: async () => {} };
  }
  const client = createSyncClient({
    baseUrl: config.url,
    token: config.token,
    store,
    logger: log.child({ component: 'sync' }),
    now,
    onTechnicians: (list) => store.maintenance.technicians.replaceAll(list),
  });
  if (options.syncFirst) {
    await client.syncNow().catch((error: unknown) => log.warn({ err: String(error) }, 'first sync failed'));
  }
  client.start();
  return { client, stop: () => client.stop() };
}
