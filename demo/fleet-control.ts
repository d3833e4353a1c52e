// The control channel of a running local fleet (`npm run fleet`): the fleet writes
// fleet.json into its directory (its process id, the back office's URL and each kiosk's
// dock URL) and removes it when it stops; `npm run card -- --kiosk N tap anna` reads it
// and sends the developer dock's command over kiosk N's own `/dev` WebSocket, with that
// kiosk's page as the Origin, exactly as its dock does. No second control surface: what
// the CLI can do, the dock can do, and the dev channel validates it the same way.
// Kept free of the kiosk's heavy parts (SQLite, the machine): the card CLI bundles it.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { z } from 'zod';
import { processAlive } from '../kiosk/instance-lock.js';
import type { DevCommand, DevDockView } from './dev-contract.js';

export const FLEET_FILE = 'fleet.json';

const fleetFileSchema = z
  .object({
    version: z.literal(1),
    pid: z.number().int().positive(),
    startedAt: z.iso.datetime(),
    backOffice: z.object({ url: z.url() }).strict(),
    kiosks: z
      .array(
        z
          .object({
            n: z.number().int().positive(),
            id: z.string().min(1),
            name: z.string(),
            url: z.url(),
            dataDir: z.string().min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type FleetFile = z.infer<typeof fleetFileSchema>;

const kioskNumber = z.number({ error: '--kiosk needs a kiosk number: 1, 2, ...' }).int('--kiosk needs a kiosk number: 1, 2, ...').positive('kiosks are counted from 1');
const cardId = z.string({ error: 'tap needs a card, e.g. tap anna' }).regex(/^[a-z0-9-]{1,64}$/, 'a card id such as anna');
const afterWrites = z.number({ error: 'tear needs a number of block writes, e.g. tear 20' }).int().min(0).max(64);

/** What `npm run card -- --kiosk N <command> [card]` may ask: checked before anything is sent. */
export const fleetCardRequestSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('tap'), kiosk: kioskNumber, cardId }).strict(),
  z.object({ command: z.literal('remove'), kiosk: kioskNumber }).strict(),
  z.object({ command: z.literal('tear'), kiosk: kioskNumber, afterWrites }).strict(),
  z.object({ command: z.literal('list'), kiosk: kioskNumber }).strict(),
]);
export type FleetCardRequest = z.infer<typeof fleetCardRequestSchema>;

/** A refusal to show the developer as it is (no stack): no fleet, no such kiosk, no such card. */
export class FleetControlError extends Error {
  override readonly name = 'FleetControlError';
}

export function writeFleetFile(dir: string, file: FleetFile): void {
  const path = join(dir, FLEET_FILE);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(fleetFileSchema.parse(file), null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Removes fleet.json, but only the one this process wrote (a newer fleet's stays). */
export function removeFleetFile(dir: string, pid = process.pid): void {
  const path = join(dir, FLEET_FILE);
  try {
    const current = fleetFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (current.success && current.data.pid !== pid) return;
  } catch {
    // missing or unreadable: nothing of ours to keep
  }
  rmSync(path, { force: true });
}

/** The running fleet in `dir`; a clear error when none runs there. */
export function readFleetFile(dir: string, isAlive: (pid: number) => boolean = processAlive): FleetFile {
  const path = join(dir, FLEET_FILE);
  const start = 'start one with `npm run fleet -- --kiosks 3`';
  if (!existsSync(path)) throw new FleetControlError(`no fleet is running in ${dir} (no ${FLEET_FILE}); ${start}, or name its directory with --dir`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new FleetControlError(`${path} is not JSON; ${start}`);
  }
  const parsed = fleetFileSchema.safeParse(raw);
  if (!parsed.success) throw new FleetControlError(`${path} is not a fleet file: ${z.prettifyError(parsed.error)}`);
  if (!isAlive(parsed.data.pid)) throw new FleetControlError(`the fleet in ${dir} is not running any more (process ${parsed.data.pid} is gone); ${start}`);
  return parsed.data;
}

export function fleetKiosk(file: FleetFile, n: number): FleetFile['kiosks'][number] {
  const kiosk = file.kiosks.find((k) => k.n === n);
  if (!kiosk) throw new FleetControlError(`no kiosk ${n}: the fleet has kiosks 1 to ${file.kiosks.length}`);
  return kiosk;
}

const serverMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('view'),
    view: z.object({
      cards: z.array(z.object({ id: z.string(), label: z.string() })),
      presentCardId: z.string().nullable(),
      tearAfterWrites: z.number().nullable(),
    }),
  }),
  z.object({ kind: z.literal('rejected'), error: z.string() }),
]);

