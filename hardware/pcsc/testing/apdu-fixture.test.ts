// The fixture format and player on their own: syntax errors name the line, every fixture
// file parses, a recording written by formatFixture reads back the same.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApduPlayer, FIXTURE_DIR, FixtureMismatch, FixtureSyntaxError, formatFixture, loadFixture, parseFixture } from './apdu-fixture.js';
import { RECORDED_SCENARIOS } from './scenarios.js';

describe('APDU fixture files', () => {
  const files = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.apdu'));

  it.each(files)('%s parses and starts with the UID command', (file) => {
    const fixture = loadFixture(file.replace(/\.apdu$/, ''));
    expect(fixture.atr).not.toBeNull();
    expect(fixture.exchanges[0]?.command.toString('hex')).toBe('ffca000000');
  });

  it('every recorded scenario has its fixture file', () => {
    expect(files).toEqual(expect.arrayContaining(RECORDED_SCENARIOS.map((s) => `${s.fixture}.apdu`)));
  });

  it('formatFixture writes what parseFixture reads', () => {
    const recording = {
      atr: Buffer.from('3b8f8001804f0ca0000003060300020000000069', 'hex'),
      exchanges: [
        { command: Buffer.from('ffca000000', 'hex'), response: Buffer.from('04a1b2c39000', 'hex') },
        { command: Buffer.from('ffb0000410', 'hex'), response: Buffer.alloc(0) },
        { command: Buffer.from('ffb0000510', 'hex'), response: 'gone' as const },
      ],
    };
    const parsed = parseFixture(formatFixture(recording, 'a header\nof two lines'), 'round-trip');
    expect(parsed.atr).toEqual(recording.atr);
    expect(parsed.exchanges.map(({ command, response }) => ({ command, response }))).toEqual(recording.exchanges);
  });
});

describe('APDU fixture syntax errors name the line', () => {
  it.each([
    ['=> ff ca 00 00 00\n=> ff ca 00 00 00\n<= 90 00', /x:2: the command of line 1 has no answer/],
    ['<= 90 00', /x:1: an answer without a command/],
    ['=> ff ca 00 00 00', /x:1: the last command has no answer/],
    ['# fine\n=> ff zz', /x:2: not hex bytes/],
    ['=> ff ca 00 00 00\n<= 90 00\natr 3b 00', /x:3: the atr comes first, once/],
    ['ff ca 00 00 00', /x:1: expected "atr …", "=> …" or "<= …"/],
  ])('%j', (text, error) => {
    expect(() => parseFixture(text, 'x')).toThrow(FixtureSyntaxError);
    expect(() => parseFixture(text, 'x')).toThrow(error);
  });
});

describe('ApduPlayer', () => {
  const fixture = parseFixture('=> ff ca 00 00 00\n<= 04 a1 b2 c3 90 00\n=> ff b0 00 04 10\n<= gone', 'two');

  it('answers the recorded exchanges in order, and verify() passes once all are played', () => {
    const player = new ApduPlayer(fixture);
    expect(player.play(Buffer.from('ffca000000', 'hex'))).toEqual(Buffer.from('04a1b2c39000', 'hex'));
    expect(player.play(Buffer.from('ffb0000410', 'hex'))).toBe('gone');
    expect(() => player.verify()).not.toThrow();
  });

  it('throws on a command other than the next recorded one, and verify() keeps failing', () => {
    const player = new ApduPlayer(fixture);
    expect(() => player.play(Buffer.from('ffca000001', 'hex'))).toThrow(FixtureMismatch);
    expect(() => player.verify()).toThrow(/two:1: unexpected exchange: expected => ff ca 00 00 00 \(GET DATA: UID\), the worker sent => ff ca 00 00 01/);
  });
});
