// The back office on its own (for a fleet, or to try the protocol by hand):
//   npm run backoffice                          serve on $BACKOFFICE_PORT (default 8090)
//   npm run backoffice -- add-kiosk <id> [name] register a kiosk; prints its token once
//   npm run backoffice -- add-technician <id> <cardNumber> <pin>
// Data: $BACKOFFICE_DATA_DIR (default ~/.local/share/station-backoffice): backoffice.db, online-token,
// mail.jsonl (the file e-mail sender).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { newToken, openBackOfficeDb } from './db.js';
import { FileEmailSender } from './email.js';
import { hashPin } from './pins.js';
import { createBackOffice, DEFAULT_PICKUP_WINDOW_MS } from './server.js';

const dataDir = resolve(
  process.env.BACKOFFICE_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'station-backoffice'),
);
const file = join(dataDir, 'backoffice.db');
const [command, ...args] = process.argv.slice(2);
const pickupWindowMs = process.env.PICKUP_WINDOW_DAYS ? Number(process.env.PICKUP_WINDOW_DAYS) * 86_400_000 : DEFAULT_PICKUP_WINDOW_MS;

function onlineToken(): string {
  const tokenFile = join(dataDir, 'online-token');
  if (existsSync(tokenFile)) return readFileSync(tokenFile, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const token = newToken();
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  return token;
}

async function main(): Promise<void> {
  if (command === 'add-kiosk') {
    const [id, name] = args;
    if (!id) throw new Error('usage: add-kiosk <id> [name]');
    const db = openBackOfficeDb(file, { now: () => new Date(), pickupWindowMs });
    const token = newToken();
    db.registerKiosk(id, name ?? id, token);
    db.close();
    process.stdout.write(`kiosk ${id} registered; its token (shown once, put it in station.json backOffice.token):\n${token}\n`);
    return;
  }
  if (command === 'add-technician') {
    const [id, cardNumber, pin] = args;
    if (!id || !cardNumber || !pin) throw new Error('usage: add-technician <id> <cardNumber> <pin>');
    const db = openBackOfficeDb(file, { now: () => new Date(), pickupWindowMs });
    db.setTechnician(id, cardNumber, hashPin(pin));
    db.close();
    process.stdout.write(`technician ${id} saved (PIN stored as a salted scrypt hash)\n`);
    return;
  }
  if (command !== undefined) throw new Error(`unknown command ${command}`);
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const token = onlineToken();
  const bo = createBackOffice({ file, log, pickupWindowMs, onlineToken: token, emailSender: new FileEmailSender(join(dataDir, 'mail.jsonl')) });
  const url = await bo.listen(Number(process.env.BACKOFFICE_PORT ?? 8090), process.env.BACKOFFICE_HOST ?? '127.0.0.1');
  log.info({ url, dataDir }, 'back office listening (online token in online-token)');
  const shutdown = () => void bo.close().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`back office: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
