// The card reader port. Adapters (simulated, PC/SC) implement it; the kiosk sees
// nothing else of the hardware. Cards are MIFARE Classic 4K-shaped: 16-byte blocks,
// addressed by absolute block number; the adapter authenticates sectors itself.

export const BLOCK_SIZE = 16;

import type { ReaderFault } from '../domain/cards.js';

export type { ReaderFault } from '../domain/cards.js';

/** Reader status as a discriminated union, emitted only on real change. */
export type ReaderState =
  | { readonly status: 'no_reader' }
  | { readonly status: 'ready' }
  | { readonly status: 'card_present'; readonly uid: string }
  | { readonly status: 'card_error'; readonly error: string; readonly fault?: ReaderFault };

/** Block access to the card that is on the reader now. Bound to that presence: once the
 * card has left (even if it comes back), every call fails with CardGoneError. */
export interface CardAccess {
  readonly uid: string;
  readBlock(block: number, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * Reads `count` consecutive blocks of one sector (`first` … `first + count - 1`), in as
   * few exchanges as the reader allows (one multi-block READ on an ACR1252U). Optional:
   * without it, blocks are read one by one.
   */
  readBlocks?(first: number, count: number, signal?: AbortSignal): Promise<Uint8Array[]>;
  writeBlock(block: number, data: Uint8Array, signal?: AbortSignal): Promise<void>;
  /**
   * Writes consecutive blocks of one sector (`data[i]` to `first + i`), in as few exchanges
   * as the reader allows (one multi-block UPDATE on an ACR1252U). Only the blocks given are
   * touched; a tear may leave some of them written (the layout's checksum tells).
   * Optional: without it, block by block.
   */
  writeBlocks?(first: number, data: readonly Uint8Array[], signal?: AbortSignal): Promise<void>;
}

export interface CardReader {
  readonly name: string;
  state(): ReaderState;
  /** Listener is called on every change of state (not with the current one). */
  subscribe(listener: (state: ReaderState) => void): () => void;
  /** Access to the card now on the reader, or null when there is none. */
  card(): CardAccess | null;
  /** Starts the reader afresh (a technician's "restart the reader"). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The card left the reader (or was never there) while we talked to it. */
export class CardGoneError extends Error {
  constructor(message = 'card left the reader') {
    super(message);
    this.name = 'CardGoneError';
  }
}

/**
 * The card is there but did not answer reliably: an RF error, or its authentication lost
 * again after one reconnect and re-authentication. Not a foreign card: the traveller is
 * asked to hold the card still and try again. A CardGoneError, so that a delivery treats
 * it as a conversation that broke off (the attempt stays open; the card settles it).
 */
export class CardUnsteadyError extends CardGoneError {
  constructor(message: string) {
    super(message);
    this.name = 'CardUnsteadyError';
  }
}

/** The card answered, but not as a card of our layout should (auth failed, bad reply). */
export class CardIoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardIoError';
  }
}

export function sameReaderState(a: ReaderState, b: ReaderState): boolean {
  if (a.status !== b.status) return false;
  if (a.status === 'card_present' && b.status === 'card_present') return a.uid === b.uid;
  if (a.status === 'card_error' && b.status === 'card_error') return a.error === b.error && a.fault === b.fault;
  return true;
}
