// The part of nfc-pcsc (0.8.x, ships no types) that the PC/SC worker uses, and the part of
// its @pokusew/pcsclite CardReader (`reader.reader`) that nfc-binding.ts uses to connect
// exclusively.
declare module 'nfc-pcsc' {
  import { EventEmitter } from 'node:events';

  export interface NfcCardEvent {
    readonly atr?: Buffer;
    readonly standard?: string;
  }

  /** @pokusew/pcsclite's CardReader (index.d.ts of that package), as far as it is used. */
  export interface PcscliteReader extends EventEmitter {
    readonly SCARD_SHARE_SHARED: number;
    readonly SCARD_SHARE_EXCLUSIVE: number;
    readonly SCARD_LEAVE_CARD: number;
    readonly SCARD_RESET_CARD: number;
    readonly SCARD_UNPOWER_CARD: number;
    readonly SCARD_STATE_PRESENT: number;
    readonly SCARD_STATE_INUSE: number;
    readonly SCARD_STATE_EXCLUSIVE: number;
    /** The reader's last SCARD_STATE_* bits (set after its first status). */
    readonly state?: number;
    readonly connected: boolean;
    connect(options: { share_mode?: number; protocol?: number }, callback: (error: Error | null | undefined, protocol: number) => void): void;
    disconnect(disposition: number, callback: (error: Error | null | undefined) => void): void;
  }

  export class Reader extends EventEmitter {
    readonly name: string;
    readonly reader: PcscliteReader;
    /** Set by nfc-pcsc when connected; cleared when disconnected. */
    connection: { type: number; protocol: number } | null;
    /** The card on the reader (its ATR), from the status change that announced it. */
    card: NfcCardEvent | null;
    autoProcessing: boolean;
    /** Called by nfc-pcsc itself when a card arrives (mode: shared); nfc-binding.ts replaces it. */
    connect(mode?: number): Promise<{ type: number; protocol: number }>;
    disconnect(): Promise<boolean>;
    transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
    close(): void;
    on(event: 'card', listener: (card: NfcCardEvent) => void): this;
    on(event: 'card.off', listener: (card: NfcCardEvent) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: string, listener: (...args: never[]) => void): this;
  }

  export class NFC extends EventEmitter {
    readonly readers: Record<string, unknown>;
    close(): void;
    on(event: 'reader', listener: (reader: Reader) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}
