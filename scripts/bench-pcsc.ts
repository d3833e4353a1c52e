// `npm run bench:pcsc`: the card path over PC/SC (pcscd with the TCP_NODELAY shim, vpcd,
// the virtual card), p50/p95 over N taps (default 200, --taps N):
//  - kiosk: from the reader's card_present (UID read, in the parent) to a decoded card
//    identity, and the write + verify of one delivery record, through PcscReader
//    (worker process, IPC) and the layout codec;
//  - floor: the same APDUs sent raw with nfc-pcsc in this process, no kiosk code (also
//    connected exclusively, as the worker is).
// First it checks that no other PC/SC client holds the reader (an exclusive connect to the
// card must succeed) and refuses to measure otherwise: another client's APDUs between ours
// are what made taps fail before. It records its conditions (reader, other clients, the
// shim, cores, load) and the kiosk/floor ratio with the figures, and the APDUs per tap and
// per delivery as the virtual card counted them.
// Writes a table into docs/performance.md between <!-- pcsc:start --> and <!-- pcsc:end -->.
//
// nfc-pcsc calls its listeners (and so the promises they resolve) from inside the PC/SC
// binding's status callback, with the binding's mutex held: process.exit() or nfc.close()
// from there deadlocks. So every wait on an nfc-pcsc event ends on a later tick
// (`outsideBinding`), and the end closes the binding before exiting.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { NFC as NfcType } from 'nfc-pcsc';
import { readCard, writeState } from '../hardware/card-io.js';
import { layoutV1, sectorOfBlock, otherSlot } from '../hardware/card-layout.js';
import type { ReaderState } from '../hardware/card-reader.js';
import { apdu, PCSC_ERROR, pcscErrorCode } from '../hardware/pcsc/apdu.js';
import { ExclusiveNfc, type ExclusiveReader } from '../hardware/pcsc/nfc-binding.js';
import { PcscReader } from '../hardware/pcsc/pcsc-reader.js';
import { fixtures, virtualCard } from '../hardware/virtual-card/fixtures.js';
import { ReaderSession, type VirtualCard } from '../hardware/virtual-card/virtual-card.js';
import { demoWallet } from '../demo/cards.js';

const KEYS = { keyA: '4b494f534b41', keyB: '4b494f534b42' };
const READER = 'Virtual PCD 00 00';
const tapsArg = process.argv.indexOf('--taps');
const TAPS = tapsArg >= 0 ? Number(process.argv[tapsArg + 1]) : 200;
// The floor is the reference, not the subject: --floor-taps N measures it with fewer taps.
const floorArg = process.argv.indexOf('--floor-taps');
const FLOOR_TAPS = floorArg >= 0 ? Number(process.argv[floorArg + 1]) : TAPS;
const root = process.cwd();

const anna = fixtures(demoWallet(layoutV1), KEYS).find((f) => f.id === 'anna');
if (!anna) throw new Error('no anna fixture');
const card = virtualCard(anna);
// The kiosk path once more with the card on an emulated ACR1252U (a sector per READ BINARY).
const multiArg = process.argv.indexOf('--multi-taps');
const MULTI_TAPS = multiArg >= 0 ? Number(process.argv[multiArg + 1]) : Math.min(TAPS, 200);
const multiCard = virtualCard(anna, undefined, new ReaderSession('acr1252u'));

