// An EventEmitter fake of the part of nfc-pcsc the worker uses (NfcBinding, NfcReader in
// worker-core.ts): readers appear ('reader'), cards come and go ('card', 'card.off'),
// readers fail or leave ('error', 'end'), and transmit() answers from a recorded fixture
// (ApduPlayer). The worker runs with autoProcessing off and sends raw APDUs only, so
// nfc-pcsc's loadAuthenticationKey / authenticate / read / write are not faked: the
// types keep the worker from calling them. Test support only.
import { EventEmitter } from 'node:events';
import type { NfcBinding, NfcCard, NfcReader } from '../worker-core.js';
import { PCSC_ERROR } from '../apdu.js';
import { ApduPlayer, type ApduFixture } from './apdu-fixture.js';

/** An error of the PC/SC binding, with its return code in the message as pcsclite writes it. */
export function pcscError(method: string, code: number, text: string): Error {
  return new Error(`${method} error: ${text}.(0x${code.toString(16).padStart(8, '0')})`);
}

/** nfc-pcsc's TransmitError: a code and a message. */
export class FakeTransmitError extends Error {
  constructor(
    readonly code: 'card_not_connected' | 'failure',
    message: string,
  ) {
    super(message);
    this.name = 'TransmitError';
  }
}

export class FakeReader extends EventEmitter implements NfcReader {
  autoProcessing = true;
  /** Every command transmitted, in order (also those with no card). */
  readonly transmitted: Buffer[] = [];
  private player: ApduPlayer | null = null;
  private pending = 0;
  /** Another program holds the card on the reader: connects fail with a sharing violation. */
  private heldByAnother = false;
  private waiting: { fixture: ApduFixture; atr: Buffer | null } | null = null;
  /** Connects tried while the card was held by another program. */
  refusedConnects = 0;

  constructor(readonly name: string) {
    super();
  }

  get cardPresent(): boolean {
    return this.player !== null;
  }

  /** Holds a card to the reader; its APDUs are answered from `fixture`. Returns the player. */
  insert(fixture: ApduFixture, atr: Buffer | null = fixture.atr): ApduPlayer {
    if (this.player) throw new Error('a card is on the reader already: remove() it first');
    const player = new ApduPlayer(fixture);
    this.player = player;
    const card: NfcCard = atr ? { atr } : {};
    this.emit('card', card);
    return player;
  }

  /**
   * Holds a card to the reader while another program holds it (connected first, and
   * exclusively or in a transaction): the binding's connect fails with a sharing
   * violation ('connect.error') until `release()`; then the worker's connect() gets it.
   */
  insertHeld(fixture: ApduFixture, atr: Buffer | null = fixture.atr): void {
    if (this.player || this.waiting) throw new Error('a card is on the reader already: remove() it first');
    this.heldByAnother = true;
    this.waiting = { fixture, atr };
    this.emit('connect.error', pcscError('SCardConnect', PCSC_ERROR.SHARING_VIOLATION, 'Sharing violation'));
  }

  /** The other program lets the card go; returns the player the next connect() will use. */
  release(): ApduPlayer | null {
    this.heldByAnother = false;
    if (!this.waiting) return null;
    const player = new ApduPlayer(this.waiting.fixture);
    this.player = player;
    return player;
  }

  connect(): Promise<NfcCard> {
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        if (this.heldByAnother) {
          this.refusedConnects++;
          reject(pcscError('SCardConnect', PCSC_ERROR.SHARING_VIOLATION, 'Sharing violation'));
          return;
        }
        const waiting = this.waiting;
        this.waiting = null;
        if (!this.player || !waiting) {
          reject(pcscError('SCardConnect', PCSC_ERROR.NO_SMARTCARD, 'No smart card inserted'));
          return;
        }
        resolve(waiting.atr ? { atr: waiting.atr } : {});
      });
    });
  }

  /** Plays the fixture's `=> reconnect` exchange. */
  reconnect(): Promise<void> {
    this.transmitted.push(Buffer.from('reconnect'));
    const player = this.player;
    if (!player) return Promise.reject(pcscError('SCardConnect', PCSC_ERROR.NO_SMARTCARD, 'No smart card inserted'));
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        let outcome;
        try {
          outcome = player.play('reconnect');
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (outcome === 'ok') return resolve();
        if (outcome === 'sharing-violation') return reject(pcscError('SCardConnect', PCSC_ERROR.SHARING_VIOLATION, 'Sharing violation'));
        reject(pcscError('SCardConnect', PCSC_ERROR.NO_SMARTCARD, 'No smart card inserted'));
        if (outcome === 'gone' && this.player === player) this.remove();
      });
    });
  }

  /** Takes the card away. */
  remove(): void {
    const had = this.player !== null || this.waiting !== null;
    this.player = null;
    this.waiting = null;
    this.heldByAnother = false;
    if (had) this.emit('card.off', {});
  }

  /** The reader is unplugged. */
  unplug(): void {
    this.player = null;
    this.emit('end');
  }

  /** Like nfc-pcsc: throws at once without a card, else answers asynchronously. */
  transmit(command: Buffer, responseMaxLength: number): Promise<Buffer> {
    this.transmitted.push(Buffer.from(command));
    const player = this.player;
    if (!player) throw new FakeTransmitError('card_not_connected', 'No card or connection available.');
    if (this.pending > 0) throw player.failure(`${this.name}: a second transmit while one is in flight`);
    this.pending++;
    return new Promise<Buffer>((resolve, reject) => {
      setImmediate(() => {
        this.pending--;
        let answer;
        try {
          answer = player.play(command);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (answer === 'ok' || answer === 'sharing-violation') {
          reject(player.failure(`${this.name}: the fixture answers a transmit with a reconnect outcome (${answer})`));
          return;
        }
        if (answer === 'reset') {
          // nfc-pcsc wraps the binding's error: the return code is in `previous`.
          reject(Object.assign(new FakeTransmitError('failure', 'An error occurred while transmitting.'), {
            previous: pcscError('SCardTransmit', PCSC_ERROR.RESET_CARD, 'Card was reset'),
          }));
          return;
        }
        if (answer === 'gone') {
          // As over PC/SC: the transmit fails, and the reader reports the empty slot.
          reject(new FakeTransmitError('failure', 'An error occurred while transmitting.'));
          if (this.player === player) this.remove();
          return;
        }
        if (answer.length > responseMaxLength) {
          reject(player.failure(`${this.name}: an answer of ${answer.length} bytes exceeds responseMaxLength ${responseMaxLength}`));
          return;
        }
        resolve(Buffer.from(answer));
      });
    });
  }
}

export class FakeNfc extends EventEmitter implements NfcBinding {
  readonly readers: FakeReader[] = [];

  /** A reader appears (nfc-pcsc's 'reader' event). */
  plug(name = 'ACS ACR1252 1S CL Reader [ACR1252 Reader PICC] 00 00'): FakeReader {
    const reader = new FakeReader(name);
    this.readers.push(reader);
    this.emit('reader', reader);
    return reader;
  }

  /** A PC/SC error of the whole binding (pcscd went away). */
  fail(error: Error): void {
    this.emit('error', error);
  }
}
