// The travel log through real pcscd + vpcd, on the virtual card emulating each reader: the
// gate (hardware/gate.ts) writes journeys over the PC/SC reader, and the kiosk's card read
// fills CardSummary.journeys. What the log costs a tap, counted on the card: nothing on a card
// that never passed a gate; on one that did, one authentication of sector 33 and the slots
// in use (one READ on an ACR1252U, one per slot on an ACR122U), the whole ring once it wrapped.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { readCard } from '../../hardware/card-io.js';
import { layoutV1 } from '../../hardware/card-layout.js';
import { checkIn, checkOut } from '../../hardware/gate.js';
import { CardGoneError } from '../../hardware/card-reader.js';
import type { ReaderModel } from '../../hardware/virtual-card/virtual-card.js';
import { createDeliveryService } from '../../kiosk/delivery.js';
import { fareCents } from '../../domain/index.js';
import { NOW, startPcscKiosk, waitForReader, type PcscKiosk } from './pcsc-harness.js';

let k: PcscKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

const yesterday = (h: number, m: number) => new Date(Date.UTC(2026, 10, 20, h, m));

/** A kiosk read of the card on the reader (what the tap does), with its APDUs and time. */
async function kioskRead(kiosk: PcscKiosk) {
  let n = 0;
  const delivery = createDeliveryService({
    reader: kiosk.reader,
    codec: layoutV1,
    store: kiosk.store,
    now: () => NOW,
    newId: () => `read-${++n}`,
    log: pino({ level: 'silent' }),
    orderKey: undefined,
  });
  const card = kiosk.cards.get('sophie');
  const access = kiosk.reader.card();
  if (!card || !access) throw new Error('sophie is not on the reader');
  const before = card.apdus;
  const started = performance.now();
  const summary = await delivery.readCard(access.uid);
  return { summary, apdus: card.apdus - before, ms: performance.now() - started };
}

const READERS: readonly { model: ReaderModel; extra: number }[] = [
  // AUTHENTICATE sector 33 (key A), one READ of the two slots in use (32 bytes).
  { model: 'acr1252u', extra: 2 },
  // AUTHENTICATE sector 33, a READ per slot in use (2).
  { model: 'acr122u', extra: 3 },
];

describe('the travel log over PC/SC', () => {
  it.each(READERS)('$model: gates write it, the kiosk read fills CardSummary.journeys for $extra APDUs more', async ({ model, extra }) => {
    k = await startPcscKiosk({ multiBlock: model === 'acr1252u' }, { readerModel: model });
    await k.tap('sophie');
    await k.waitFor('menu', 10_000);
    const plain = await kioskRead(k);
    expect('journeys' in plain.summary).toBe(false);
    const access = k.reader.card();
    if (!access) throw new Error('no card');
    await checkIn(access, layoutV1, 'utrecht-centraal', yesterday(8, 10));
    await checkOut(access, layoutV1, 'amsterdam-centraal', yesterday(8, 51));
    await checkIn(access, layoutV1, 'amsterdam-centraal', yesterday(17, 20));
    await checkOut(access, layoutV1, 'utrecht-centraal', yesterday(17, 58));
    const fare = fareCents('utrecht-centraal', 'amsterdam-centraal');
    const read = await kioskRead(k);
    expect(read.summary.journeys).toEqual([
      {
        checkIn: { station: 'amsterdam-centraal', at: '2026-11-20T17:20:00.000Z' },
        checkOut: { station: 'utrecht-centraal', at: '2026-11-20T17:58:00.000Z' },
        chargedCents: fare,
      },
      {
        checkIn: { station: 'utrecht-centraal', at: '2026-11-20T08:10:00.000Z' },
        checkOut: { station: 'amsterdam-centraal', at: '2026-11-20T08:51:00.000Z' },
        chargedCents: fare,
      },
    ]);
    expect(read.summary.balanceCents).toBe(14_000 - 2 * fare);
    expect(read.apdus - plain.apdus).toBe(extra);
    // The card's memory holds what the reader wrote; a delivery's read (no log) costs what it did.
    expect(k.decode('sophie').state.travel).toEqual({ logSequence: 2, checkedIn: null });
    const card = k.cards.get('sophie');
    const before = card?.apdus ?? 0;
    await readCard(access, layoutV1);
    // (AUTHENTICATE sector 32 again: the log's read left sector 33 authenticated.)
    expect((card?.apdus ?? 0) - before).toBe(model === 'acr1252u' ? 3 : 16);
    // Timing (printed, not asserted: this machine is shared): 20 reads with and without the log.
    const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]?.toFixed(1);
    const timed = async (travelLog: boolean) => {
      const ms: number[] = [];
      for (let i = 0; i < 20; i++) {
        await readCard(access, layoutV1); // the same starting point: sector 32 authenticated
        const t0 = performance.now();
        await readCard(access, layoutV1, undefined, { travelLog });
        ms.push(performance.now() - t0);
      }
      return p50(ms);
    };
    const two = { plain: await timed(false), log: await timed(true) };
    // A full log: the ring wrapped (12 journeys), the whole ring read in one run.
    for (let i = 0; i < 10; i++) {
      await checkIn(access, layoutV1, 'utrecht-centraal', yesterday(19, i * 4));
      await checkOut(access, layoutV1, 'amsterdam-centraal', yesterday(19, i * 4 + 2));
    }
    const full = await kioskRead(k);
    expect(full.summary.journeys).toHaveLength(10);
    expect(full.apdus - plain.apdus).toBe(model === 'acr1252u' ? 2 : 12);
    const fullLog = await timed(true);
    process.stdout.write(
      `[journeys.test] ${model}: a tap's read without the log p50 ${two.plain} ms, with 2 entries ${two.log} ms, with 10 (full) ${fullLog} ms; ` +
        `APDUs of the kiosk read ${plain.apdus} → ${read.apdus} (2 entries) → ${full.apdus} (full)\n`,
    );
  });
});

