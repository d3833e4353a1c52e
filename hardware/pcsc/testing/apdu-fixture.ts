// Recorded APDU exchanges as small readable text files (hardware/pcsc/fixtures/*.apdu),
// and a player that answers a fake reader's transmits from them. Test support only.
//
//   # a comment; everything after '#' on a line is ignored
//   atr 3b 8f 80 01 80 4f 0c a0 00 00 03 06 03 00 02 00 00 00 00 6a
//   => ff ca 00 00 00                  the command the worker must send next
//   <= 04 a1 b2 c3 90 00               what the card answers
//   => ff b0 00 04 10
//   <= empty                           the card answers nothing (zero bytes)
//   <= gone                            the transmit fails: the card left
//   <= reset                           the transmit fails: another program reset the card
//   => reconnect                       the worker drops its connection and connects again
//   <= ok                              (or gone: the card left; sharing-violation: another program has it)
//
// The player fails on an unexpected exchange (a command that differs from the next
// recorded one, or one past the end) and, in verify(), on recorded exchanges left unplayed.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSw } from '../apdu.js';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A transmit that fails: the card left ('gone'), or another program reset it ('reset'). */
export type TransmitFailure = 'gone' | 'reset';
/** How a reconnect ends. */
export type ReconnectOutcome = 'ok' | 'gone' | 'sharing-violation';

export interface Exchange {
  /** An APDU, or the worker's reconnect. */
  readonly command: Buffer | 'reconnect';
  /** The card's answer (data and status word; empty: no answer) or a failed transmit; for a
   * reconnect, how it ends. */
  readonly response: Buffer | TransmitFailure | ReconnectOutcome;
  /** Line of the command in the fixture file (1-based); 0 when not from a file. */
  readonly line: number;
}

export interface ApduFixture {
  readonly name: string;
  /** The card's ATR, when the fixture names it. */
  readonly atr: Buffer | null;
  readonly exchanges: readonly Exchange[];
}

export class FixtureSyntaxError extends Error {
  constructor(name: string, line: number, message: string) {
    super(`${name}:${line}: ${message}`);
    this.name = 'FixtureSyntaxError';
  }
}

/** An exchange the fixture did not expect, or recorded exchanges the worker never sent. */
export class FixtureMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixtureMismatch';
  }
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');

function parseHex(name: string, line: number, text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(compact)) throw new FixtureSyntaxError(name, line, `not hex bytes: "${text}"`);
  return Buffer.from(compact, 'hex');
}

export function parseFixture(text: string, name = 'fixture'): ApduFixture {
  let atr: Buffer | null = null;
  const exchanges: Exchange[] = [];
  let command: { bytes: Buffer | 'reconnect'; line: number } | null = null;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = (raw.split('#')[0] ?? '').trim();
    if (!content) return;
    const match = /^(atr|=>|<=)\s+(.*)$/.exec(content);
    if (!match) throw new FixtureSyntaxError(name, line, `expected "atr …", "=> …" or "<= …", got "${content}"`);
    const [, kind, rest = ''] = match;
    if (kind === 'atr') {
      if (atr || exchanges.length > 0 || command) throw new FixtureSyntaxError(name, line, 'the atr comes first, once');
      atr = parseHex(name, line, rest);
    } else if (kind === '=>') {
      if (command) throw new FixtureSyntaxError(name, line, `the command of line ${command.line} has no answer`);
      command = { bytes: rest.trim() === 'reconnect' ? 'reconnect' : parseHex(name, line, rest), line };
    } else {
      if (!command) throw new FixtureSyntaxError(name, line, 'an answer without a command');
      const word = rest.trim();
      let response: Exchange['response'];
      if (command.bytes === 'reconnect') {
        if (word !== 'ok' && word !== 'gone' && word !== 'sharing-violation') {
          throw new FixtureSyntaxError(name, line, `a reconnect ends ok, gone or sharing-violation, not "${word}"`);
        }
        response = word;
      } else {
        response = word === 'gone' || word === 'reset' ? word : word === 'empty' ? Buffer.alloc(0) : parseHex(name, line, rest);
      }
      exchanges.push({ command: command.bytes, response, line: command.line });
      command = null;
    }
  });
  const last = command as { line: number } | null;
  if (last) throw new FixtureSyntaxError(name, last.line, 'the last command has no answer');
  return { name, atr, exchanges };
}

/** hardware/pcsc/fixtures/<name>.apdu */
export function fixturePath(name: string): string {
  return join(FIXTURE_DIR, `${name}.apdu`);
}

export function loadFixture(name: string): ApduFixture {
  return parseFixture(readFileSync(fixturePath(name), 'utf8'), `${name}.apdu`);
}

