// nfc-pcsc as the worker uses it: every card connected EXCLUSIVELY. nfc-pcsc connects to
// a card in shared mode as soon as it arrives and offers no transaction, so another PC/SC
// client on the same reader (pcsc_scan, a browser, a second kiosk, a test) could send its
// own LOAD KEY / AUTHENTICATE between ours (a MIFARE Classic keeps one authenticated
// sector; the reader's key slots are shared) or reset the card under us. Here nfc-pcsc's
// connect is replaced by one with SCARD_SHARE_EXCLUSIVE, through its @pokusew/pcsclite
// reader: while the kiosk holds the card, another client gets a sharing violation; when
// another client holds it first, the kiosk gets one ('connect.error', a reader fault).
import { EventEmitter } from 'node:events';
import type { NFC, Reader } from 'nfc-pcsc';
import type { NfcBinding, NfcCard, NfcReader } from './worker-core.js';

function connectExclusive(inner: Reader): Promise<void> {
  const pcsc = inner.reader;
  return new Promise((resolve, reject) => {
    if (pcsc.connected && inner.connection) return resolve();
    pcsc.connect({ share_mode: pcsc.SCARD_SHARE_EXCLUSIVE }, (error, protocol) => {
      if (error) return reject(error);
      inner.connection = { type: pcsc.SCARD_SHARE_EXCLUSIVE, protocol };
      resolve();
    });
  });
}

function disconnect(inner: Reader, disposition: number): Promise<void> {
  const pcsc = inner.reader;
  return new Promise((resolve, reject) => {
    if (!pcsc.connected) {
      inner.connection = null;
      return resolve();
    }
    pcsc.disconnect(disposition, (error) => {
      inner.connection = null;
      if (error) reject(error);
      else resolve();
    });
  });
}

/** One nfc-pcsc Reader, connecting exclusively; the events the worker listens to. */
export class ExclusiveReader extends EventEmitter implements NfcReader {
  constructor(readonly inner: Reader) {
    super();
    // nfc-pcsc calls this.connect() when a card arrives, and on failure only emits the
    // error object as an event name (lost): the failure is reported as 'connect.error'.
    inner.connect = async () => {
      try {
        await connectExclusive(inner);
      } catch (error) {
        this.emit('connect.error', error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      return inner.connection ?? { type: inner.reader.SCARD_SHARE_EXCLUSIVE, protocol: 0 };
    };
    inner.on('card', (card: NfcCard) => this.emit('card', card));
    inner.on('card.off', () => this.emit('card.off'));
    inner.on('error', (error: Error) => this.emit('error', error));
    inner.on('end', () => this.emit('end'));
  }

  get name(): string {
    return this.inner.name;
  }

  get autoProcessing(): boolean {
    return this.inner.autoProcessing;
  }

  set autoProcessing(on: boolean) {
    this.inner.autoProcessing = on;
  }

  transmit(command: Buffer, responseMaxLength: number): Promise<Buffer> {
    return this.inner.transmit(command, responseMaxLength);
  }

  async connect(): Promise<NfcCard> {
    await connectExclusive(this.inner);
    const card = this.inner.card;
    if (!card) {
      // The card left while we connected: nfc-pcsc's removal handler has run already and
      // would not end this connection, which would then stand in for the next card's.
      await disconnect(this.inner, this.inner.reader.SCARD_LEAVE_CARD).catch(() => undefined);
      throw new Error('the card left the reader while connecting');
    }
    return card.atr ? { atr: card.atr } : {};
  }

  /** Lets go of the card (if still connected) and stops watching the reader: a closed
   * NFC does not end its readers' own PC/SC contexts, so a handle would outlive it. */
  async close(): Promise<void> {
    await disconnect(this.inner, this.inner.reader.SCARD_LEAVE_CARD).catch(() => undefined);
    this.inner.close();
  }

  /** A reset on the way out: a card halted by an RF error is woken up and selected again. */
  async reconnect(): Promise<void> {
    await disconnect(this.inner, this.inner.reader.SCARD_RESET_CARD);
    await connectExclusive(this.inner);
  }
}

/** The binding whose readers connect exclusively (worker.ts, the benchmark's floor). */
export class ExclusiveNfc extends EventEmitter implements NfcBinding {
  readonly readers: ExclusiveReader[] = [];

  constructor(readonly nfc: NFC) {
    super();
    nfc.on('reader', (reader: Reader) => {
      const exclusive = new ExclusiveReader(reader);
      this.readers.push(exclusive);
      this.emit('reader', exclusive);
    });
    nfc.on('error', (error: Error) => this.emit('error', error));
  }
}
