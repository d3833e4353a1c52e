// The PC/SC worker when the hardware misbehaves as real readers do, replayed from recorded
// exchanges (hardware/pcsc/fixtures/*.apdu) over the fake nfc-pcsc: another program
// holding the reader, a reset by another program, an ACS reader's 63 00 (RF error or
// authentication lost) at every APDU of a delivery. The rule: a card of ours is read
// correctly or reported "unsteady" (hold it still and try again), never "foreign".
import { afterEach, describe, expect, it } from 'vitest';
import { apdu } from './apdu.js';
import { loadFixture, parseFixture, type ApduFixture, type ApduPlayer, type Exchange } from './testing/apdu-fixture.js';
import type { FakeReader } from './testing/fake-nfc.js';
import { FIXTURE_KEYS, FIXTURE_UID, LAYOUT1_BLOCKS, scenario, type Step } from './testing/scenarios.js';
import { WorkerDriver, type StateMessage } from './testing/worker-driver.js';
import { READER_IN_USE_MESSAGE } from './worker-core.js';

const READER = 'ACS ACR1252 1S CL Reader [ACR1252 Reader PICC] 00 00';
const OK = Buffer.from([0x90, 0x00]);
const RF_ERROR = Buffer.from([0x63, 0x00]);

let driver: WorkerDriver | null = null;
let players: ApduPlayer[] = [];

afterEach(() => {
  driver?.stop();
  driver = null;
  const played = players;
  players = [];
  for (const player of played) player.verify();
});

async function startWorker(): Promise<{ d: WorkerDriver; reader: FakeReader }> {
  const d = new WorkerDriver();
  driver = d;
  await d.start();
  const reader = d.nfc.plug(READER);
  await d.waitForState('ready');
  return { d, reader };
}

function reported(d: WorkerDriver): Promise<StateMessage> {
  return d.next(
    (m): m is StateMessage => m.type === 'state' && (m.state.status === 'card_present' || m.state.status === 'card_error'),
    2000,
    'the card',
  );
}

async function tap(d: WorkerDriver, reader: FakeReader, fixture: ApduFixture): Promise<StateMessage> {
  const state = reported(d);
  players.push(reader.insert(fixture));
  return state;
}

async function remove(d: WorkerDriver, reader: FakeReader): Promise<void> {
  const ready = d.waitForState('ready');
  reader.remove();
  await ready;
}

const fixture = (name: string, exchanges: readonly Exchange[], atr: Buffer | null): ApduFixture => ({ name, atr, exchanges });
const ex = (command: Buffer | 'reconnect', response: Exchange['response']): Exchange => ({ command, response, line: 0 });

/** How many READ / UPDATE BINARY a request makes on this reader: a run is one on an ACR1252U. */
function dataApdus(step: Step, multiBlock: boolean): number {
  if (step.type === 'read' || step.type === 'write') return 1;
  if (multiBlock) return 1;
  return step.type === 'readMany' ? step.count : step.data.length;
}

const isData = (e: Exchange) => e.command !== 'reconnect' && (e.command[1] === 0xb0 || e.command[1] === 0xd6);

/** The recorded exchanges of each request: its LOAD KEYs and AUTHENTICATE, then its READs or UPDATEs. */
function byRequest(recorded: ApduFixture, steps: readonly Step[], multiBlock: boolean): Exchange[][] {
  const [, ...rest] = recorded.exchanges; // the UID, at the tap
  const groups: Exchange[][] = [];
  let at = 0;
  for (const step of steps) {
    const group: Exchange[] = [];
    for (let left = dataApdus(step, multiBlock); left > 0; at++) {
      const exchange = rest[at];
      if (!exchange) throw new Error(`${recorded.name}: the recording ends inside request ${groups.length}`);
      group.push(exchange);
      if (isData(exchange)) left--;
    }
    groups.push(group);
  }
  if (at !== rest.length) throw new Error(`${recorded.name}: ${rest.length - at} exchanges after the last request`);
  return groups;
}

/** What the worker must send after a 63 00 in a request: one reconnect, both keys, authenticate, the request's
 * READs or UPDATEs again from its first. */
