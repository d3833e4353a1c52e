// The demo's embedded back office: on 127.0.0.1 with its own SQLite file in the data dir,
// seeded once with the demo orders, which reach the kiosk by sync like any other order.
// Its address and a token for the online API are written to <dataDir>/backoffice.json so
// that `npm run order` can place orders.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { newToken, type BackOfficeDb, type OrderRequest } from '../backoffice/db.js';
import { hashPin } from '../backoffice/pins.js';
import { createBackOffice } from '../backoffice/server.js';
import type { BackOfficeConfig } from '../kiosk/sync-wiring.js';
import { DEMO_TECHNICIAN, demoOrders, type DemoOrder } from './cards.js';
import { FileEmailSender } from '../backoffice/email.js';
import { demoServiceDays, demoServices } from './delays.js';
import { DEMO_SEAL_MASTER } from './seal.js';

/** What `npm run order` reads. */
export const DEMO_BACKOFFICE_FILE = 'backoffice.json';
const DEMO_EMAIL = 'demo@example.org';
const DEMO_KIOSK_ID = 'demo-kiosk';

export interface EmbeddedBackOffice {
  /** Where the demo kiosk syncs from, with its token (the first kiosk's, for a fleet). */
  readonly config: BackOfficeConfig;
  /** Each registered kiosk's id and config (its own token), in the order given. */
  readonly kiosks: readonly { readonly id: string; readonly config: BackOfficeConfig }[];
  readonly url: string;
  /** Its database, for tests and the local fleet (demo/fleet.ts). */
  readonly db: BackOfficeDb;
  close(): Promise<void>;
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

export async function startEmbeddedBackOffice(options: {
  readonly dataDir: string;
  readonly log: Logger;
  readonly now: () => Date;
  /** The kiosks to register, each with a new token; default the one demo kiosk. */
  readonly kiosks?: readonly { readonly id: string; readonly name: string }[];
  /** Default $BACKOFFICE_PORT, else a free port. */
  readonly port?: number;
}): Promise<EmbeddedBackOffice> {
  const { dataDir, log, now } = options;
  if (options.kiosks?.length === 0) throw new Error('the embedded back office needs at least one kiosk');
  const onlineToken = newToken();
  const embedded = createBackOffice({
    file: join(dataDir, 'backoffice.db'),
    log: log.child({ component: 'backoffice' }),
    now,
    onlineToken,
    // The demo cards carry seal keys from the demo's master (demo/seal.ts).
    sealMaster: DEMO_SEAL_MASTER,
    // The e-mails as JSON lines (0600), for `npm run account -- mails`.
    emailSender: new FileEmailSender(join(dataDir, 'mail.jsonl')),
  });
  // Seeded once, when its database is new: a restart must not bring back what was collected.
  if (embedded.db.created) {
    for (const order of demoOrders(now())) {
      const code = order.payload.kind === 'kaartservicecode' ? order.payload.code : undefined;
      embedded.db.placeOrder(requestFor(order), { id: order.id, createdAt: order.createdAt, expiresAt: order.expiresAt, ...(code ? { code } : {}) });
    }
    const { technicianId, cardNumber, pin } = DEMO_TECHNICIAN;
    embedded.db.setTechnician(technicianId, cardNumber, hashPin(pin));
    // The disrupted services of demo/delays.json, on the day the demo was made and the two weeks
    // before it (Geld Terug bij Vertraging: a journey of a week ago is decided at once).
    embedded.db.importServices(demoServiceDays(now()).flatMap((day) => demoServices(day)));
  }
  const registered = (options.kiosks ?? [{ id: DEMO_KIOSK_ID, name: 'Demo kiosk' }]).map((kiosk) => {
    const token = newToken();
    embedded.db.registerKiosk(kiosk.id, kiosk.name, token);
    return { id: kiosk.id, token };
  });
  const port = options.port ?? (process.env.BACKOFFICE_PORT ? Number(process.env.BACKOFFICE_PORT) : 0);
  let url: string;
  try {
    url = await embedded.listen(port);
  } catch (error) {
    await embedded.close();
    throw error;
  }
  writeFileSync(join(dataDir, DEMO_BACKOFFICE_FILE), `${JSON.stringify({ url, onlineToken }, null, 2)}\n`, { mode: 0o600 });
  log.info({ url }, 'demo: embedded back office listening; place an order with `npm run order -- topup 3528010012345678 20.00`');
  const kiosks = registered.map(({ id, token }) => ({ id, config: { url, token, orderKey: embedded.db.orderPublicKey } }));
  const first = kiosks[0];
  if (!first) throw new Error('the embedded back office needs at least one kiosk');
  return { config: first.config, kiosks, url, db: embedded.db, close: () => embedded.close() };
}