/** Sophie on the reader (the kiosk on its menu, done with the card), checked in at Utrecht after one journey. */
async function travelling(model: ReaderModel): Promise<PcscKiosk> {
  const kiosk = await startPcscKiosk({ multiBlock: model === 'acr1252u' }, { readerModel: model });
  await kiosk.tap('sophie');
  await kiosk.waitFor('menu', 10_000);
  const access = kiosk.reader.card();
  if (!access) throw new Error('no card');
  await checkIn(access, layoutV1, 'breda', yesterday(7, 0));
  await checkOut(access, layoutV1, 'utrecht-centraal', yesterday(7, 40));
  await checkIn(access, layoutV1, 'utrecht-centraal', yesterday(8, 10));
  return kiosk;
}

const CHECK_OUT: readonly { model: ReaderModel; apdus: number; what: string }[] = [
  {
    model: 'acr1252u',
    apdus: 11,
    what: 'AUTHENTICATE 32, READs of 48 and 192; AUTHENTICATE 33, READ of the slot in use; AUTHENTICATE 33 with key B, UPDATE, READ; AUTHENTICATE 32 with key B, UPDATE 96, READ 96',
  },
  {
    model: 'acr122u',
    apdus: 34,
    what: 'AUTHENTICATE 32, 15 READs; AUTHENTICATE 33, a READ; AUTHENTICATE 33 with key B, UPDATE, READ; AUTHENTICATE 32 with key B, 6 UPDATEs, 6 READs',
  },
];

describe.each(CHECK_OUT)('a check-out over PC/SC on an $model, the card torn away at every APDU', ({ model, apdus, what }) => {
  const fare = (from: string, to: string) => fareCents(from, to);
  const start = 14_000;
  it(`${apdus} APDUs (${what}); torn at each: before or after, never a free journey, the older journey intact`, async () => {
    k = await travelling(model);
    const card = k.cards.get('sophie');
    const access = k.reader.card();
    if (!card || !access) throw new Error('no card');
    const before = (await kioskRead(k)).summary.journeys;
    const counted = card.apdus;
    await checkOut(access, layoutV1, 'amsterdam-centraal', yesterday(8, 50));
    const total = card.apdus - counted;
    const after = (await kioskRead(k)).summary.journeys;
    expect(after?.[0]?.chargedCents).toBe(fare('utrecht-centraal', 'amsterdam-centraal'));
    expect(total).toBe(apdus);
    await k.close();
    k = null;
    for (let n = 0; n < total; n++) {
      k = await travelling(model);
      const torn = k.cards.get('sophie');
      const tornAccess = k.reader.card();
      if (!torn || !tornAccess) throw new Error('no card');
      // As in the counted run: the kiosk's read first (it leaves sector 33 authenticated).
      await kioskRead(k);
      torn.tearAfterApdus(n);
      await expect(checkOut(tornAccess, layoutV1, 'amsterdam-centraal', yesterday(8, 50))).rejects.toBeInstanceOf(CardGoneError);
      torn.tearAfterApdus(null);
      await waitForReader(k.reader, (s) => s.status === 'ready', 8000, 'the torn card to be gone');
      await k.tap('sophie');
      await k.waitFor('menu', 10_000);
      const now = (await kioskRead(k)).summary;
      expect(now.balanceCents + (now.journeys ?? []).reduce((sum, j) => sum + j.chargedCents, 0)).toBe(start);
      expect([before, after]).toContainEqual(now.journeys);
      expect(now.journeys).toContainEqual(before?.[1]);
      await k.close();
      k = null;
    }
  }, 300_000);
});
