// The identity record's seal key (docs/card-layout.md, "Seal key"): 16 bytes of the record's
// reserved bytes, written at issue; the record stays 48 bytes under its CRC. All zero: a card
// without one (every card issued before).
import { describe, expect, it } from 'vitest';
import { SEAL_KEY_BYTES as SEALED_WITH } from '../protocol/kiosk-api.js';
import { layoutV1, SEAL_KEY_BYTES, type CardIdentity } from './card-layout.js';

const identity: CardIdentity = { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' };
const state = { sequence: 1, balanceCents: 0, products: [null, null, null, null], journal: [] };

function decode(blocks: Map<number, Uint8Array>) {
  return layoutV1.decode(new Map([...blocks, ...layoutV1.encodeState(state, 'A')])).identity;
}

describe('the seal key in the identity record', () => {
  it('is written into the reserved bytes and read back; the record keeps its size and CRC', () => {
    const sealKey = Uint8Array.from({ length: SEAL_KEY_BYTES }, (_, i) => i + 1);
    const blocks = layoutV1.encodeIdentity({ ...identity, sealKey });
    const bytes = Buffer.concat([...blocks.values()]);
    expect(bytes).toHaveLength(48);
    expect([...bytes.subarray(16, 32)]).toEqual([...sealKey]);
    expect([...bytes.subarray(32, 44)]).toEqual(new Array(12).fill(0));
    expect(decode(blocks)).toEqual({ ...identity, sealKey });
  });

  it('all zero is a card without one, as every card issued before', () => {
    const decoded = decode(layoutV1.encodeIdentity(identity));
    expect(decoded.sealKey).toBeUndefined();
    expect(decoded).toEqual(identity);
  });

  it('a changed key byte fails the CRC: the card is corrupt, not another key', () => {
    const blocks = layoutV1.encodeIdentity({ ...identity, sealKey: new Uint8Array(SEAL_KEY_BYTES).fill(9) });
    const [first] = [...blocks.keys()].slice(1);
    const block = Uint8Array.from(blocks.get(first!)!);
    block[0] = (block[0] ?? 0) ^ 1; // byte 16 of the record
    blocks.set(first!, block);
    expect(() => decode(blocks)).toThrow(/checksum/);
  });

  it('holds a key of the size the back office seals with', () => {
    expect(SEAL_KEY_BYTES).toBe(SEALED_WITH);
  });

  it('refuses a key of another length', () => {
    expect(() => layoutV1.encodeIdentity({ ...identity, sealKey: new Uint8Array(8) })).toThrow(RangeError);
  });
});
