// `npm run card -- <command>`: hold virtual cards to the PC/SC reader (vpcd) of a running
// kiosk. tap <card> stays on the reader until `npm run card -- remove` or Ctrl+C; the
// demo cards' content is shared with the demo wallet file, so a card keeps what the
// kiosk wrote on it. Run through scripts/card.mjs (which bundles this file).
// With --kiosk N it taps at kiosk N of a running local fleet (`npm run fleet`) instead,
// over that kiosk's developer dock (demo/fleet-control.ts); no PC/SC involved.
// checkin / checkout <station> <card> is the gate simulator (hardware/gate.ts): it writes the
// journey and the balance change to the demo card in the wallet file, as a gate would.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, isTrailerBlock, layoutV1 } from '../hardware/card-layout.js';
import { checkIn, checkOut, GateError } from '../hardware/gate.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { BOARDING_AMOUNT_CENTS } from '../domain/index.js';
import { fixtures, virtualCard } from '../hardware/virtual-card/fixtures.js';
import { VPCD_PORTS } from '../hardware/virtual-card/virtual-card.js';
import { SimulatedWallet } from '../demo/wallet.js';
import { addDemoSealKeys, demoWallet } from '../demo/cards.js';
import { DEMO_PCSC_READER } from '../demo/reader.js';
import { defaultFleetDir, sendFleetCommand } from '../demo/fleet-control.js';

const dataDir = process.env.KIOSK_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'station-kiosk');
const pidFile = join(dataDir, 'virtual-card.pid');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function usage(): never {
  process.stdout.write(
    [
      'usage: npm run card -- <command>',
      '  list                       the fixture cards',
      '  tap <card> [--port 35963] [--key-a hex] [--key-b hex] [--garbage] [--tear-after n]',
      '                             hold a card to the virtual reader until removed',
      '  remove                     take the tapped card away',
      '  checkin <station> <card> [--at <ISO time>]',
      '  checkout <station> <card> [--at <ISO time>]',
      '                             pass a gate (the demo network: domain/journeys.ts); --at travels in the past',
      '',
      'at kiosk N of a running local fleet (npm run fleet):',
      '  --kiosk N [--dir <fleet dir>] tap <card> | remove | tear <n> | list',
      '',
    ].join('\n'),
  );
  process.exit(2);
}

const keys = { keyA: option('key-a') ?? DEMO_PCSC_READER.keyA, keyB: option('key-b') ?? DEMO_PCSC_READER.keyB };
const FLAGS = new Set(['--garbage']);
const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1]?.startsWith('--') && !FLAGS.has(all[i - 1] ?? '')));
const [command, id] = positional;

/** `--kiosk N`: the dock command goes to kiosk N of the fleet in --dir (default $KIOSK_DATA_DIR/fleet). */
async function fleetCard(): Promise<void> {
  const dir = option('dir') ?? defaultFleetDir();
  const kiosk = Number(option('kiosk'));
  const request =
    command === 'tap'
      ? { command, kiosk, cardId: id }
      : command === 'tear'
        ? { command, kiosk, afterWrites: Number(id) }
        : { command: command ?? '', kiosk };
  if (!['tap', 'remove', 'tear', 'list'].includes(request.command)) usage();
  const { kiosk: target, view } = await sendFleetCommand(dir, request);
  const label = (cardId: string | null) => view.cards.find((c) => c.id === cardId)?.label ?? 'no card';
  const at = `kiosk ${target.n} (${target.url})`;
  switch (request.command) {
    case 'tap':
      process.stdout.write(`${label(view.presentCardId)} is on the reader at ${at}; npm run card -- --kiosk ${target.n} remove takes it away\n`);
      return;
    case 'remove':
      process.stdout.write(`the reader at ${at} is empty\n`);
      return;
    case 'tear':
      process.stdout.write(`the next delivery at ${at} loses the card after ${String(view.tearAfterWrites)} block writes\n`);
      return;
    default:
      process.stdout.write(`${at}: on the reader: ${label(view.presentCardId)}\n`);
      for (const card of view.cards) process.stdout.write(`  ${card.id.padEnd(12)} ${card.label}\n`);
  }
}

/** Which layout a fixture card holds (cards of a wallet made before layout 2 hold layout 1). */
function layoutOf(blocks: readonly Uint8Array[] | undefined): string {
  if (!blocks) return '-';
  try {
    return `layout ${decodeImage(layoutV1, blocks).layout}`;
  } catch {
    return '-';
  }
}

const euros = (cents: number) => `EUR ${(cents / 100).toFixed(2)}`;

