// The PC/SC worker without pcscd: PcscWorker over a fake nfc-pcsc whose reader answers from
// recorded APDU fixtures (hardware/pcsc/fixtures/*.apdu). Every test ends by verifying the
// fixtures it played: an APDU the fixture did not expect, or a recorded one never sent,
// fails it. test/pcsc/apdu-fixtures.test.ts checks the recorded fixtures against the real stack.
import { afterEach, describe, expect, it } from 'vitest';
import { layoutV1 } from '../card-layout.js';
import { ATR } from './apdu.js';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_PCSCD_GONE, unixPcscdSocket } from './worker-core.js';
import { FixtureMismatch, loadFixture, parseFixture, type ApduFixture, type ApduPlayer } from './testing/apdu-fixture.js';
import type { FakeReader } from './testing/fake-nfc.js';
import { FIXTURE_IDENTITY, FIXTURE_STATE, FIXTURE_UID, LAYOUT1_BLOCKS, scenario, WRITTEN_BLOCK, WRITTEN_DATA } from './testing/scenarios.js';
import { FakePcscd, WorkerDriver, type StateMessage } from './testing/worker-driver.js';

const READER = 'ACS ACR1252 1S CL Reader [ACR1252 Reader PICC] 00 00';

let driver: WorkerDriver | null = null;
let players: ApduPlayer[] = [];

afterEach(() => {
  driver?.stop();
  driver = null;
  const played = players;
  players = [];
  for (const player of played) player.verify();
});

async function startWorker(options: ConstructorParameters<typeof WorkerDriver>[0] = {}): Promise<{ d: WorkerDriver; reader: FakeReader }> {
  const d = new WorkerDriver(options);
  driver = d;
  await d.start();
  const reader = d.nfc.plug(READER);
  await d.waitForState('ready');
  return { d, reader };
}

/** Holds a card that plays `fixture` to the reader; resolves with the state it led to. */
async function tap(d: WorkerDriver, reader: FakeReader, fixture: string, atr?: Buffer | null): Promise<StateMessage> {
  const reported = d.next(
    (m): m is StateMessage => m.type === 'state' && (m.state.status === 'card_present' || m.state.status === 'card_error'),
    2000,
    'the card',
  );
  players.push(reader.insert(loadFixture(fixture), atr === undefined ? undefined : atr));
  return reported;
}

/** read-layout.apdu without its two LOAD KEYs: a later tap on the same reader (the keys kept in its slots). */
function withoutKeys(): ApduFixture {
  const recorded = loadFixture('read-layout');
  return { ...recorded, name: 'read-layout, keys kept', exchanges: recorded.exchanges.filter((e) => e.command === 'reconnect' || e.command[1] !== 0x82) };
}

/** The player of the last card tapped, taken out of the afterEach check (the test checks it). */
function lastPlayer(): ApduPlayer {
  const player = players.pop();
  if (!player) throw new Error('no card was tapped');
  return player;
}

describe('PcscWorker: our card', () => {
  it('a tap reports the UID, and the layout blocks read as recorded decode to the card', async () => {
    const { d, reader } = await startWorker();
    const state = await tap(d, reader, 'read-layout');
    expect(state).toMatchObject({ state: { status: 'card_present', uid: FIXTURE_UID }, foreign: null, readerName: READER });
    expect(reader.autoProcessing).toBe(false);

    const blocks = new Map<number, Uint8Array>();
    for (const block of LAYOUT1_BLOCKS) {
      const outcome = await d.read(block);
      if (!outcome.ok || !outcome.data) throw new Error(`block ${block}: ${JSON.stringify(outcome)}`);
      blocks.set(block, Buffer.from(outcome.data, 'hex'));
    }
    const card = layoutV1.decode(blocks);
    expect(card.identity).toEqual(FIXTURE_IDENTITY);
    expect(card.state).toMatchObject({ balanceCents: FIXTURE_STATE.balanceCents, sequence: 1 });
  });

  it('requests sent together are answered one after another, in order', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'read-layout');
    // The fake refuses a second transmit while one is in flight.
    const outcomes = await Promise.all(LAYOUT1_BLOCKS.map((block) => d.read(block)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  it('a write authenticates with key B, and the block reads back in that authentication (key B may read where A may)', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'write-block');
    expect(await d.write(WRITTEN_BLOCK, WRITTEN_DATA)).toEqual({ ok: true });
    expect(await d.read(WRITTEN_BLOCK)).toEqual({ ok: true, data: Buffer.from(WRITTEN_DATA).toString('hex') });
  });
});

