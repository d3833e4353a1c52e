import { describe, expect, it } from 'vitest';
import { EscPosDecoder, imageShows, qrCodeIn, rasterise, type PrintedLine } from '../demo/virtual-printer.js';
import { CODE_ENTRY_URL, type OfferedOrder } from '../domain/index.js';
import { encodeReceipt, literal, receiptDocument, type ReceiptInput } from './receipt.js';

const codeOrder: OfferedOrder = { id: 'o-code', kind: 'kaartservicecode', orderedAt: '2026-11-30T10:00:00Z', expiresAt: null };
const topupOrder: OfferedOrder = { id: 'o-topup', kind: 'topup', amountCents: 2000, orderedAt: '2026-11-30T10:00:00Z', expiresAt: null };

const input = (over: Partial<ReceiptInput> = {}): ReceiptInput => ({
  stationName: 'Utrecht Centraal',
  at: new Date('2026-12-01T14:05:00Z'),
  cardNumber: '3528012345675678',
  language: 'nl',
  timeZone: 'Europe/Amsterdam',
  items: [{ order: codeOrder, outcome: { kind: 'kaartservicecode', code: '4821-9034-7713' } }],
  ...over,
});

/** What a printer makes of the bytes: its lines, as the virtual printer decodes them. */
function printed(bytes: Uint8Array): { lines: readonly PrintedLine[]; cut: boolean; answers: number } {
  let result: { lines: readonly PrintedLine[]; cut: boolean } = { lines: [], cut: false };
  let answers = 0;
  const decoder = new EscPosDecoder({
    answer: () => answers++,
    receipt: (lines, cut) => (result = { lines, cut }),
    printing: () => true,
    condition: () => 'ready',
  });
  decoder.push(bytes);
  decoder.end();
  return { ...result, answers };
}

describe('the receipt in ESC/POS', () => {
  it('prints the code, the masked card number, the station, the time and the order, then cuts', () => {
    const { lines, cut, answers } = printed(encodeReceipt(input()));
    const text = lines.map((line) => line.text.replace(/ {2,}/g, '  ').trim());
    expect(text).toContain('O n t v a n g s t b e w i j s');
    expect(text).toContain('Station  Utrecht Centraal');
    expect(text).toContain('Datum en tijd  01-12-2026, 15:05');
    expect(text).toContain('OV-chipkaart  **** **** **** 5678');
    expect(text).toContain('Kaartservicecode');
    // Large (double width and height), on one line.
    const code = lines.flatMap((line) => line.runs).find((run) => run.text === '4821-9034-7713');
    expect(code).toMatchObject({ width: 2, height: 2, bold: true });
    expect(text.join('\n')).not.toContain('3528012345675678');
    expect(cut).toBe(true);
    // GS r 1 at the end: the printer answers once everything is printed.
    expect(answers).toBe(1);
  });

  it('the rendered image shows the code, and not another one', () => {
    const { lines } = printed(encodeReceipt(input()));
    const png = rasterise(lines);
    expect(imageShows(png, '4821-9034-7713', { width: 2, height: 2, bold: true })).toBe(true);
    expect(imageShows(png, '4821-9034-7714', { width: 2, height: 2, bold: true })).toBe(false);
  });

  it('is written in the traveller’s language, with every order of an "Alles ophalen"', () => {
    const items = [
      { order: topupOrder, outcome: { kind: 'topup', amountCents: 2000, balanceCents: 4550 } } as const,
      { order: codeOrder, outcome: { kind: 'kaartservicecode', code: '4821-9034-7713' } } as const,
    ];
    const de = printed(encodeReceipt(input({ language: 'de', items }))).lines.map((line) => line.text).join('\n');
    expect(de).toContain('B e l e g');
    expect(de).toContain('Bahnhof');
    expect(de).toContain('Guthaben aufgeladen');
    expect(de).toMatch(/Neues Guthaben +45,50\s€/);
    expect(de).toContain('4 8 2 1');
    const fr = printed(encodeReceipt(input({ language: 'fr' }))).lines.map((line) => line.text).join('\n');
    // cp437/cp858 bytes decoded back: the accents survive the printer.
    expect(fr).toContain('R e ç u');
    expect(fr).toContain('Conservez ce reçu.');
  });

  it('prints markup characters in a station name literally', () => {
    expect(receiptDocument(input({ stationName: 'A|B {x} ^"-' }))).toContain(literal('A|B {x} ^"-'));
    const text = printed(encodeReceipt(input({ stationName: 'A|B_{x}' }))).lines.map((line) => line.text).join('\n');
    expect(text).toContain('A|B_{x}');
  });
});

describe('the QR code on the receipt', () => {
  it('a kaartservicecode’s receipt carries a QR code to the page where the code is entered, and the code is not in it', () => {
    const png = rasterise(printed(encodeReceipt(input())).lines);
    expect(qrCodeIn(png)).toBe(CODE_ENTRY_URL);
    // Nothing secret in it: only the address.
    expect(qrCodeIn(png)).not.toContain('4821');
    // The text around it is still printed where it was.
    expect(imageShows(png, '4821-9034-7713', { width: 2, height: 2, bold: true })).toBe(true);
  });

  it('a receipt without a kaartservicecode has no QR code', () => {
    const items = [{ order: topupOrder, outcome: { kind: 'topup', amountCents: 2000, balanceCents: 4550 } } as const];
    const png = rasterise(printed(encodeReceipt(input({ items }))).lines);
    expect(qrCodeIn(png)).toBeNull();
  });
});
