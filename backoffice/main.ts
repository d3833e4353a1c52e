// The back office on its own (for a fleet, or to try the protocol by hand):
//   npm run backoffice                          serve on $BACKOFFICE_PORT (default 8090)
//   npm run backoffice -- add-kiosk <id> [name] register a kiosk; prints its token once
//   npm run backoffice -- order-key             the public key kiosks pin (station.json backOffice.orderKey)
//   npm run backoffice -- card-seal-key <cardNumber>   the card's seal key (hex) for the issuing system (docs/card-layout.md)
//   npm run backoffice -- add-technician <id> <cardNumber>    the PIN asked for (or read from stdin)
//   npm run backoffice -- disable-technician|enable-technician|remove-technician <id>
//   npm run backoffice -- add-operator <name> [--password-stdin]   an operator of the console (/console);
//                                               prints a new password once, or takes it from standard input
//   npm run backoffice -- remove-operator <name>
//   npm run backoffice -- delays import <file.json>   the operator's realised train services (Geld Terug bij
//                                               Vertraging; the format of PUT /v1/online/train-services, demo/delays.json)
// Data: $BACKOFFICE_DATA_DIR (default ~/.local/share/station-backoffice): backoffice.db, online-token.sha256,
// mail.jsonl (the file e-mail sender). With BACKOFFICE_DATABASE_URL=postgres://… the orders are in that
// PostgreSQL database instead (several instances may share it; the operators and their sessions too)
// and the data dir keeps the key files order-key, seal-key and session-key (the console's cookies),
// which every instance must have (copies of the first instance's), and the instance's own watermark.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { delaysImportSchema } from '../protocol/online-api.js';
import { hashToken, newToken, openBackOfficeDb } from './db.js';
import { FileEmailSender } from './email.js';
import { sqliteConsoleStore, type ConsoleStore } from './console-db.js';
import { openPgConsoleStore } from './console-pg.js';
import { hashPassword, newPassword, PASSWORD_MIN_LENGTH } from './console/passwords.js';
import { openPgStore } from './pg-store.js';
import { hashPin } from './pins.js';
import { sqliteStore, type BackOfficeStore } from './store.js';
import { technicianProblems } from './technicians.js';
import { DEFAULT_PICKUP_WINDOW_MS, openBackOffice } from './server.js';

const dataDir = resolve(
  process.env.BACKOFFICE_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'station-backoffice'),
);
const file = join(dataDir, 'backoffice.db');
const [command, ...args] = process.argv.slice(2);
const pickupWindowMs = process.env.PICKUP_WINDOW_DAYS ? Number(process.env.PICKUP_WINDOW_DAYS) * 86_400_000 : DEFAULT_PICKUP_WINDOW_MS;