describe('PcscWorker: the deliveries as hardware/card-io.ts makes them', () => {
  it.each([
    ['delivery', 'ACS ACR122U PICC Interface 00 00', 2],
    ['delivery-acr1252u', READER, 2],
    ['delivery-layout1', 'ACS ACR122U PICC Interface 00 00', 1],
  ] as const)('%s (on %s): every request answered as recorded; the card read decodes in layout %s', async (name, readerName, layout) => {
    const d = new WorkerDriver();
    driver = d;
    await d.start();
    const reader = d.nfc.plug(readerName);
    await d.waitForState('ready');
    await tap(d, reader, name);
    const blocks = new Map<number, Uint8Array>();
    for (const step of scenario(name).steps) {
      const outcome = await d.step(step);
      expect(outcome.ok).toBe(true);
      if (outcome.ok && outcome.data && (step.type === 'read' || step.type === 'readMany')) {
        const bytes = Buffer.from(outcome.data, 'hex');
        for (let i = 0; i * 16 < bytes.length; i++) if (!blocks.has(step.block + i)) blocks.set(step.block + i, bytes.subarray(i * 16, (i + 1) * 16));
      }
    }
    const card = layoutV1.decode(blocks);
    expect(card).toMatchObject({ identity: FIXTURE_IDENTITY, layout });
  });
});

describe('PcscWorker: the keys, once per reader session', () => {
  it('a second tap on the same reader sends no LOAD KEY: the reader keeps its key slots', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'read-layout');
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
    reader.remove();
    await d.waitForState('ready');
    const reported = d.next((m) => m.type === 'state' && m.state.status === 'card_present');
    players.push(reader.insert(withoutKeys()));
    await reported;
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
  });

  it('slots another program overwrote meanwhile: the 63 00 of the first AUTHENTICATE, a reconnect, the keys again', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'read-layout');
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
    reader.remove();
    await d.waitForState('ready');
    const recorded = loadFixture('read-layout');
    const [uid, loadA, loadB, auth, ...rest] = recorded.exchanges;
    if (!uid || !loadA || !loadB || !auth) throw new Error('bad recording');
    const exchanges = [uid, { ...auth, response: Buffer.from([0x63, 0x00]) }, { command: 'reconnect' as const, response: 'ok' as const, line: 0 }, loadA, loadB, auth, ...rest];
    const reported = d.next((m) => m.type === 'state' && m.state.status === 'card_present');
    players.push(reader.insert({ ...recorded, name: 'keys replaced', exchanges }));
    await reported;
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
  });

  it('a new reader (unplugged and plugged again) gets the keys again', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'read-layout');
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
    reader.remove();
    reader.unplug();
    const again = d.nfc.plug(READER);
    await d.waitForState('ready');
    await tap(d, again, 'read-layout');
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
  });
});

describe('PcscWorker: authentication lost', () => {
  it.each([
    ['reauth-6982', 'a READ answered 69 82 (the virtual card)', 0x6982],
    ['reauth-6300', 'a READ answered 63 00 (ACS readers)', 0x6300],
  ])('%s: %s: one reconnect, the keys, authenticate again, and read again', async (fixture, _what, sw) => {
    const { d, reader } = await startWorker();
    await tap(d, reader, fixture);
    expect((await d.read(4)).ok).toBe(true);
    expect(await d.read(5)).toEqual({ ok: true, data: '00'.repeat(16) });
    expect(d.logs('info')).toContain(`reconnecting and authenticating again after READ BINARY 5: status ${sw.toString(16)}`);
  });

  it('reauth-write-6300: an UPDATE answered 63 00: one reconnect, authenticate again with key B, and write again', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'reauth-write-6300');
    expect(await d.write(WRITTEN_BLOCK, WRITTEN_DATA)).toEqual({ ok: true });
  });

  it('reauth-once: a READ still refused after the reconnect is "unsteady" (hold the card still), not a second retry', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'reauth-once');
    await d.read(4);
    expect(await d.read(5)).toEqual({
      ok: false,
      kind: 'unsteady',
      message: 'READ BINARY 5: status 6982 after reconnecting: hold the card still and try again',
    });
  });

  it('reauth-fails: a card that opened with our keys and then fails to authenticate is "unsteady", never foreign', async () => {
    // Was: an I/O failure, which the kiosk shows as "not an OV-chipkaart" — for a genuine
    // card on an ACS reader whose 63 00 was weak RF coupling.
    const { d, reader } = await startWorker();
    await tap(d, reader, 'reauth-fails');
    await d.read(4);
    expect(await d.read(5)).toEqual({
      ok: false,
      kind: 'unsteady',
      message: 'AUTHENTICATE sector 1 with key A: status 6300 after reconnecting: hold the card still and try again',
    });
  });
});

