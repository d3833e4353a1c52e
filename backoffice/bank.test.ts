import { describe, expect, it } from 'vitest';
import { parseIban } from './bank.js';

describe('an IBAN as typed', () => {
  it('is kept in electronic format when its country format and checksum hold', () => {
    expect(parseIban('nl91 abna 0417 1643 00')).toEqual({ ok: true, iban: 'NL91ABNA0417164300' });
    expect(parseIban('DE89 3704 0044 0532 0130 00')).toEqual({ ok: true, iban: 'DE89370400440532013000' });
  });
  it('is refused with the reason, never repeating the IBAN', () => {
    expect(parseIban('NL92ABNA0417164300')).toEqual({ ok: false, error: "invalid IBAN: the IBAN's check digits are wrong (a typing error?)" });
    expect(parseIban('NL91ABNA041716430')).toMatchObject({ ok: false, error: expect.stringMatching(/length|format/) });
    expect(parseIban('XX91ABNA0417164300')).toMatchObject({ ok: false, error: expect.stringMatching(/country/) });
    expect(parseIban('')).toMatchObject({ ok: false });
  });
});
