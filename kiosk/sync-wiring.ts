// Connects the kiosk to its back office. Demo mode (no station configuration): an
// embedded back office on 127.0.0.1 with its own SQLite file in the data dir, seeded once
// with the demo orders, which reach the kiosk by sync like any other order. Its address
// and a token for the online API are written to <dataDir>/backoffice.json so that
// `npm run order` can place orders. Station mode: the configured back office.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { newToken, type OrderRequest } from '../backoffice/db.js';
import { createBackOffice, type BackOffice } from '../backoffice/server.js';
import type { Store } from '../store/index.js';
import { createSyncClient, type SyncClient } from '../store/sync-client.js';
import { DEMO_TECHNICIAN, demoOrders, type DemoOrder } from './demo.js';
import { hashPin } from '../backoffice/pins.js';

export const backOfficeConfigSchema = z
  .object({
    /** e.g. https://backoffice.example.org */
    url: z.url(),
    /** This kiosk's bearer token, issued by the back office (`npm run backoffice -- add-kiosk`). */
    token: z.string().min(20),
  })
  .strict();
export type BackOfficeConfig = z.infer<typeof backOfficeConfigSchema>;

/** What `npm run order` reads. */
export const DEMO_BACKOFFICE_FILE = 'backoffice.json';
const DEMO_EMAIL = 'demo@example.org';
const DEMO_KIOSK_ID = 'demo-kiosk';

export interface SyncWiring {
  readonly client: SyncClient | null;
  /** The embedded back office's address (demo mode). */
  readonly backOfficeUrl: string | null;
  stop(): Promise<void>;
}

function requestFor(order: DemoOrder): OrderRequest {
  const base = { cardNumber: order.cardNumber, email: DEMO_EMAIL };
  const p = order.payload;
  switch (p.kind) {
    case 'kaartservicecode':
      return { ...base, kind: 'kaartservicecode' };
    case 'product':
      return { ...base, kind: 'product', productCode: p.productCode, validFrom: p.validFrom, validUntil: p.validUntil };
    case 'topup':
      return { ...base, kind: 'topup', amountCents: p.amountCents };
    default: {
      const unreachable: never = p;
      throw new Error(`unknown order kind ${JSON.stringify(unreachable)}`);
    }
  }
}

export async function startSyncWiring(options: {
  dataDir: string;
  /** null: demo mode with the embedded back office; undefined: a station without one. */
  config: BackOfficeConfig | null | undefined;
  store: Store;
  log: Logger;
  now: () => Date;
}): Promise<SyncWiring> {
  const { store, log, now } = options;
  if (options.config === undefined) {
    log.warn('no back office configured: the kiosk serves its cached orders only');
    return { client: null, backOfficeUrl: null, stop: async () => {} };
  }

  let embedded: BackOffice | null = null;
  let url: string;
  let token: string;
  if (options.config === null) {
    const onlineToken = newToken();
    embedded = createBackOffice({
      file: join(options.dataDir, 'backoffice.db'),
      log: log.child({ component: 'backoffice' }),
      now,
      onlineToken,
    });
    // Seeded once, when its database is new: a restart must not bring back what was collected.
    if (embedded.db.created) {
      for (const order of demoOrders(now())) {
        const code = order.payload.kind === 'kaartservicecode' ? order.payload.code : undefined;
        embedded.db.placeOrder(requestFor(order), { id: order.id, createdAt: order.createdAt, expiresAt: order.expiresAt, ...(code ? { code } : {}) });
      }
      const { technicianId, cardNumber, pin } = DEMO_TECHNICIAN;
      embedded.db.setTechnician(technicianId, cardNumber, hashPin(pin));
    }
    token = newToken();
    embedded.db.registerKiosk(DEMO_KIOSK_ID, 'Demo kiosk', token);
    const port = process.env.BACKOFFICE_PORT ? Number(process.env.BACKOFFICE_PORT) : 0;
    url = await embedded.listen(port);
    writeFileSync(join(options.dataDir, DEMO_BACKOFFICE_FILE), `${JSON.stringify({ url, onlineToken }, null, 2)}\n`, { mode: 0o600 });
    log.info({ url }, 'demo: embedded back office listening; place an order with `npm run order -- topup 3528010012345678 20.00`');
  } else {
    url = options.config.url;
    token = options.config.token;
  }

  const client = createSyncClient({
    baseUrl: url,
    token,
    store,
    logger: log.child({ component: 'sync' }),
    now,
    onTechnicians: (list) => store.maintenance.technicians.replaceAll(list),
  });
  if (embedded) {
    // The embedded back office is on loopback: have its orders before the first card.
    await client.syncNow().catch((error: unknown) => log.warn({ err: String(error) }, 'demo: first sync failed'));
  }
  client.start();
  return {
    client,
    backOfficeUrl: embedded ? url : null,
    async stop() {
      await client.stop();
      await embedded?.close();
    },
  };
}