/** What a command is, for the comments of a recorded fixture. */
export function describeApdu(command: Uint8Array | 'reconnect'): string {
  if (command === 'reconnect') return 'the worker reconnects (reset), exclusively';
  const [cla, ins, p1, p2, lc] = command;
  if (cla !== 0xff) return 'not a PC/SC storage-card command';
  switch (ins) {
    case 0xca:
      return p1 === 0 ? 'GET DATA: UID' : 'GET DATA';
    case 0x82:
      return `LOAD KEY into slot ${p2}`;
    case 0x86:
      return `AUTHENTICATE block ${command[7]} with key ${command[8] === 0x60 ? 'A' : command[8] === 0x61 ? 'B' : '?'} (slot ${command[9]})`;
    case 0xb0:
      return lc === undefined || lc === 16 ? `READ BINARY block ${p2}` : `READ BINARY blocks ${p2}–${(p2 ?? 0) + Math.ceil((lc || 256) / 16) - 1} (${lc || 256} bytes)`;
    case 0xd6:
      return lc === 16 ? `UPDATE BINARY block ${p2} (${lc} bytes)` : `UPDATE BINARY blocks ${p2}–${(p2 ?? 0) + Math.ceil((lc ?? 0) / 16) - 1} (${lc} bytes)`;
    default:
      return `INS ${ins?.toString(16)}`;
  }
}

/** What an answer is, for the comments of a recorded fixture. */
function describeResponse(response: Exchange['response']): string {
  if (response === 'gone') return 'the card left';
  if (response === 'reset') return 'the transmit failed: the card was reset by another program';
  if (response === 'ok') return 'connected';
  if (response === 'sharing-violation') return 'another program holds the card';
  if (response.length === 0) return 'no answer';
  if (response.length < 2) return 'noise: no status word';
  return `${response.length - 2 > 0 ? `${response.length - 2} bytes, ` : ''}status ${formatSw(response.readUInt16BE(response.length - 2))}`;
}

/** The text of a fixture, each line commented with what it is. */
export function formatFixture(fixture: { atr: Buffer | null; exchanges: readonly Pick<Exchange, 'command' | 'response'>[] }, header: string): string {
  const lines = header
    .trim()
    .split('\n')
    .map((l) => `# ${l}`.trimEnd());
  const text = (b: Buffer | string) => (typeof b === 'string' ? b : b.length === 0 ? 'empty' : hex(b));
  // Comments aligned after the usual 16-byte exchanges; a multi-block one runs past them.
  const width = Math.min(Math.max(...fixture.exchanges.flatMap((e) => [e.command, e.response]).map((b) => text(b).length), 8), 66);
  if (fixture.atr) lines.push(`atr ${hex(fixture.atr)}`);
  for (const { command, response } of fixture.exchanges) {
    lines.push(`=> ${text(command).padEnd(width)}  # ${describeApdu(command)}`);
    const answer = text(response);
    lines.push(`<= ${answer.padEnd(width)}  # ${describeResponse(response)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Plays a fixture's exchanges in order. */
export class ApduPlayer {
  private next = 0;
  private readonly failures: string[] = [];

  constructor(readonly fixture: ApduFixture) {}

  /** Exchanges not yet played. */
  get remaining(): number {
    return this.fixture.exchanges.length - this.next;
  }

  /** The answer to `command`; a FixtureMismatch (remembered for verify()) when unexpected. */
  play(command: Uint8Array | 'reconnect'): Exchange['response'] {
    const show = (c: Uint8Array | 'reconnect') => (c === 'reconnect' ? 'reconnect' : hex(c));
    const expected = this.fixture.exchanges[this.next];
    if (!expected) {
      return this.fail(`${this.fixture.name}: unexpected exchange after the last one: the worker sent => ${show(command)} (${describeApdu(command)})`);
    }
    const same = expected.command === 'reconnect' || command === 'reconnect' ? expected.command === command : expected.command.equals(command);
    if (!same) {
      return this.fail(
        `${this.fixture.name}:${expected.line}: unexpected exchange: expected => ${show(expected.command)} (${describeApdu(expected.command)}), ` +
          `the worker sent => ${show(command)} (${describeApdu(command)})`,
      );
    }
    this.next++;
    return expected.response;
  }

  /** Throws the first unexpected exchange, or the recorded exchanges that were never played. */
  verify(): void {
    if (this.failures.length > 0) throw new FixtureMismatch(this.failures.join('\n'));
    const left = this.fixture.exchanges.slice(this.next);
    const first = left[0];
    if (first) {
      throw new FixtureMismatch(
        `${this.fixture.name}:${first.line}: ${left.length} recorded exchange(s) never played, from => ${first.command === 'reconnect' ? 'reconnect' : hex(first.command)} (${describeApdu(first.command)})`,
      );
    }
  }

  /** Records a failure of the exchange (verify() throws it) and returns it to be thrown. */
  failure(message: string): FixtureMismatch {
    this.failures.push(message);
    return new FixtureMismatch(message);
  }

  private fail(message: string): never {
    throw this.failure(message);
  }
}
