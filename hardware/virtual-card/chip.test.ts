// The strict virtual card against what ACS documents for the ACR122U / ACR1252U with a
// MIFARE Classic behind them: one test per row of ../shared/notes/virtual-card-vs-readers.md
// (the row number leads each name), APDUs given and answered as hex, no vpcd involved.
import { describe, expect, it } from 'vitest';
import { ATR } from '../pcsc/apdu.js';
import { accessCondition, Chip, manufacturerBlock, ReaderSession, validAccessBits, type ReaderModel } from './chip.js';
import { classicImage, trailer } from './virtual-card.js';

const KEY_A = '4b494f534b41'; // "KIOSKA"
const KEY_B = '4b494f534b42'; // "KIOSKB"
const UID = '04A1B2C3';

const h = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const hx = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');

function card(model: ReaderModel = 'acr122u', kind: 'classic4k' | 'classic1k' = 'classic4k'): { chip: Chip; send: (apdu: string) => string } {
  const data = new Map<number, Uint8Array>([
    [4, new Uint8Array(16).fill(0x44)],
    [5, new Uint8Array(16).fill(0x55)],
    [128, new Uint8Array(16).fill(0x80)],
    [129, new Uint8Array(16).fill(0x81)],
  ]);
  const chip = new Chip({ kind, uid: UID, blocks: classicImage(data, KEY_A, KEY_B), session: new ReaderSession(model) });
  return { chip, send: (apdu) => hx(chip.answer(h(apdu))) };
}

const LOAD_A = `ff 82 00 00 06 ${KEY_A}`;
const LOAD_B = `ff 82 00 01 06 ${KEY_B}`;
const AUTH_A = (block: number) => `ff 86 00 00 05 01 00 ${block.toString(16).padStart(2, '0')} 60 00`;
const AUTH_B = (block: number) => `ff 86 00 00 05 01 00 ${block.toString(16).padStart(2, '0')} 61 01`;
const READ = (block: number, le = 0x10) => `ff b0 00 ${block.toString(16).padStart(2, '0')} ${le.toString(16).padStart(2, '0')}`;
const UPDATE = (block: number, data: string) => `ff d6 00 ${block.toString(16).padStart(2, '0')} ${(h(data).length).toString(16).padStart(2, '0')} ${data}`;
const SIXTEEN = (byte: string) => `${byte} `.repeat(16).trim();

function opened(model: ReaderModel = 'acr122u') {
  const c = card(model);
  expect(c.send(LOAD_A)).toBe('90 00');
  expect(c.send(LOAD_B)).toBe('90 00');
  return c;
}