/** Resolves on a later tick: out of nfc-pcsc's callback, whose binding mutex is held. */
const outsideBinding = () => new Promise<void>((resolve) => setImmediate(resolve));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function waitState(reader: PcscReader, ...wanted: ReaderState['status'][]): Promise<ReaderState> {
  return new Promise((resolve, reject) => {
    if (wanted.includes(reader.state().status)) return resolve(reader.state());
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${wanted.join(' or ')}`)), 10_000);
    const off = reader.subscribe((s) => {
      if (!wanted.includes(s.status)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

/** A tap that failed is counted and reported, not hidden: the card is removed and the run goes on. */
interface Failures {
  count: number;
  reasons: Map<string, number>;
}
const failed = (): Failures => ({ count: 0, reasons: new Map() });
function note(failures: Failures, error: unknown): void {
  failures.count++;
  const reason = error instanceof Error ? error.message.replace(/\d+/g, 'n') : String(error);
  failures.reasons.set(reason, (failures.reasons.get(reason) ?? 0) + 1);
}

interface ApduCounts {
  /** APDUs from the card's arrival to the decoded card at the first tap of the reader session (UID, the two LOAD KEYs, authentication, reads). */
  firstTap: number;
  /** The same at a later tap (the keys stay in the reader's slots). */
  tap: number;
  /** APDUs of the write + verify of one delivery record. */
  delivery: number;
}

async function benchKiosk(
  card: VirtualCard,
  taps: number,
  multiBlock: boolean,
): Promise<{ read: number[]; write: number[]; cycle: number[]; failures: Failures; apdus: ApduCounts }> {
  const reader = new PcscReader({ ...KEYS, readerName: READER, multiBlock });
  await waitState(reader, 'ready');
  const read: number[] = [];
  const write: number[] = [];
  const cycle: number[] = [];
  const failures = failed();
  const apdus: ApduCounts = { firstTap: 0, tap: 0, delivery: 0 };
  for (let i = 0; i < taps; i++) {
    const tapped = performance.now();
    const present = waitState(reader, 'card_present', 'card_error');
    const before = card.apdus;
    await card.tap();
    const arrived = await present;
    try {
      if (arrived.status === 'card_error') throw new Error(`reader: ${arrived.error}`);
      const t0 = performance.now();
      const access = reader.card();
      if (!access) throw new Error('no card access');
      const decoded = await readCard(access, layoutV1);
      const t1 = performance.now();
      const afterRead = card.apdus;
      await writeState(access, layoutV1, decoded, { balanceCents: decoded.state.balanceCents, products: decoded.state.products, journal: decoded.state.journal });
      const t2 = performance.now();
      read.push(t1 - t0);
      write.push(t2 - t1);
      if (i === 0) apdus.firstTap = afterRead - before;
      else apdus.tap = afterRead - before;
      apdus.delivery = card.apdus - afterRead;
    } catch (error) {
      note(failures, error);
    }
    const gone = waitState(reader, 'ready');
    await card.remove();
    await gone;
    cycle.push(performance.now() - tapped);
  }
  await reader.close();
  return { read, write, cycle, failures, apdus };
}

/** The floor's binding: nfc-pcsc in this process, connecting exclusively like the worker. */
async function openRaw(): Promise<{ nfc: NfcType; reader: ExclusiveReader }> {
  const require = createRequire(import.meta.url);
  const { NFC } = require('nfc-pcsc') as { NFC: new () => NfcType };
  const nfc = new NFC();
  nfc.on('error', () => undefined);
  const binding = new ExclusiveNfc(nfc);
  binding.on('error', () => undefined);
  const reader = await new Promise<ExclusiveReader>((resolve) => {
    binding.on('reader', (r: ExclusiveReader) => {
      r.on('error', () => undefined);
      if (r.name.includes(READER)) resolve(r);
    });
  });
  await outsideBinding();
  reader.autoProcessing = false;
  return { nfc, reader };
}

/** Before our card is tapped: a card on the reader already, or one in use, is another program's. */
async function readerBusy(reader: ExclusiveReader): Promise<string | null> {
  const pcsc = reader.inner.reader;
  for (let i = 0; i < 50 && pcsc.state === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  const state = pcsc.state ?? 0;
  if (state & (pcsc.SCARD_STATE_INUSE | pcsc.SCARD_STATE_EXCLUSIVE)) return 'a card on it is in use by another PC/SC client';
  if (state & pcsc.SCARD_STATE_PRESENT) return 'a card is on it already (another program put it there)';
  return null;
}

/**
 * The card is tapped and connected to exclusively: resolves 'free', or 'in use' when
 * another program holds the card (a sharing violation), then takes the card away again.
 */
async function readerInUse(reader: ExclusiveReader): Promise<string | null> {
  const outcome = new Promise<string | null>((resolve) => {
    reader.once('card', () => resolve(null));
    reader.once('connect.error', (error: Error) =>
      resolve(pcscErrorCode(error) === PCSC_ERROR.SHARING_VIOLATION ? error.message : null),
    );
  });
  await card.tap();
  const inUse = await outcome;
  await outsideBinding();
  const off = new Promise<void>((resolve) => reader.once('card.off', () => resolve()));
  await card.remove();
  await off;
  await outsideBinding();
  return inUse;
}

async function benchRaw(reader: ExclusiveReader): Promise<{ read: number[]; write: number[]; failures: Failures }> {
  const ok = async (command: Buffer) => {
    const response = await reader.transmit(command, 64);
    if (response.readUInt16BE(response.length - 2) !== 0x9000) throw new Error(`APDU failed: ${command.toString('hex')}`);
    return response;
  };
  // What the kiosk sends on this (16-byte) reader: one authentication per sector, a READ per
  // block; the read-back after the write reads only the record, in the write's authentication.
  const readBlocks = async (blocks: readonly number[], authenticate: boolean) => {
    let sector = -1;
    for (const block of blocks) {
      if (authenticate && sectorOfBlock(block) !== sector) {
        sector = sectorOfBlock(block);
        await ok(apdu.authenticate(block, 'A', 0));
      }
      await ok(apdu.readBinary(block));
    }
  };
  const read: number[] = [];
  const write: number[] = [];
  // Write the record the codec would write next (content does not matter for timing).
  const record = layoutV1.encodeState({ sequence: 1, balanceCents: 0, products: [null, null, null, null], journal: [] }, otherSlot('A'));
  const failures = failed();
  let keysLoaded = false;
  for (let i = 0; i < FLOOR_TAPS; i++) {
    const event = new Promise<void>((resolve) => reader.once('card', () => resolve()));
    await card.tap();
    await event;
    await outsideBinding();
    try {
      const t0 = performance.now();
      await ok(apdu.getUid());
      if (!keysLoaded) {
        // Once per reader session, as the worker does: the reader keeps its key slots.
        await ok(apdu.loadKey(0, Buffer.from(KEYS.keyA, 'hex')));
        await ok(apdu.loadKey(1, Buffer.from(KEYS.keyB, 'hex')));
        keysLoaded = true;
      }
      await readBlocks(layoutV1.blocksToRead, true);
      const t1 = performance.now();
      let sector = -1;
      for (const [block, data] of record) {
        if (sectorOfBlock(block) !== sector) {
          sector = sectorOfBlock(block);
          await ok(apdu.authenticate(block, 'B', 1));
        }
        await ok(apdu.updateBinary(block, data));
      }
      await readBlocks([...record.keys()], false);
      const t2 = performance.now();
      read.push(t1 - t0);
      write.push(t2 - t1);
    } catch (error) {
      note(failures, error);
    }
    const off = new Promise<void>((resolve) => reader.once('card.off', () => resolve()));
    await card.remove();
    await off;
    await outsideBinding();
  }
  return { read, write, failures };
}

/** pcscd's process and whether it runs with the TCP_NODELAY shim (LD_PRELOAD). */
function pcscdConditions(): string {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'pcscd') continue;
      const maps = readFileSync(`/proc/${entry}/maps`, 'utf8');
      return maps.includes('libnodelay') ? 'pcscd with the TCP_NODELAY shim' : 'pcscd WITHOUT the TCP_NODELAY shim (each APDU waits for Nagle)';
    } catch {
      // a process that ended, or one we may not read
    }
  }
  return 'pcscd (not found in /proc)';
}

const failuresText = (f: Failures) =>
  f.count === 0 ? '0' : `${f.count} (${[...f.reasons].map(([reason, n]) => `${n}× ${reason}`).join('; ')})`;
const fmt = (values: number[]) => `${percentile(values, 50).toFixed(1)} / ${percentile(values, 95).toFixed(1)}`;

const ratio = (kioskValues: number[], floorValues: number[]) => (percentile(kioskValues, 50) / percentile(floorValues, 50)).toFixed(1);
const cpu = cpus();
const loadBefore = loadavg()[0] ?? 0;
const raw = await openRaw();
const inUse = (await readerBusy(raw.reader)) ?? (await readerInUse(raw.reader));
if (inUse) {
  await raw.reader.close();
  raw.nfc.close();
  await outsideBinding();
  process.stderr.write(
    `bench:pcsc: refusing to measure: another program is using the reader "${READER}" (${inUse}). ` +
      'Close it (pcsc_scan, a browser, a kiosk, a test run) and run again.\n',
  );
  setTimeout(() => process.exit(2), 50);
} else {
  const floor = await benchRaw(raw.reader);
  await raw.reader.close();
  raw.nfc.close();
  await outsideBinding();
  const kiosk = await benchKiosk(card, TAPS, false);
  const multi = MULTI_TAPS > 0 ? await benchKiosk(multiCard, MULTI_TAPS, true) : null;
  const loadAfter = loadavg()[0] ?? 0;
  const table = [
    `${TAPS} taps through the kiosk path${FLOOR_TAPS === TAPS ? ' and as many' : `, ${FLOOR_TAPS}`} on the floor, of a Classic 4K card in layout 2 (sector 32's 15 blocks read; a delivery writes record B's 6 and reads only those back), ${new Date().toISOString().slice(0, 10)}. Milliseconds, p50 / p95.`,
    '',
    `Conditions: reader "${READER}" (vsmartcard vpcd, the virtual card of hardware/virtual-card/); no other PC/SC client (checked: an exclusive connect succeeded before the run, and both paths hold the card exclusively); ${pcscdConditions()}; ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), load average ${loadBefore.toFixed(2)} before and ${loadAfter.toFixed(2)} after; Node ${process.versions.node}.`,
    '',
    '| Path | card event → decoded identity | write + verify of one delivery | failed taps |',
    '| --- | --- | --- | --- |',
    `| Kiosk: PcscReader (worker process, IPC) + layout codec | ${fmt(kiosk.read)} | ${fmt(kiosk.write)} | ${failuresText(kiosk.failures)} |`,
    `| Floor: same APDUs raw with nfc-pcsc, no kiosk code | ${fmt(floor.read)} | ${fmt(floor.write)} | ${failuresText(floor.failures)} |`,
    `| Kiosk / floor (p50) | ${ratio(kiosk.read, floor.read)}× | ${ratio(kiosk.write, floor.write)}× | |`,
    ...(multi
      ? [`| Kiosk on an emulated ACR1252U (several blocks per READ / UPDATE BINARY), ${MULTI_TAPS} taps | ${fmt(multi.read)} | ${fmt(multi.write)} | ${failuresText(multi.failures)} |`]
      : []),
    '',
    `APDUs (counted by the virtual card): ${kiosk.apdus.tap} per tap (UID, one authentication, 15 READ BINARY; ${kiosk.apdus.firstTap} at the first tap of the reader session, with the two LOAD KEYs) and ${kiosk.apdus.delivery} per delivery write + verify (AUTHENTICATE with key B, 6 UPDATE, 6 READ)` +
      (multi ? `; on the ACR1252U ${multi.apdus.tap} per tap (UID, one authentication, READs of 48 and 192 bytes; ${multi.apdus.firstTap} at the first) and ${multi.apdus.delivery} per write + verify (AUTHENTICATE with key B, an UPDATE and a READ of 96 bytes)` : '') +
      '. The write + verify here is the delivery without the read right before it (the kiosk reads the card again at Akkoord: see "APDUs per pickup").',
    '',
    `The kiosk's clock starts when the worker has read the UID and the parent sees card_present; the floor's at nfc-pcsc's card event, and it includes GET DATA (UID) and, at its first tap, LOAD KEY. A whole tap → read → write → remove cycle through the kiosk path took ${fmt(kiosk.cycle)} ms, almost all of it vpcd's ~400 ms presence polling (a real reader's timing differs). A failed tap is left out of the timings and counted; at the kiosk it would show "read again" (during a read) or resume the delivery (during a write).`,
  ].join('\n');
  const file = join(root, 'docs', 'performance.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- pcsc:start -->';
  const end = '<!-- pcsc:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/performance.md has no ${start} … ${end} section`);
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
  process.stdout.write(`${table}\n`);
  // Out of every binding callback by now; the worker is gone and the floor's binding closed.
  setTimeout(() => process.exit(0), 50);
}