describe('PcscWorker: the card leaves', () => {
  it('card-leaves: no answer to READ BINARY is "gone"; the card then reported gone is a new presence when back', async () => {
    const { d, reader } = await startWorker();
    const first = await tap(d, reader, 'card-leaves');
    expect(await d.read(4)).toEqual({ ok: false, kind: 'gone', message: 'READ BINARY 4: no answer (card left?)' });
    reader.remove();
    await d.waitForState('ready');
    // A request of the presence that ended fails without a word to the reader.
    expect(await d.read(4, first.presence)).toEqual({ ok: false, kind: 'gone', message: 'card left the reader' });

    // The keys are in the reader's slots since the first tap: not loaded again.
    const arrived = d.next((m): m is StateMessage => m.type === 'state' && m.state.status === 'card_present');
    players.push(reader.insert(withoutKeys()));
    const second = await arrived;
    expect(second.presence).toBeGreaterThan(first.presence);
    expect(await d.read(4, first.presence)).toMatchObject({ ok: false, kind: 'gone' });
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block, second.presence)).ok).toBe(true);
  });

  it('card-leaves-transmit-fails: a transmit that fails is "gone", and the reader is empty again', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'card-leaves-transmit-fails');
    const ready = d.next((m) => m.type === 'state' && m.state.status === 'ready');
    expect(await d.read(4)).toEqual({ ok: false, kind: 'gone', message: 'READ BINARY 4: An error occurred while transmitting.' });
    await ready;
    expect(reader.cardPresent).toBe(false);
  });
});

describe('PcscWorker: cards that are not ours', () => {
  it.each([
    ['bank-card', '08A1B2C3', /bank card or DESFire/],
    ['desfire', '04112233445566', /bank card or DESFire/],
    ['ultralight', '04AABBCCDDEE80', /Ultralight/],
    ['classic1k', '5A6B7C8D', /Classic 1K/],
  ])('%s: present with its UID, refused by its ATR without another APDU', async (fixture, uid, why) => {
    const { d, reader } = await startWorker();
    const state = await tap(d, reader, fixture);
    expect(state.state).toEqual({ status: 'card_present', uid });
    expect(state.foreign).toMatch(why);
    expect(await d.read(4)).toMatchObject({ ok: false, kind: 'io', message: expect.stringMatching(why) });
  });

  it('a card without an ATR is taken for an ISO 14443-4 card (foreign)', async () => {
    const { d, reader } = await startWorker();
    const state = await tap(d, reader, 'bank-card', null);
    expect(state.foreign).toMatch(/bank card or DESFire/);
  });

  it('other-keys: a Classic 4K whose sector does not open with our key, twice, is an I/O failure (foreign)', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'other-keys');
    expect(await d.read(4)).toEqual({
      ok: false,
      kind: 'io',
      message: 'AUTHENTICATE sector 1 with key A: status 6300: the sector does not open with the configured keys: not a card of this system',
    });
  });

  it('garbage: a card that answers noise to the UID command is a card error', async () => {
    const { d, reader } = await startWorker();
    const state = await tap(d, reader, 'garbage');
    expect(state.state).toEqual({
      status: 'card_error',
      error: 'the card did not give its number (no status word): take the card away and hold it still against the reader',
    });
  });
});

describe('the fixture player catches the worker straying from the recording', () => {
  it('an unexpected exchange (a command other than the next recorded one) fails verify(), naming the fixture line', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'read-layout');
    const player = lastPlayer();
    // Block 5 first: the worker authenticates with block 05 where the recording has 04.
    expect(await d.read(5)).toMatchObject({ ok: false, kind: 'gone' });
    expect(() => player.verify()).toThrow(FixtureMismatch);
    expect(() => player.verify()).toThrow(
      /read-layout\.apdu:\d+: unexpected exchange: expected => ff 86 00 00 05 01 00 04 60 00 .*, the worker sent => ff 86 00 00 05 01 00 05 60 00/,
    );
  });

  it('an exchange past the end of the recording fails verify()', async () => {
    const { d, reader } = await startWorker();
    const reported = d.next((m) => m.type === 'state' && m.state.status === 'card_present');
    const player = reader.insert(parseFixture('atr 3b 8f 80 01 80 4f 0c a0 00 00 03 06 03 00 02 00 00 00 00 69\n=> ff ca 00 00 00\n<= 04 a1 b2 c3 90 00', 'uid-only'));
    await reported;
    await d.read(4);
    expect(() => player.verify()).toThrow(/uid-only: unexpected exchange after the last one: the worker sent => ff 82 00 00 06/);
  });

  it('recorded exchanges left unplayed fail verify()', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, 'read-layout');
    const player = lastPlayer();
    await d.read(4);
    expect(player.remaining).toBe(18);
    expect(() => player.verify()).toThrow(/read-layout\.apdu:\d+: 18 recorded exchange\(s\) never played, from => ff b0 00 05 10/);
  });
});

