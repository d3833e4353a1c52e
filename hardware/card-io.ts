// Reading and writing whole layout records over block access, in as few exchanges as the
// reader allows: a run of consecutive blocks of one sector is one request (one READ or
// UPDATE BINARY on an ACR1252U), a write touches exactly the blocks of the record it writes,
// and its verification reads back only those.
import type { CardAccess } from './card-reader.js';
import type { CardJourney } from '../domain/index.js';
import { CardLayoutError, otherSlot, sectorOfBlock, type CardCodec, type CardState, type DecodedCard, type TravelState } from './card-layout.js';

/** The blocks to read as runs of consecutive blocks within one sector, in order. */
export function blockRuns(blocks: readonly number[]): { first: number; count: number }[] {
  const runs: { first: number; count: number }[] = [];
  for (const block of blocks) {
    const run = runs.at(-1);
    if (run && block === run.first + run.count && sectorOfBlock(block) === sectorOfBlock(run.first)) run.count++;
    else runs.push({ first: block, count: 1 });
  }
  return runs;
}

/** Reads `numbers` into `into`, a run per request where the reader offers it. */
async function readInto(access: CardAccess, numbers: readonly number[], into: Map<number, Uint8Array>, signal?: AbortSignal): Promise<void> {
  const readBlocks = access.readBlocks?.bind(access);
  for (const { first, count } of blockRuns(numbers.filter((n) => !into.has(n)))) {
    signal?.throwIfAborted();
    if (readBlocks && count > 1) {
      const data = await readBlocks(first, count, signal);
      data.forEach((bytes, i) => into.set(first + i, bytes));
    } else {
      for (let block = first; block < first + count; block++) {
        signal?.throwIfAborted();
        into.set(block, await access.readBlock(block, signal));
      }
    }
  }
}

/** Writes `blocks` (in order), a run per request where the reader offers it. */
async function writeFrom(access: CardAccess, blocks: ReadonlyMap<number, Uint8Array>, signal?: AbortSignal): Promise<void> {
  const writeBlocks = access.writeBlocks?.bind(access);
  for (const { first, count } of blockRuns([...blocks.keys()])) {
    signal?.throwIfAborted();
    const data = Array.from({ length: count }, (_, i) => blocks.get(first + i) as Uint8Array);
    if (writeBlocks && count > 1) {
      await writeBlocks(first, data, signal);
    } else {
      for (const [i, bytes] of data.entries()) {
        signal?.throwIfAborted();
        await access.writeBlock(first + i, bytes, signal);
      }
    }
  }
}

/** Nothing of ours where the layout keeps its identity (the blocks read, no identity there). */
const blankThere = (error: unknown) => error instanceof CardLayoutError && error.kind === 'foreign';

/**
 * The card in its layout. The layout the codec issues is read first: its identity, and the
 * rest only when that is ours (on an ACR1252U: one READ of 48 bytes, then one of 192, in
 * one authentication; a card issued in an older layout costs 3 blocks of sector 32 on the
 * air, not 15). Only when those blocks hold no identity of ours (they were read: a card
 * issued before has them blank) are the codec's older layouts read, newest first. A damaged
 * identity, a sector that does not open or a shaky read is the card's answer as it is: a
 * card that may hold the current layout is never read as an older one.
 */
export async function readCard(
  access: CardAccess,
  codec: CardCodec,
  signal?: AbortSignal,
  options: ReadOptions = {},
): Promise<DecodedCard> {
  const card = await readRecords(access, codec, signal);
  if (!options.travelLog) return card;
  return withJourneys(access, codec, card, signal);
}

export interface ReadOptions {
  /**
   * Read the travel log too (`DecodedCard.journeys`): two more APDUs on an ACR1252U (an
   * authentication of sector 33 and one READ of the slots in use), and only on a card whose
   * state record says it has one; a card that never passed a gate costs nothing more.
   */
  readonly travelLog?: boolean;
}

/** The card with its journeys, when it has a travel log (the state record says so). */
export async function withJourneys(access: CardAccess, codec: CardCodec, card: DecodedCard, signal?: AbortSignal): Promise<DecodedCard> {
  const { travel } = card.state;
  if (!travel || !codec.travelLog) return card;
  const blocks = await readTravelLog(access, codec, travel, signal);
  return { ...card, journeys: codec.travelLog.decode(blocks, travel) };
}