/** PostgreSQL when BACKOFFICE_DATABASE_URL names one (never logged: it may hold a password), else the SQLite file. */
function databaseUrl(): string | undefined {
  const url = process.env.BACKOFFICE_DATABASE_URL;
  if (url === undefined || url === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('BACKOFFICE_DATABASE_URL must be a postgres:// (or postgresql://) URL');
  return url;
}
/** With PostgreSQL: the key files in the data dir (every instance needs the same ones). */
const keyFiles = { orderKey: join(dataDir, 'order-key'), sealKey: join(dataDir, 'seal-key'), sessionKey: join(dataDir, 'session-key') };
/** With PostgreSQL: this instance's watermark (what it last saw of the database: a restore is noticed by it). */
const watermarkFile = join(dataDir, 'watermark');

/** The store for the commands below, on the engine the environment names. */
async function openStore(): Promise<BackOfficeStore> {
  const url = databaseUrl();
  if (url === undefined) return sqliteStore(openBackOfficeDb(file, { now: () => new Date(), pickupWindowMs }));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return openPgStore(url, { now: () => new Date(), pickupWindowMs, orderKeyFile: keyFiles.orderKey, sealKeyFile: keyFiles.sealKey, watermarkFile });
}

/** The operator console's tables on the engine in use (PostgreSQL: migrated first, by opening the store). */
async function withConsoleStore<T>(f: (operators: ConsoleStore) => Promise<T>): Promise<T> {
  const url = databaseUrl();
  if (url === undefined) {
    const db = openBackOfficeDb(file, { now: () => new Date(), pickupWindowMs });
    try {
      return await f(sqliteConsoleStore(db.db, () => new Date()));
    } finally {
      db.close();
    }
  }
  await (await openStore()).close();
  const operators = openPgConsoleStore(url, { now: () => new Date(), poolSize: 1 });
  try {
    return await f(operators);
  } finally {
    await operators.close();
  }
}

/**
 * The online channel's token is kept only as its SHA-256 (`online-token.sha256`, 0600): the
 * first start makes a token and prints it once, for the web shop's configuration.
 */
function onlineTokenHash(): string {
  const hashFile = join(dataDir, 'online-token.sha256');
  if (existsSync(hashFile)) return readFileSync(hashFile, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const legacy = join(dataDir, 'online-token');
  // A token kept in clear by an older back office: hashed, and the clear copy removed.
  const token = existsSync(legacy) ? readFileSync(legacy, 'utf8').trim() : newToken();
  writeFileSync(hashFile, `${hashToken(token)}\n`, { mode: 0o600 });
  if (existsSync(legacy)) rmSync(legacy);
  else process.stdout.write(`the online channel's token (shown once; only its hash is kept):\n${token}\n`);
  return hashToken(token);
}

/**
 * HTTPS from BACKOFFICE_TLS_CERT and BACKOFFICE_TLS_KEY (PEM files); with
 * BACKOFFICE_TLS_CLIENT_CA every kiosk must show a client certificate of that CA naming it
 * (docs/tls.md). Without them the back office speaks plain HTTP, for loopback only.
 */
function tlsFromEnv(): { tls?: { cert: string; key: string; clientCa?: string } } {
  const { BACKOFFICE_TLS_CERT: cert, BACKOFFICE_TLS_KEY: key, BACKOFFICE_TLS_CLIENT_CA: clientCa } = process.env;
  if (!cert && !key) {
    if ((process.env.BACKOFFICE_HOST ?? '127.0.0.1') !== '127.0.0.1') {
      throw new Error('serving beyond 127.0.0.1 needs TLS: set BACKOFFICE_TLS_CERT and BACKOFFICE_TLS_KEY (docs/tls.md)');
    }
    return {};
  }
  if (!cert || !key) throw new Error('BACKOFFICE_TLS_CERT and BACKOFFICE_TLS_KEY go together');
  const read = (name: string, path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`${name}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    tls: {
      cert: read('BACKOFFICE_TLS_CERT', cert),
      key: read('BACKOFFICE_TLS_KEY', key),
      ...(clientCa ? { clientCa: read('BACKOFFICE_TLS_CLIENT_CA', clientCa) } : {}),
    },
  };
}

/** The first line of standard input (a password piped in; never on the command line). */
async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 1024) break;
  }
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}

/** The PIN: typed on a terminal without being shown, or the first line of standard input. */
async function readPin(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) {
      text += String(chunk);
      if (text.includes('\n') || text.length > 64) break;
    }
    return (text.split('\n')[0] ?? '').trim();
  }
  process.stdout.write('PIN (6 to 8 digits, not shown): ');
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let pin = '';
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stdout.write('\n');
          resolve(pin);
          return;
        }
        if (char === '\u0003') {
          input.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\u007f') pin = pin.slice(0, -1);
        else if (pin.length < 64) pin += char;
      }
    };
    input.on('data', onData);
  });
}

async function main(): Promise<void> {
  if (command === 'delays') {
    const [sub, path, extra] = args;
    if (sub !== 'import' || !path || extra !== undefined) throw new Error('usage: delays import <file.json>   ({"services": [...]}, as PUT /v1/online/train-services)');
    const parsed = delaysImportSchema.safeParse(JSON.parse(readFileSync(resolve(path), 'utf8')));
    if (!parsed.success) throw new Error(`${path}: not a delays file:\n${z.prettifyError(parsed.error)}`);
    const db = await openStore();
    const stored = await db.importServices(parsed.data.services);
    const { decided } = await db.decideDueClaims();
    await db.close();
    process.stdout.write(`${stored} train services stored; ${decided} waiting claims decided\n`);
    return;
  }
  if (command === 'add-kiosk') {
    const [id, name] = args;
    if (!id) throw new Error('usage: add-kiosk <id> [name]');
    const db = await openStore();
    const token = newToken();
    await db.registerKiosk(id, name ?? id, token);
    const orderKey = db.orderPublicKey;
    await db.close();
    process.stdout.write(`kiosk ${id} registered; its token (shown once, put it in station.json backOffice.token):\n${token}\n`);
    process.stdout.write(`the back office's order key (station.json backOffice.orderKey):\n${orderKey}\n`);
    return;
  }
  if (command === 'order-key') {
    const db = await openStore();
    process.stdout.write(`${db.orderPublicKey}\n`);
    await db.close();
    return;
  }
  if (command === 'card-seal-key') {
    // The key a card is issued with, written into its identity record; secret, so printed
    // to standard output for the issuing system only and logged nowhere.
    const [cardNumber, extra] = args;
    if (!cardNumber || !/^\d{16}$/.test(cardNumber) || extra !== undefined) throw new Error('usage: card-seal-key <cardNumber (16 digits)>');
    const db = await openStore();
    const key = db.cardSealKey(cardNumber);
    await db.close();
    process.stdout.write(`${key.toString('hex')}\n`);
    key.fill(0);
    return;
  }
  if (command === 'add-technician') {
    const [id, cardNumber, extra] = args;
    if (!id || !cardNumber || extra !== undefined) {
      throw new Error('usage: add-technician <id> <cardNumber>   (the PIN is asked for, or read from standard input; never on the command line)');
    }
    const pin = await readPin();
    const problems = technicianProblems({ id, cardNumber, pin });
    if (problems.length > 0) throw new Error(`technician not saved: ${problems.join('; ')}`);
    const db = await openStore();
    await db.setTechnician(id, cardNumber, hashPin(pin));
    await db.close();
    process.stdout.write(`technician ${id} saved (PIN stored as a salted scrypt hash)\n`);
    return;
  }
  if (command === 'disable-technician' || command === 'enable-technician' || command === 'remove-technician') {
    const [id] = args;
    if (!id) throw new Error(`usage: ${command} <id>`);
    const db = await openStore();
    const done = command === 'remove-technician' ? await db.removeTechnician(id) : await db.setTechnicianEnabled(id, command === 'enable-technician');
    await db.close();
    if (!done) throw new Error(`no technician ${id}`);
    process.stdout.write(`technician ${id}: ${command.split('-')[0]}d; kiosks apply it at their next poll of the technician list (30 s when online)\n`);
    return;
  }
  if (command === 'add-operator') {
    const [name, flag, extra] = args;
    if (!name || !/^[A-Za-z0-9._-]{1,64}$/.test(name) || (flag !== undefined && flag !== '--password-stdin') || extra !== undefined) {
      throw new Error('usage: add-operator <name (letters, digits, . - _)> [--password-stdin]   (a new password is printed once without the flag)');
    }
    const fromStdin = flag === '--password-stdin';
    const password = fromStdin ? await readStdinLine() : newPassword();
    if (password.length < PASSWORD_MIN_LENGTH) throw new Error(`operator not saved: a password has at least ${PASSWORD_MIN_LENGTH} characters`);
    const hash = await hashPassword(password);
    await withConsoleStore((operators) => operators.setOperator(name, hash));
    if (fromStdin) process.stdout.write(`operator ${name} saved (password stored as a salted scrypt hash)\n`);
    else process.stdout.write(`operator ${name} saved; their password (shown once, only its scrypt hash is kept):\n${password}\n`);
    return;
  }
  if (command === 'remove-operator') {
    const [name] = args;
    if (!name) throw new Error('usage: remove-operator <name>');
    const done = await withConsoleStore((operators) => operators.removeOperator(name));
    if (!done) throw new Error(`no operator ${name}`);
    process.stdout.write(`operator ${name} removed; their sessions open nothing from now on\n`);
    return;
  }
  if (command !== undefined) throw new Error(`unknown command ${command}`);
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const postgres = databaseUrl();
  if (postgres !== undefined) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const bo = await openBackOffice({
    file,
    ...(postgres !== undefined ? { databaseUrl: postgres, keyFiles, watermarkFile } : {}),
    log,
    pickupWindowMs,
    onlineTokenHash: onlineTokenHash(),
    ...tlsFromEnv(),
    emailSender: new FileEmailSender(join(dataDir, 'mail.jsonl')),
  });
  const url = await bo.listen(Number(process.env.BACKOFFICE_PORT ?? 8090), process.env.BACKOFFICE_HOST ?? '127.0.0.1');
  log.info({ url, dataDir, engine: bo.store.engine }, 'back office listening');
  const shutdown = () => void bo.close().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`back office: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