function commandOf(request: FleetCardRequest): DevCommand | null {
  switch (request.command) {
    case 'tap':
      return { type: 'dev.tap', cardId: request.cardId };
    case 'remove':
      return { type: 'dev.remove' };
    case 'tear':
      return { type: 'dev.tearNextWrite', afterWrites: request.afterWrites };
    case 'list':
      return null;
    default: {
      const unreachable: never = request;
      throw new Error(`unknown request ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Whether the dock view shows what `command` asked for. */
function done(command: DevCommand, view: DevDockView): boolean {
  switch (command.type) {
    case 'dev.tap':
      return view.presentCardId === command.cardId;
    case 'dev.remove':
      return view.presentCardId === null;
    case 'dev.tearNextWrite':
      return view.tearAfterWrites === command.afterWrites;
    case 'dev.printer':
      return view.printer?.condition === command.condition;
    default: {
      const unreachable: never = command;
      throw new Error(`unknown dev command ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Sends one dock command to kiosk N of the fleet in `dir` (or, for `list`, only reads the
 * dock) and resolves with the dock view after it: refused commands, an unknown card, a
 * kiosk that does not answer within `timeoutMs` reject with a FleetControlError.
 */
export async function sendFleetCommand(dir: string, raw: unknown, options: { timeoutMs?: number; isAlive?: (pid: number) => boolean } = {}): Promise<{ kiosk: FleetFile['kiosks'][number]; view: DevDockView }> {
  const parsedRequest = fleetCardRequestSchema.safeParse(raw);
  if (!parsedRequest.success) throw new FleetControlError(z.prettifyError(parsedRequest.error));
  const request = parsedRequest.data;
  const kiosk = fleetKiosk(readFleetFile(dir, options.isAlive), request.kiosk);
  const command = commandOf(request);
  const origin = new URL(kiosk.url).origin;
  const socketUrl = `${origin.replace(/^http/, 'ws')}/dev`;
  const timeoutMs = options.timeoutMs ?? 5000;

  return new Promise((resolve, reject) => {
    const socket = new WebSocket(socketUrl, { origin });
    let first = true;
    let settled = false;
    const finish = (outcome: { view: DevDockView } | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if ('view' in outcome) resolve({ kiosk, view: outcome.view });
      else reject(new FleetControlError(`kiosk ${kiosk.n} (${kiosk.url}): ${outcome.error}`));
    };
    const timer = setTimeout(() => finish({ error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.on('error', (error) => finish({ error: `cannot reach its developer dock (${error.message}); is the fleet still running?` }));
    socket.on('close', (code, reason) => finish({ error: `the dock closed the connection (${code} ${reason.toString()})` }));
    socket.on('message', (data) => {
      let message: z.infer<typeof serverMessageSchema>;
      try {
        message = serverMessageSchema.parse(JSON.parse(String(data)));
      } catch {
        finish({ error: 'the dock answered something that is not a dock message' });
        return;
      }
      if (message.kind === 'rejected') {
        finish({ error: `refused: ${message.error}` });
        return;
      }
      if (!first) {
        // A tap onto an occupied reader publishes the removal first: wait for the view it asked for.
        if (command && done(command, message.view)) finish({ view: message.view });
        return;
      }
      // The first view arrives on connecting: check the card there for a helpful error.
      first = false;
      if (!command) {
        finish({ view: message.view });
        return;
      }
      if (command.type === 'dev.tap' && !message.view.cards.some((c) => c.id === command.cardId)) {
        finish({ error: `no card "${command.cardId}"; the cards are ${message.view.cards.map((c) => c.id).join(', ')}` });
        return;
      }
      socket.send(JSON.stringify(command));
    });
  });
}

/** `$KIOSK_DATA_DIR/fleet` (default `~/.local/share/station-kiosk/fleet`): where `npm run fleet` and `npm run card -- --kiosk N` meet. */
export function defaultFleetDir(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = env.KIOSK_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'station-kiosk');
  return join(dataDir, 'fleet');
}