describe('the strict virtual card, row by row against the ACS documents', () => {
  it('row 1: READ / UPDATE without authentication, or after a failed one, answer 63 00 (not 69 82)', () => {
    const { send } = opened();
    expect(send(READ(4))).toBe('63 00');
    expect(send(AUTH_A(4))).toBe('90 00');
    expect(send(READ(4))).toBe(`${SIXTEEN('44')} 90 00`);
    expect(send('ff 86 00 00 05 01 00 04 60 01')).toBe('63 00'); // key B's slot as key A: wrong key
    expect(send(READ(4))).toBe('63 00');
    expect(send(UPDATE(4, SIXTEEN('00')))).toBe('63 00');
  });

  it('row 2: a trailer with access bits 7F 07 88 69 reads key A and key B as zeros, the access bits as they are', () => {
    const { send } = opened();
    expect(send(AUTH_A(7))).toBe('90 00');
    expect(send(READ(7))).toBe('00 00 00 00 00 00 7f 07 88 69 00 00 00 00 00 00 90 00');
    expect(send(AUTH_B(7))).toBe('90 00');
    expect(send(READ(7))).toBe('00 00 00 00 00 00 7f 07 88 69 00 00 00 00 00 00 90 00');
  });

  it('row 3: block 0 (the manufacturer block) is read-only', () => {
    const { chip, send } = opened();
    const before = hx(chip.blocks[0] ?? new Uint8Array());
    expect(send(AUTH_B(0))).toBe('90 00');
    expect(send(UPDATE(0, SIXTEEN('11')))).toBe('63 00');
    expect(hx(chip.blocks[0] ?? new Uint8Array())).toBe(before);
  });

  it('row 4: block 0 holds UID0–3, BCC, SAK 18, ATQA 02 00 and manufacturer data', () => {
    const { send } = opened();
    expect(send(AUTH_A(0))).toBe('90 00');
    expect(send(READ(0))).toBe('04 a1 b2 c3 d4 18 02 00 62 63 64 65 66 67 68 69 90 00');
    expect(hx(manufacturerBlock(h('5a6b7c8d'), 'classic1k')).slice(0, 20)).toBe('5a 6b 7c 8d c0 08 04');
  });

  it('row 5: a trailer with C=011 is not written after a key A authentication (key B only)', () => {
    const { chip, send } = opened();
    const newTrailer = hx(trailer('a0a1a2a3a4a5', 'b0b1b2b3b4b5'));
    expect(send(AUTH_A(7))).toBe('90 00');
    expect(send(UPDATE(7, newTrailer))).toBe('63 00');
    expect(send(AUTH_B(7))).toBe('90 00');
    expect(send(UPDATE(7, newTrailer))).toBe('90 00');
    expect(hx(chip.blocks[7] ?? new Uint8Array())).toBe(newTrailer);
  });

  it('row 6: a trailer with malformed access bits (00 00 00) is refused', () => {
    const { chip, send } = opened();
    expect(validAccessBits(h('ff 07 80 69'))).toBe(true);
    expect(validAccessBits(h('00 00 00 69'))).toBe(false);
    expect(accessCondition(h('7f 07 88 69'), 3)).toBe(0b011);
    expect(send(AUTH_B(7))).toBe('90 00');
    expect(send(UPDATE(7, `${KEY_A} 00 00 00 69 ${KEY_B}`))).toBe('63 00');
    expect(hx(chip.blocks[7] ?? new Uint8Array())).toBe(hx(trailer(KEY_A, KEY_B)));
  });

  it('row 7: P1 is the block number\'s high byte: block 256 does not exist (no aliasing to block 0)', () => {
    const { send } = opened();
    expect(send(AUTH_A(0))).toBe('90 00');
    expect(send('ff b0 01 00 10')).toBe('63 00');
  });

  it('row 8: READ with Le 04 is refused (a Classic block is 16 bytes)', () => {
    const { send } = opened();
    expect(send(AUTH_A(4))).toBe('90 00');
    expect(send(READ(4, 0x04))).toBe('63 00');
  });

  it('row 9: a multi-block READ: 32 / 48 bytes on an ACR1252U, up to 240 in a large sector; refused on an ACR122U', () => {
    const one = opened('acr122u');
    expect(one.send(AUTH_A(4))).toBe('90 00');
    expect(one.send(READ(4, 0x20))).toBe('63 00');
    const multi = opened('acr1252u');
    expect(multi.send(AUTH_A(4))).toBe('90 00');
    expect(multi.send(READ(4, 0x20))).toBe(`${SIXTEEN('44')} ${SIXTEEN('55')} 90 00`);
    expect(multi.send(READ(4, 0x50))).toBe('63 00'); // five blocks: past the trailer into sector 2
    expect(multi.send(AUTH_A(128))).toBe('90 00');
    const large = h(multi.send(READ(128, 0xf0)));
    expect(large.length).toBe(240 + 2);
    expect(hx(large.subarray(0, 32))).toBe(`${SIXTEEN('80')} ${SIXTEEN('81')}`);
    expect(multi.send(READ(130, 0xf0))).toBe('63 00'); // 130–144: would cross into sector 33
  });

  it('row 10: a multi-block UPDATE (Lc 20) writes two blocks on an ACR1252U; an ACR122U refuses it', () => {
    const one = opened('acr122u');
    expect(one.send(AUTH_B(4))).toBe('90 00');
    expect(one.send(UPDATE(4, `${SIXTEEN('aa')} ${SIXTEEN('bb')}`))).toBe('63 00');
    const multi = opened('acr1252u');
    const written: number[][] = [];
    multi.chip.onWrite = (blocks) => written.push(blocks);
    expect(multi.send(AUTH_B(4))).toBe('90 00');
    expect(multi.send(UPDATE(4, `${SIXTEEN('aa')} ${SIXTEEN('bb')}`))).toBe('90 00');
    expect(written).toEqual([[4, 5]]);
    expect(multi.send(AUTH_A(4))).toBe('90 00');
    expect(multi.send(READ(4, 0x20))).toBe(`${SIXTEEN('aa')} ${SIXTEEN('bb')} 90 00`);
  });

  it('row 11: GET DATA with Le shorter than the UID answers 6C 04', () => {
    expect(card().send('ff ca 00 00 02')).toBe('6c 04');
  });

  it('row 12: GET DATA with Le longer than the UID answers the UID and 62 82', () => {
    expect(card().send('ff ca 00 00 08')).toBe('04 a1 b2 c3 62 82');
    expect(card().send('ff ca 00 00 00')).toBe('04 a1 b2 c3 90 00');
  });

  it('row 13: GET DATA P1 01 (ATS) or 02 on a Classic answers 6A 81 (function not supported)', () => {
    expect(card().send('ff ca 01 00 00')).toBe('6a 81');
    expect(card().send('ff ca 02 00 00')).toBe('6a 81');
  });

  it('row 14: LOAD KEY into a slot other than 00h / 01h answers 63 00', () => {
    expect(card().send(`ff 82 00 05 06 ${KEY_A}`)).toBe('63 00');
  });

  it('row 15: LOAD KEY with P1 20 (non-volatile: reserved on these readers) answers 63 00', () => {
    expect(card().send(`ff 82 20 00 06 ${KEY_A}`)).toBe('63 00');
  });

  it('row 16: LOAD KEY with Lc 05 answers 63 00', () => {
    expect(card().send('ff 82 00 00 05 4b 49 4f 53 4b')).toBe('63 00');
  });

  it('row 17: AUTHENTICATE with key type 62 answers 63 00 (only 60 / 61)', () => {
    const { send } = opened();
    expect(send('ff 86 00 00 05 01 00 04 62 01')).toBe('63 00');
    expect(send(READ(4))).toBe('63 00');
  });

  it('row 18: AUTHENTICATE with version byte 02 answers 63 00', () => {
    expect(opened().send('ff 86 00 00 05 02 00 04 60 00')).toBe('63 00');
  });

  it('row 19: the obsolete AUTHENTICATE FF 88 00 <block> <60|61> <slot> is supported', () => {
    const { send } = opened();
    expect(send('ff 88 00 04 61 01')).toBe('90 00');
    expect(send(READ(4))).toBe(`${SIXTEEN('44')} 90 00`);
    expect(send('ff 88 00 04 60 01')).toBe('63 00'); // key B's key as key A
  });

  it('row 20: a slot never loaded holds FF FF FF FF FF FF (a blank card opens with it)', () => {
    const blank = new Chip({ kind: 'classic4k', uid: UID, session: new ReaderSession() });
    expect(hx(blank.answer(h(AUTH_A(4))))).toBe('90 00');
    expect(hx(card().chip.answer(h(AUTH_A(4))))).toBe('63 00');
  });

  it('row 21: keys stay in the reader across card presences, and cards on one reader share them', () => {
    const session = new ReaderSession();
    const first = new Chip({ kind: 'classic4k', uid: UID, blocks: classicImage(new Map(), KEY_A, KEY_B), session });
    expect(hx(first.answer(h(LOAD_A)))).toBe('90 00');
    first.reset(); // taken away and held again
    expect(hx(first.answer(h(AUTH_A(4))))).toBe('90 00');
    const second = new Chip({ kind: 'classic4k', uid: '11223344', blocks: classicImage(new Map(), KEY_A, KEY_B), session });
    expect(hx(second.answer(h(AUTH_A(4))))).toBe('90 00');
  });

  it('row 22: an ISO command (CLA 00, SELECT) to a Classic answers 6A 81', () => {
    expect(card().send('00 a4 04 00 07 a0 00 00 00 03 10 10 00')).toBe('6a 81');
  });

  it('row 23: the reader answers its firmware version (FF 00 48 00 00) and LED / buzzer control (FF 00 40)', () => {
    expect(h(card('acr122u').send('ff 00 48 00 00')).toString('ascii')).toContain('ACR122U');
    expect(h(card('acr1252u').send('ff 00 48 00 00')).toString('ascii')).toContain('ACR1252U');
    expect(card().send('ff 00 40 0f 04 01 01 01 01')).toBe('90 00');
  });

  it('row 24: a DESFire card\'s ATR carries only the ATS historical bytes: 3B 81 80 01 80 80', () => {
    expect(hx(ATR.desfire)).toBe('3b 81 80 01 80 80');
  });

  it('row 25: an Ultralight answers READ BINARY FF B0 00 04 10 with pages 4–7, no authentication', () => {
    const pages = [new Uint8Array(16), new Uint8Array(16).fill(0x77), new Uint8Array(16), new Uint8Array(16)];
    const ultralight = new Chip({ kind: 'ultralight', uid: '04AABBCCDDEE80', blocks: pages, session: new ReaderSession() });
    expect(hx(ultralight.answer(h('ff b0 00 04 10')))).toBe(`${SIXTEEN('77')} 90 00`);
    expect(hx(ultralight.answer(h('ff ca 00 00 00')))).toBe('04 aa bb cc dd ee 80 90 00');
  });

  it('row 26: an RF error at a chosen APDU answers 63 00 and drops the authentication; a halted card answers 63 00 until reset', () => {
    const { chip, send } = opened();
    expect(send(AUTH_A(4))).toBe('90 00');
    chip.injectRfError(1);
    expect(send(READ(4))).toBe(`${SIXTEEN('44')} 90 00`);
    expect(send(READ(5))).toBe('63 00');
    expect(send(READ(5))).toBe('63 00'); // authentication lost with it
    expect(send(AUTH_A(5))).toBe('90 00');
    expect(send(READ(5))).toBe(`${SIXTEEN('55')} 90 00`);
    chip.injectRfError(0, { halt: true });
    expect(send(READ(5))).toBe('63 00');
    expect(send(AUTH_A(5))).toBe('63 00');
    chip.reset();
    expect(send(AUTH_A(5))).toBe('90 00');
    expect(send(READ(5))).toBe(`${SIXTEEN('55')} 90 00`);
  });
});