function recovery(step: Step, group: readonly Exchange[]): Exchange[] {
  const keyType = step.type === 'read' || step.type === 'readMany' ? 'A' : 'B';
  return [
    ex('reconnect', 'ok'),
    ex(apdu.loadKey(0, Buffer.from(FIXTURE_KEYS.keyA, 'hex')), OK),
    ex(apdu.loadKey(1, Buffer.from(FIXTURE_KEYS.keyB, 'hex')), OK),
    ex(apdu.authenticate(step.block, keyType, keyType === 'A' ? 0 : 1), OK),
    ...group.filter(isData),
  ];
}

/** The data a read request answers, from its recorded READs. */
function answered(group: readonly Exchange[]): string | undefined {
  const data = group.filter(isData).map((e) => (Buffer.isBuffer(e.response) && e.response.length > 2 ? e.response.subarray(0, -2) : null));
  if (data.some((d) => d === null)) return undefined;
  return Buffer.concat(data as Buffer[]).toString('hex');
}

const DELIVERIES = [
  // fixture, reader (multi-block by the name "ACR1252"), APDUs of the recording
  { fixture: 'delivery', readerName: 'ACS ACR122U PICC Interface 00 00', multiBlock: false, apdus: 32 },
  { fixture: 'delivery-acr1252u', readerName: READER, multiBlock: true, apdus: 9 },
  { fixture: 'delivery-layout1', readerName: 'ACS ACR122U PICC Interface 00 00', multiBlock: false, apdus: 43 },
] as const;

describe.each(DELIVERIES)('63 00 (an ACS reader: RF error or authentication lost) at each APDU of $fixture.apdu', ({ fixture: name, readerName, multiBlock, apdus }) => {
  const recorded = loadFixture(name);
  const steps = scenario(name).steps;
  const groups = byRequest(recorded, steps, multiBlock);
  const uid = recorded.exchanges[0];
  if (!uid) throw new Error(`${name}.apdu is empty`);
  const points = groups.flatMap((group, r) => group.map((_, k) => ({ r, k })));

  async function startOn(): Promise<{ d: WorkerDriver; reader: FakeReader }> {
    const d = new WorkerDriver();
    driver = d;
    await d.start();
    const reader = d.nfc.plug(readerName);
    await d.waitForState('ready');
    return { d, reader };
  }

  it(`the recording is one delivery: ${apdus} APDUs in ${steps.length} requests, as card-io makes it`, () => {
    expect(recorded.exchanges).toHaveLength(apdus);
    expect(groups).toHaveLength(steps.length);
  });

  it.each(points)('request $r, APDU $k: one reconnect, then the delivery completes with the same data', async ({ r, k }) => {
    const group = groups[r] ?? [];
    const step = steps[r];
    const failing = group[k];
    if (!step || !failing) throw new Error('bad recording');
    const exchanges = [
      uid,
      ...groups.slice(0, r).flat(),
      ...group.slice(0, k),
      ex(failing.command, RF_ERROR),
      ...recovery(step, group),
      ...groups.slice(r + 1).flat(),
    ];
    const { d, reader } = await startOn();
    await tap(d, reader, fixture(`${name}, 63 00 at request ${r} APDU ${k}`, exchanges, recorded.atr));
    for (const [i, request] of steps.entries()) {
      const data = request.type === 'read' || request.type === 'readMany' ? answered(groups[i] ?? []) : undefined;
      expect(await d.step(request)).toEqual(data ? { ok: true, data } : { ok: true });
    }
  });

  it.each(points)('request $r, APDU $k, and 63 00 again after the reconnect: "unsteady", never foreign', async ({ r, k }) => {
    const group = groups[r] ?? [];
    const step = steps[r];
    const failing = group[k];
    if (!step || !failing) throw new Error('bad recording');
    // The second failure at the renewed authentication, or at the READ / UPDATE when that failed.
    const again = recovery(step, group);
    const at = isData(failing) ? 4 : 3;
    const exchanges = [
      uid,
      ...groups.slice(0, r).flat(),
      ...group.slice(0, k),
      ex(failing.command, RF_ERROR),
      ...again.slice(0, at),
      ex(again[at]?.command ?? 'reconnect', RF_ERROR),
    ];
    const { d, reader } = await startOn();
    await tap(d, reader, fixture(`${name}, 63 00 twice at request ${r}`, exchanges, recorded.atr));
    for (const request of steps.slice(0, r)) expect((await d.step(request)).ok).toBe(true);
    const outcome = await d.step(step);
    // Only before the card ever opened (its first LOAD KEYs and AUTHENTICATE) may it be "not ours".
    const opened = r > 0 || group.slice(0, k).some((e) => e.command !== 'reconnect' && e.command[1] === 0x86);
    expect(outcome).toMatchObject({ ok: false, kind: opened ? 'unsteady' : expect.stringMatching(/^(unsteady|io)$/) });
    if (opened) expect(outcome).toMatchObject({ message: expect.stringMatching(/hold the card still and try again$/) });
  });
});