/** The card is on the virtual reader: its `tap` process holds the card's content and saves it. */
function cardOnReader(): boolean {
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

/** `checkin | checkout <station> <card>`: a gate of the demo network, on the demo card's content in the wallet file. */
async function gate(wallet: SimulatedWallet, gateCommand: 'checkin' | 'checkout'): Promise<void> {
  const [, station = '', cardId = ''] = positional;
  const entry = wallet.get(cardId);
  if (!entry) {
    process.stderr.write(`no demo card "${cardId}"; npm run card -- list\n`);
    process.exit(2);
  }
  if (cardOnReader()) {
    process.stderr.write('a card is on the virtual reader and its tap owns the wallet: npm run card -- remove first\n');
    process.exit(1);
  }
  const atOption = option('at');
  const at = atOption === undefined ? new Date() : new Date(atOption);
  if (!Number.isFinite(at.getTime())) {
    process.stderr.write(`--at ${atOption ?? ''}: not a time (ISO 8601, e.g. 2026-11-30T08:12:00Z)\n`);
    process.exit(2);
  }
  const reader = new SimulatedReader({ name: 'Gate' });
  reader.tap(entry.card);
  const access = reader.card();
  if (!access) throw new Error('the gate does not see the card');
  try {
    if (gateCommand === 'checkin') {
      const { card, journey, closed } = await checkIn(access, layoutV1, station, at);
      if (closed) {
        process.stdout.write(`${entry.label} was still checked in at ${closed.checkIn.station} (${closed.checkIn.at}): that journey ends as not checked out, its ${euros(BOARDING_AMOUNT_CENTS)} kept\n`);
      }
      process.stdout.write(`${entry.label} checked in at ${journey.checkIn.station}, ${journey.checkIn.at}: ${euros(BOARDING_AMOUNT_CENTS)} taken, balance ${euros(card.state.balanceCents)}\n`);
    } else {
      const { card, journey } = await checkOut(access, layoutV1, station, at);
      process.stdout.write(
        `${entry.label} checked out at ${journey.checkOut?.station ?? station}, ${journey.checkOut?.at ?? ''} (from ${journey.checkIn.station}): fare ${euros(journey.chargedCents)}, ${euros(BOARDING_AMOUNT_CENTS - journey.chargedCents)} given back, balance ${euros(card.state.balanceCents)}\n`,
      );
    }
  } catch (error) {
    if (!(error instanceof GateError)) throw error;
    process.stderr.write(`${entry.label}: ${error.message}\n`);
    process.exit(1);
  } finally {
    wallet.save();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--kiosk')) return fleetCard();
  const walletFile = join(dataDir, 'demo-cards.json');
  // Only a tap may create the data directory and the wallet file (it writes to cards);
  // `list` and `remove` read what is there and leave no trace where there was none.
  const writes = command === 'tap' || command === 'checkin' || command === 'checkout';
  if (writes) mkdirSync(dataDir, { recursive: true });
  const { wallet } = SimulatedWallet.open(writes || existsSync(walletFile) ? walletFile : null, () => demoWallet(layoutV1));
  // Demo cards of a wallet made before cards carried seal keys get theirs (saved with the next tap).
  addDemoSealKeys(wallet.list(), layoutV1);
  const all = fixtures(wallet.list(), keys);
  switch (command) {
    case 'checkin':
    case 'checkout':
      return gate(wallet, command);
    case 'list':
      for (const f of all) process.stdout.write(`${f.id.padEnd(12)} ${f.kind.padEnd(10)} ${f.uid.padEnd(15)} ${layoutOf(f.blocks).padEnd(9)} ${f.label}\n`);
      return;
    case 'remove': {
      if (!existsSync(pidFile)) {
        process.stdout.write('no card is on the reader\n');
        return;
      }
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try {
        process.kill(pid, 'SIGTERM');
        process.stdout.write('card removed\n');
      } catch {
        process.stdout.write('no card is on the reader\n');
      }
      rmSync(pidFile, { force: true });
      return;
    }
    case 'tap': {
      const fixture = all.find((f) => f.id === id);
      if (!fixture) {
        process.stderr.write(`no card "${id ?? ''}"; npm run card -- list\n`);
        process.exit(2);
      }
      const port = Number(option('port') ?? VPCD_PORTS[0]);
      const card = virtualCard(fixture, port);
      if (process.argv.includes('--garbage')) card.answerGarbage(true);
      const tear = option('tear-after');
      if (tear !== undefined) card.tearAfterApdus(Number(tear));
      const entry = wallet.get(fixture.id);
      const save = () => {
        if (!entry) return;
        card.blocks.forEach((block, n) => {
          if (!isTrailerBlock(n)) entry.card.setBlock(n, block);
        });
        wallet.save();
      };
      const leave = async (why: string) => {
        await card.remove();
        save();
        rmSync(pidFile, { force: true });
        process.stdout.write(`${fixture.label}: off the reader (${why}), ${card.apdus} APDUs answered\n`);
        process.exit(0);
      };
      // Saved after every write, not only when the card leaves: a CLI killed (SIGKILL, a
      // closed terminal) while the card is on the reader keeps what the kiosk wrote.
      card.on('written', save);
      card.on('gone', () => void leave('connection closed'));
      process.on('SIGINT', () => void leave('Ctrl+C'));
      process.on('SIGTERM', () => void leave('removed'));
      try {
        await card.tap();
      } catch (error) {
        process.stderr.write(`vpcd does not listen on port ${port}: is pcscd running? (npm run pcscd -- start) ${String(error)}\n`);
        process.exit(1);
      }
      writeFileSync(pidFile, String(process.pid));
      process.stdout.write(`${fixture.label} (${fixture.kind}, UID ${fixture.uid}) is on the reader at port ${port}; npm run card -- remove takes it away\n`);
      return;
    }
    default:
      usage();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
