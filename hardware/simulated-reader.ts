// A reader and cards in memory, for demo mode, the developer dock, the CLI and tests.
// A card can be torn: told to leave the reader after the n-th block write.
import { BLOCK_SIZE, CardGoneError, sameReaderState, type CardAccess, type CardReader, type ReaderState } from './card-reader.js';

export const CLASSIC_4K_BLOCKS = 256;

export class SimulatedCard {
  readonly blocks: Uint8Array[];

  constructor(
    readonly uid: string,
    blocks?: ReadonlyMap<number, Uint8Array> | readonly Uint8Array[],
  ) {
    this.blocks = Array.from({ length: CLASSIC_4K_BLOCKS }, () => new Uint8Array(BLOCK_SIZE));
    if (blocks instanceof Map) {
      for (const [n, data] of blocks) this.setBlock(n, data);
    } else if (Array.isArray(blocks)) {
      blocks.forEach((data: Uint8Array, n: number) => this.setBlock(n, data));
    }
  }

  setBlock(n: number, data: Uint8Array): void {
    const target = this.blocks[n];
    if (!target || data.length !== BLOCK_SIZE) throw new RangeError(`bad block ${n}`);
    target.set(data);
  }

  toHex(): string[] {
    return this.blocks.map((b) => Buffer.from(b).toString('hex'));
  }

  static fromHex(uid: string, hex: readonly string[]): SimulatedCard {
    return new SimulatedCard(
      uid,
      hex.map((h) => new Uint8Array(Buffer.from(h, 'hex'))),
    );
  }
}

export type TearCounting = 'writes' | 'operations';

export interface SimulatedReaderOptions {
  readonly name?: string;
  /** Start without a reader attached (as if unplugged). */
  readonly unplugged?: boolean;
  /** Called after every successful block write (e.g. to persist the card). */
  readonly onWrite?: (card: SimulatedCard) => void;
}

export class SimulatedReader implements CardReader {
  readonly name: string;
  private current: ReaderState;
  private present: SimulatedCard | null = null;
  /** Increases on every insert/remove: an access is valid only for its own presence. */
  private presence = 0;
  private tear: { after: number; counting: TearCounting } | null = null;
  private countedSinceArmed = 0;
  private readonly listeners = new Set<(state: ReaderState) => void>();
  private readonly onWrite: ((card: SimulatedCard) => void) | undefined;

  constructor(options: SimulatedReaderOptions = {}) {
    this.name = options.name ?? 'Simulated reader';
    this.current = options.unplugged ? { status: 'no_reader' } : { status: 'ready' };
    this.onWrite = options.onWrite;
  }

  state(): ReaderState {
    return this.current;
  }

  subscribe(listener: (state: ReaderState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  presentCard(): SimulatedCard | null {
    return this.present;
  }

  tearArmed(): { after: number; counting: TearCounting } | null {
    return this.tear;
  }

  /** Holds a card to the reader. A card already there is removed first. */
  tap(card: SimulatedCard): void {
    if (this.current.status === 'no_reader') return;
    if (this.present) this.remove();
    this.present = card;
    this.presence++;
    this.emit({ status: 'card_present', uid: card.uid });
  }

  remove(): void {
    if (!this.present) return;
    this.present = null;
    this.presence++;
    if (this.current.status !== 'no_reader') this.emit({ status: 'ready' });
  }

  /**
   * The card leaves the reader after `after` more block writes (or, counting
   * 'operations', reads and writes): the operation after them fails with CardGoneError.
   */
  armTear(after: number, counting: TearCounting = 'writes'): void {
    this.tear = { after, counting };
    this.countedSinceArmed = 0;
  }

  disarmTear(): void {
    this.tear = null;
  }

  /** Counts an operation against an armed tear; true when the card must leave now. */
  private tearsNow(kind: 'read' | 'write'): boolean {
    if (!this.tear || (this.tear.counting === 'writes' && kind === 'read')) return false;
    if (this.countedSinceArmed < this.tear.after) {
      this.countedSinceArmed++;
      return false;
    }
    this.tear = null;
    this.remove();
    return true;
  }

  unplug(): void {
    this.present = null;
    this.presence++;
    this.emit({ status: 'no_reader' });
  }

  plug(): void {
    if (this.current.status === 'no_reader') this.emit({ status: 'ready' });
  }

  card(): CardAccess | null {
    const card = this.present;
    if (!card) return null;
    const presence = this.presence;
    const check = (signal?: AbortSignal): SimulatedCard => {
      signal?.throwIfAborted();
      if (this.presence !== presence || this.present !== card) throw new CardGoneError();
      return card;
    };
    return {
      uid: card.uid,
      readBlock: async (block, signal) => {
        await Promise.resolve();
        check(signal);
        if (this.tearsNow('read')) throw new CardGoneError('card torn away during read');
        const data = card.blocks[block];
        if (!data) throw new RangeError(`no block ${block}`);
        return data.slice();
      },
      writeBlock: async (block, data, signal) => {
        await Promise.resolve();
        const target = check(signal);
        if (this.tearsNow('write')) throw new CardGoneError('card torn away during write');
        target.setBlock(block, data);
        this.onWrite?.(target);
      },
    };
  }

  /** As if the reader were unplugged and plugged back: the card on it is gone. */
  async restart(): Promise<void> {
    this.unplug();
    this.plug();
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private emit(next: ReaderState): void {
    if (sameReaderState(this.current, next)) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
  }
}