describe('PcscWorker: pcscd and readers', () => {
  it('waits for pcscd before constructing nfc-pcsc (which busy-loops without it)', async () => {
    const pcscd = new FakePcscd();
    pcscd.up = false;
    let constructed = 0;
    const d: WorkerDriver = new WorkerDriver({ pcscd, createNfc: () => (constructed++, d.nfc) });
    driver = d;
    const started = d.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(constructed).toBe(0);
    expect(d.state.state).toEqual({ status: 'no_reader' });
    pcscd.up = true;
    await started;
    expect(constructed).toBe(1);
    d.nfc.plug(READER);
    await d.waitForState('ready');
  });

  it(`exits with ${EXIT_PCSCD_GONE} when pcscd's socket is replaced (a pcscd restart), reporting no reader first`, async () => {
    const { d } = await startWorker();
    (d.pcscd as FakePcscd).replace();
    await d.waitForState('no_reader');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(d.exits).toEqual([EXIT_PCSCD_GONE]);
  });

  it(`exits with ${EXIT_PCSCD_GONE} on a PC/SC error of nfc-pcsc`, async () => {
    const { d } = await startWorker();
    d.nfc.fail(new Error('SCardGetStatusChange error: 0x80100017'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(d.exits).toEqual([EXIT_PCSCD_GONE]);
    expect(d.logs('warn').at(-1)).toMatch(/PC\/SC error: SCardGetStatusChange/);
  });

  it('a reader that ends leaves no reader; a reader plugged in later is used', async () => {
    const { d, reader } = await startWorker();
    reader.unplug();
    expect(d.state).toMatchObject({ state: { status: 'no_reader' }, readerName: null });
    d.nfc.plug('ACS ACR122U PICC Interface 01 00');
    expect(d.state).toMatchObject({ state: { status: 'ready' }, readerName: 'ACS ACR122U PICC Interface 01 00' });
  });

  it('uses the first reader whose name contains readerName, and only that one', async () => {
    const d = new WorkerDriver({ config: { readerName: 'PICC' } });
    driver = d;
    await d.start();
    const sam = d.nfc.plug('ACS ACR1252 1S CL Reader [ACR1252 Reader SAM] 00 01');
    expect(d.state.state).toEqual({ status: 'no_reader' });
    const picc = d.nfc.plug(READER);
    d.nfc.plug('Another Reader PICC 02 00');
    expect(d.state).toMatchObject({ state: { status: 'ready' }, readerName: picc.name });
    expect(d.logs('debug')).toEqual([`ignoring reader ${sam.name}`, 'ignoring reader Another Reader PICC 02 00']);
    // A card on an ignored reader is not ours to read.
    sam.emit('card', { atr: ATR.classic4k });
    expect(sam.transmitted).toEqual([]);
  });

  it('a reader error is logged, not thrown', async () => {
    const { d, reader } = await startWorker();
    reader.emit('error', new Error('SCardConnect error'));
    expect(d.logs('warn')).toContain('reader error: SCardConnect error');
    expect(d.state.state).toEqual({ status: 'ready' });
  });

  it('answers a ping with a pong of the same id', async () => {
    const { d } = await startWorker();
    expect(await d.ping()).toEqual({ type: 'pong', id: 1 });
  });

  it("a socket recreated at the same path is a new pcscd, even when the file system reuses the inode (ext4 does)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcscd-identity-'));
    const path = join(dir, 'pcscd.comm');
    const listen = async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(path, resolve));
      return server;
    };
    try {
      const identities = new Set<string | null>();
      for (let i = 0; i < 5; i++) {
        const server = await listen();
        identities.add(unixPcscdSocket.identity(path));
        await new Promise<void>((resolve) => server.close(() => resolve()));
        rmSync(path, { force: true });
      }
      expect(identities.has(null)).toBe(false);
      expect(identities.size).toBe(5);
      expect(unixPcscdSocket.identity(path)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
