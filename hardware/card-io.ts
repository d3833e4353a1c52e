// Reading and writing whole layout records over block access.
import type { CardAccess } from './card-reader.js';
import { otherSlot, sectorOfBlock, type CardCodec, type CardState, type DecodedCard } from './card-layout.js';

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

export async function readCard(access: CardAccess, codec: CardCodec, signal?: AbortSignal): Promise<DecodedCard> {
  const blocks = new Map<number, Uint8Array>();
  const readBlocks = access.readBlocks?.bind(access);
  if (readBlocks) {
    for (const { first, count } of blockRuns(codec.blocksToRead)) {
      signal?.throwIfAborted();
      const data = await readBlocks(first, count, signal);
      data.forEach((bytes, i) => blocks.set(first + i, bytes));
    }
    return codec.decode(blocks);
  }
  for (const block of codec.blocksToRead) {
    signal?.throwIfAborted();
    blocks.set(block, await access.readBlock(block, signal));
  }
  return codec.decode(blocks);
}

export class CardVerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardVerifyError';
  }
}

/**
 * Writes `next` into the record that is not active, then reads the card back and checks
 * that `next` is what the card now holds. A tear anywhere leaves the previous record
 * active (the half-written one fails its checksum), so the card is never in between.
 */
export async function writeState(
  access: CardAccess,
  codec: CardCodec,
  current: DecodedCard,
  next: Omit<CardState, 'sequence'>,
  signal?: AbortSignal,
): Promise<DecodedCard> {
  const state: CardState = { ...next, sequence: current.state.sequence + 1 };
  for (const [block, data] of codec.encodeState(state, otherSlot(current.activeSlot))) {
    signal?.throwIfAborted();
    await access.writeBlock(block, data, signal);
  }
  const written = await readCard(access, codec, signal);
  if (written.state.sequence !== state.sequence || written.activeSlot === current.activeSlot) {
    throw new CardVerifyError('the card does not hold the record just written');
  }
  return written;
}
