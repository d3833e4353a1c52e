// The demo's cards, kept on disk so a card written in one run still holds its
// products and balance in the next (as a real card would).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { SimulatedCard, CLASSIC_4K_BLOCKS } from '../hardware/simulated-reader.js';

export interface WalletEntry {
  readonly id: string;
  readonly label: string;
  readonly card: SimulatedCard;
}

const fileSchema = z.object({
  version: z.literal(1),
  cards: z.array(
    z.object({
      id: z.string().min(1),
      label: z.string(),
      uid: z.string().regex(/^[0-9A-F]{8,14}$/),
      blocks: z.array(z.string().regex(/^[0-9a-f]{32}$/)).length(CLASSIC_4K_BLOCKS),
    }),
  ),
});

export class SimulatedWallet {
  private constructor(
    readonly file: string | null,
    private readonly entries: WalletEntry[],
  ) {}

  /** Loads the wallet from `file`, or creates it there from `fresh()` on first use. */
  static open(file: string | null, fresh: () => WalletEntry[]): { wallet: SimulatedWallet; created: boolean } {
    if (file && existsSync(file)) {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) throw new Error(`demo card file ${file} is not valid: ${z.prettifyError(parsed.error)}`);
      const entries = parsed.data.cards.map((c) => ({ id: c.id, label: c.label, card: SimulatedCard.fromHex(c.uid, c.blocks) }));
      return { wallet: new SimulatedWallet(file, entries), created: false };
    }
    const wallet = new SimulatedWallet(file, fresh());
    wallet.save();
    return { wallet, created: true };
  }

  list(): readonly WalletEntry[] {
    return this.entries;
  }

  get(id: string): WalletEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  byCard(card: SimulatedCard): WalletEntry | undefined {
    return this.entries.find((e) => e.card === card);
  }

  /**
   * Takes from the file the cards another process changed there (the gate simulator,
   * `npm run card -- checkin`), all but `except` (the card on this process's reader, whose
   * content is this process's): the demo calls it before a tap and before it saves, so
   * neither shows a stale card nor writes one back over the file.
   */
  refresh(except?: SimulatedCard | null): void {
    if (!this.file || !existsSync(this.file)) return;
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success) return;
    for (const stored of parsed.data.cards) {
      const entry = this.get(stored.id);
      if (!entry || entry.card === except || entry.card.uid !== stored.uid) continue;
      stored.blocks.forEach((hex, n) => entry.card.setBlock(n, new Uint8Array(Buffer.from(hex, 'hex'))));
    }
  }

  /** Atomic replace, so a crash mid-save never leaves half a file. */
  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const data = {
      version: 1,
      cards: this.entries.map((e) => ({ id: e.id, label: e.label, uid: e.card.uid, blocks: e.card.toHex() })),
    };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