describe('a card of ours whose first authentication fails', () => {
  /** `keys`: the first tap of the reader session (the LOAD KEYs come first). */
  const failsTwice = (uidHex: string, keys = true) =>
    parseFixture(
      [
        'atr 3b 8f 80 01 80 4f 0c a0 00 00 03 06 03 00 02 00 00 00 00 69',
        '=> ff ca 00 00 00',
        `<= ${uidHex} 90 00`,
        ...(keys ? ['=> ff 82 00 00 06 4b 49 4f 53 4b 41', '<= 90 00', '=> ff 82 00 01 06 4b 49 4f 53 4b 42', '<= 90 00'] : []),
        '=> ff 86 00 00 05 01 00 04 60 00',
        '<= 63 00',
        '=> reconnect',
        '<= ok',
        '=> ff 82 00 00 06 4b 49 4f 53 4b 41',
        '<= 90 00',
        '=> ff 82 00 01 06 4b 49 4f 53 4b 42',
        '<= 90 00',
        '=> ff 86 00 00 05 01 00 04 60 00',
        '<= 63 00',
      ].join('\n'),
      'first-auth-fails',
    );

  it('a UID that opened with our keys at an earlier tap is "unsteady" (hold it still), not foreign', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, loadFixture('read-layout'));
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
    await remove(d, reader);
    await tap(d, reader, failsTwice('04 a1 b2 c3', false));
    expect(await d.read(4)).toMatchObject({ ok: false, kind: 'unsteady' });
  });

  it('a UID never seen to open is foreign (the keys do not fit)', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, failsTwice('04 a1 b2 ff'));
    expect(await d.read(4)).toMatchObject({ ok: false, kind: 'io', message: expect.stringMatching(/not a card of this system$/) });
  });
});

describe('another program on the same reader', () => {
  it('holding the card when it arrives: a reader fault (readerInUse) until it lets go, then the card is read', async () => {
    const { d, reader } = await startWorker();
    const fault = d.next((m): m is StateMessage => m.type === 'state' && m.state.status === 'card_error');
    reader.insertHeld(loadFixture('read-layout'));
    expect((await fault).state).toEqual({ status: 'card_error', error: READER_IN_USE_MESSAGE, fault: 'readerInUse' });
    // The worker keeps trying; a request meanwhile is not answered as a foreign card.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reader.refusedConnects).toBeGreaterThan(0);
    expect(await d.read(4)).toMatchObject({ ok: false, kind: 'gone' });
    const present = d.next((m): m is StateMessage => m.type === 'state' && m.state.status === 'card_present');
    const player = reader.release();
    if (player) players.push(player);
    expect((await present).state).toEqual({ status: 'card_present', uid: FIXTURE_UID });
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
    expect(d.logs('warn').filter((m) => m.startsWith(READER_IN_USE_MESSAGE))).toHaveLength(1);
  });

  it('a card another program held first: the keys are loaded again (it may have put its own in the slots)', async () => {
    const { d, reader } = await startWorker();
    await tap(d, reader, loadFixture('read-layout'));
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
    await remove(d, reader);
    const fault = d.next((m) => m.type === 'state' && m.state.status === 'card_error');
    reader.insertHeld(loadFixture('read-layout')); // with its LOAD KEYs
    await fault;
    const present = d.next((m) => m.type === 'state' && m.state.status === 'card_present');
    const player = reader.release();
    if (player) players.push(player);
    await present;
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
  });

  it('holding the card until it leaves: back to ready, and the worker stops trying', async () => {
    const { d, reader } = await startWorker();
    const fault = d.next((m) => m.type === 'state' && m.state.status === 'card_error');
    reader.insertHeld(loadFixture('read-layout'));
    await fault;
    await remove(d, reader);
    const refused = reader.refusedConnects;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reader.refusedConnects).toBe(refused);
    expect(d.state.state).toEqual({ status: 'ready' });
  });

  it('a reset by another program between two APDUs: a fresh connection, the keys, and the read goes on', async () => {
    const recorded = loadFixture('read-layout');
    const [uid, loadA, loadB, auth, read4, read5, ...rest] = recorded.exchanges;
    if (!uid || !loadA || !loadB || !auth || !read4 || !read5) throw new Error('bad recording');
    const auth5 = ex(apdu.authenticate(5, 'A', 0), OK);
    const exchanges = [uid, loadA, loadB, auth, read4, ex(read5.command, 'reset'), ex('reconnect', 'ok'), loadA, loadB, auth5, read5, ...rest];
    const { d, reader } = await startWorker();
    await tap(d, reader, fixture('reset-by-another', exchanges, recorded.atr));
    for (const block of LAYOUT1_BLOCKS) expect((await d.read(block)).ok).toBe(true);
    expect(d.logs('info').some((m) => /the card was reset/.test(m))).toBe(true);
  });

  it('a reconnect that finds the card gone is "gone"', async () => {
    const recorded = loadFixture('read-layout');
    const [uid, loadA, loadB, auth, read4] = recorded.exchanges;
    if (!uid || !loadA || !loadB || !auth || !read4) throw new Error('bad recording');
    const exchanges = [uid, loadA, loadB, auth, ex(read4.command, RF_ERROR), ex('reconnect', 'gone')];
    const { d, reader } = await startWorker();
    await tap(d, reader, fixture('reconnect-gone', exchanges, recorded.atr));
    expect(await d.read(4)).toMatchObject({ ok: false, kind: 'gone' });
  });
});

