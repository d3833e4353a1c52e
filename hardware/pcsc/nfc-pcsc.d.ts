// The part of nfc-pcsc (0.8.x, ships no types) that the PC/SC worker uses.
declare module 'nfc-pcsc' {
  import { EventEmitter } from 'node:events';

  export interface NfcCardEvent {
    readonly atr?: Buffer;
    readonly standard?: string;
  }

  export class Reader extends EventEmitter {
    readonly name: string;
    autoProcessing: boolean;
    transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
    close(): void;
    on(event: 'card', listener: (card: NfcCardEvent) => void): this;
    on(event: 'card.off', listener: (card: NfcCardEvent) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'end', listener: () => void): this;
  }

  export class NFC extends EventEmitter {
    readonly readers: Record<string, unknown>;
    close(): void;
    on(event: 'reader', listener: (reader: Reader) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}