/** The travel-log blocks that `travel` commits (none on a layout without a log), a run per request. */
export async function readTravelLog(access: CardAccess, codec: CardCodec, travel: TravelState, signal?: AbortSignal): Promise<Map<number, Uint8Array>> {
  const blocks = new Map<number, Uint8Array>();
  if (codec.travelLog) await readInto(access, codec.travelLog.blocksToRead(travel), blocks, signal);
  return blocks;
}

async function readRecords(access: CardAccess, codec: CardCodec, signal?: AbortSignal): Promise<DecodedCard> {
  const blocks = new Map<number, Uint8Array>();
  try {
    if (codec.identityBlocks) {
      await readInto(access, codec.identityBlocks, blocks, signal);
      try {
        codec.decode(blocks);
      } catch (error) {
        // No identity of ours there: the rest of that layout is not worth reading.
        if (blankThere(error)) throw error;
      }
    }
    await readInto(access, codec.blocksToRead, blocks, signal);
    return codec.decode(blocks);
  } catch (error) {
    if (!blankThere(error) || !codec.olderLayouts?.length) throw error;
  }
  let failure: unknown = null;
  for (const older of codec.olderLayouts) {
    signal?.throwIfAborted();
    try {
      await readInto(access, older.blocksToRead, blocks, signal);
      return codec.decode(blocks);
    } catch (error) {
      if (!blankThere(error)) throw error;
      failure = error;
    }
  }
  throw failure;
}

export class CardVerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardVerifyError';
  }
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/** Writes `blocks`, then reads back exactly those and checks them byte for byte; returns what was read. */
async function writeVerified(access: CardAccess, blocks: ReadonlyMap<number, Uint8Array>, signal?: AbortSignal): Promise<Map<number, Uint8Array>> {
  await writeFrom(access, blocks, signal);
  const back = new Map<number, Uint8Array>();
  await readInto(access, [...blocks.keys()], back, signal);
  for (const [block, bytes] of blocks) {
    if (!sameBytes(back.get(block), bytes)) {
      throw new CardVerifyError(`the card does not hold the record just written (block ${block} differs)`);
    }
  }
  return back;
}

/**
 * Writes entry `sequence` of the travel log (one block) and reads it back. It counts only
 * once a state record names it (`travel.logSequence`): write the state after it.
 */
export async function writeTravelEntry(
  access: CardAccess,
  codec: CardCodec,
  sequence: number,
  journey: CardJourney,
  signal?: AbortSignal,
): Promise<void> {
  if (!codec.travelLog) throw new RangeError('this card layout has no travel log');
  await writeVerified(access, codec.travelLog.encodeEntry(sequence, journey), signal);
}

/**
 * Writes `next` into the record that is not active (exactly its blocks: the active record
 * is never touched), then reads back only that record and checks that it holds, byte for
 * byte, what was written. A tear anywhere leaves the previous record active (the
 * half-written one fails its checksum), so the card is never in between.
 */
export async function writeState(
  access: CardAccess,
  codec: CardCodec,
  current: DecodedCard,
  next: Omit<CardState, 'sequence'>,
  signal?: AbortSignal,
): Promise<DecodedCard> {
  // The gates' fields are kept by a write that does not set them (a delivery).
  const travel = next.travel ?? current.state.travel;
  const state: CardState = { ...next, ...(travel ? { travel } : {}), sequence: current.state.sequence + 1 };
  const slot = otherSlot(current.activeSlot);
  const record = codec.encodeState(state, slot, current.layout);
  const back = await writeVerified(access, record, signal);
  // The record as the card now holds it (decoded beside the identity, which was not touched).
  const written = codec.decode(new Map([...codec.encodeIdentity(current.identity, current.layout), ...back]));
  if (written.state.sequence !== state.sequence || written.activeSlot !== slot) {
    throw new CardVerifyError('the card does not hold the record just written');
  }
  return { ...written, identity: current.identity };
}