describe('several blocks per READ BINARY (ACR1252U)', () => {
  /** read-layout.apdu with each sector's three READs made one READ of 48 bytes. */
  function multiBlockLayout(): ApduFixture {
    const recorded = loadFixture('read-layout');
    const exchanges: Exchange[] = [];
    let run: { first: number; data: Buffer[] } | null = null;
    const flush = () => {
      if (!run) return;
      exchanges.push(ex(apdu.readBinary(run.first, 16 * run.data.length), Buffer.concat([...run.data, OK])));
      run = null;
    };
    for (const exchange of recorded.exchanges) {
      const command = exchange.command;
      if (command !== 'reconnect' && command[1] === 0xb0 && Buffer.isBuffer(exchange.response)) {
        const block = command[3] ?? 0;
        run ??= { first: block, data: [] };
        run.data.push(exchange.response.subarray(0, -2));
        continue;
      }
      flush();
      exchanges.push(exchange);
    }
    flush();
    return fixture('read-layout, multi-block', exchanges, recorded.atr);
  }

  it('the layout in 13 APDUs instead of 23: one READ of 48 bytes per sector', async () => {
    const { d, reader } = await startWorker(); // an "ACR1252" reader: multi-block by its name
    const multi = multiBlockLayout();
    expect(multi.exchanges.length).toBe(13);
    await tap(d, reader, multi);
    const single = loadFixture('read-layout');
    const expected = (block: number) => {
      const answer = single.exchanges.find((e) => e.command !== 'reconnect' && e.command[1] === 0xb0 && e.command[3] === block)?.response;
      return Buffer.isBuffer(answer) ? answer.subarray(0, -2).toString('hex') : '';
    };
    for (const first of [4, 8, 12, 16, 20]) {
      expect(await d.readMany(first, 3)).toEqual({ ok: true, data: [first, first + 1, first + 2].map(expected).join('') });
    }
  });

  it('on a reader without it, the same request is read block by block (the recorded 23 APDUs)', async () => {
    const d = new WorkerDriver();
    driver = d;
    await d.start();
    const reader = d.nfc.plug('ACS ACR122U PICC Interface 00 00');
    await d.waitForState('ready');
    await tap(d, reader, loadFixture('read-layout'));
    for (const first of [4, 8, 12, 16, 20]) expect((await d.readMany(first, 3)).ok).toBe(true);
  });

  it('blocks that are not in one sector are refused without a word to the card', async () => {
    const { d, reader } = await startWorker();
    const recorded = loadFixture('read-layout');
    await tap(d, reader, fixture('uid only', recorded.exchanges.slice(0, 1), recorded.atr));
    expect(await d.readMany(6, 3)).toMatchObject({ ok: false, kind: 'io', message: 'blocks 6–8 are not in one sector' });
  });
});
