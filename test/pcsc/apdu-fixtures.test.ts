// The recorded APDU fixtures (hardware/pcsc/fixtures/*.apdu) are what the real stack
// exchanges: the worker (in this process, the real nfc-pcsc) talks through pcscd and vpcd
// to the virtual card, every transmit is recorded, and the recording must equal the
// fixture. RECORD_APDU_FIXTURES=1 rewrites the fixtures from the recording instead.
// The unit tests (hardware/pcsc/worker.test.ts) play the same fixtures without pcscd.
// Each fixture is a fresh worker (as each unit test is): the keys are loaded once per
// reader session, so a fixture shows its LOAD KEYs at the start.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { NFC } from 'nfc-pcsc';
import { describe, expect, it } from 'vitest';
import { fixturePath, formatFixture, hex, loadFixture, type Exchange } from '../../hardware/pcsc/testing/apdu-fixture.js';
import { FIXTURE_KEYS, fixtureBlocks, RECORDED_SCENARIOS, type RecordedScenario } from '../../hardware/pcsc/testing/scenarios.js';
import { WorkerDriver } from '../../hardware/pcsc/testing/worker-driver.js';
import { ExclusiveNfc, type ExclusiveReader } from '../../hardware/pcsc/nfc-binding.js';
import { unixPcscdSocket, type NfcBinding } from '../../hardware/pcsc/worker-core.js';
import { classicImage, ReaderSession, VirtualCard } from '../../hardware/virtual-card/virtual-card.js';
import { PCSCD_SOCKET } from '../../scripts/pcscd.mjs';
import { PORT, READER, tapWhenListening } from './pcsc-harness.js';

const RECORD = process.env.RECORD_APDU_FIXTURES === '1';

interface Recording {
  atr: Buffer | null;
  exchanges: Pick<Exchange, 'command' | 'response'>[];
}

/** The real binding, with every transmit of the named reader recorded into `recording`. */
function recordingNfc(recording: Recording): { create: () => NfcBinding; close: () => Promise<void> } {
  let nfc: NFC | null = null;
  let wrapper: ExclusiveNfc | null = null;
  return {
    create: () => {
      const require = createRequire(import.meta.url);
      const binding = require('nfc-pcsc') as { NFC: new () => NFC };
      const raw = new binding.NFC();
      nfc = raw;
      const exclusive = new ExclusiveNfc(raw);
      wrapper = exclusive;
      // Registered before the worker's listeners: the worker sees the recording reader.
      exclusive.on('reader', (wrapped: ExclusiveReader) => {
        if (!wrapped.name.includes(READER)) return;
        const reader = wrapped.inner;
        const reconnect = wrapped.reconnect.bind(wrapped);
        wrapped.reconnect = async () => {
          try {
            await reconnect();
            recording.exchanges.push({ command: 'reconnect', response: 'ok' });
          } catch (error) {
            recording.exchanges.push({ command: 'reconnect', response: 'gone' });
            throw error;
          }
        };
        reader.on('card', (card) => {
          recording.atr = card.atr ?? null;
        });
        const transmit = reader.transmit.bind(reader);
        reader.transmit = async (command, responseMaxLength) => {
          try {
            const response = await transmit(command, responseMaxLength);
            recording.exchanges.push({ command: Buffer.from(command), response: Buffer.from(response) });
            return response;
          } catch (error) {
            recording.exchanges.push({ command: Buffer.from(command), response: 'gone' });
            throw error;
          }
        };
      });
      return exclusive;
    },
    // Each reader has a PC/SC context of its own that a closed NFC leaves running (it would
    // go on connecting to the next scenario's card): closed first.
    close: async () => {
      for (const reader of wrapper?.readers ?? []) await reader.close();
      nfc?.close();
    },
  };
}

function virtualCardFor({ card, reader }: RecordedScenario): VirtualCard {
  const blocks = card.keys ? classicImage(fixtureBlocks(card.layout), card.keys.keyA, card.keys.keyB) : undefined;
  const session = new ReaderSession(reader ?? 'acr122u');
  const virtual = new VirtualCard({ kind: card.kind, uid: card.uid, port: PORT, session, ...(blocks ? { blocks } : {}) });
  if (card.garbage) virtual.answerGarbage(true);
  if (card.tearAfterApdus !== undefined) virtual.tearAfterApdus(card.tearAfterApdus);
  return virtual;
}

const asText = (r: { atr: Buffer | null; exchanges: readonly Pick<Exchange, 'command' | 'response'>[] }) => ({
  atr: r.atr ? hex(r.atr) : null,
  exchanges: r.exchanges.map((e) => {
    const text = (b: Buffer | string) => (typeof b === 'string' ? b : hex(b) || 'empty');
    return `=> ${text(e.command)}  <= ${text(e.response)}`;
  }),
});

describe('the APDU fixtures are what the real PC/SC stack exchanges', () => {
  it.each(RECORDED_SCENARIOS.map((s) => [s.fixture, s] as const))('%s.apdu', async (_name, scenario) => {
    const recording: Recording = { atr: null, exchanges: [] };
    const nfc = recordingNfc(recording);
    const driver = new WorkerDriver({
      config: { readerName: READER, socketPath: PCSCD_SOCKET, multiBlock: scenario.reader === 'acr1252u' },
      createNfc: nfc.create,
      pcscd: unixPcscdSocket,
    });
    await driver.start();
    await driver.waitForState('ready', 10_000);
    const card = virtualCardFor(scenario);
    try {
      const arrived = driver.next(
        (m) => m.type === 'state' && (m.state.status === 'card_present' || m.state.status === 'card_error'),
        8000,
        'the card',
      );
      await tapWhenListening(card);
      await arrived;
      // Our card, whole and steady: every request succeeds (the recording is a conversation that worked).
      const ours = scenario.card.keys?.keyA === FIXTURE_KEYS.keyA && scenario.card.tearAfterApdus === undefined && !scenario.card.garbage;
      for (const step of scenario.steps) {
        const outcome = await driver.step(step);
        if (ours) expect(outcome).toMatchObject({ ok: true });
      }
    } finally {
      await card.remove();
      await driver.waitForState('ready', 8000);
      driver.stop();
      // Out of nfc-pcsc's callback (its binding's mutex is held there) before closing it.
      await new Promise((resolve) => setImmediate(resolve));
      await nfc.close();
    }
    const path = fixturePath(scenario.fixture);
    if (RECORD) {
      writeFileSync(
        path,
        formatFixture(recording, `${scenario.description}\nRecorded from the real stack by test/pcsc/apdu-fixtures.test.ts (RECORD_APDU_FIXTURES=1).`),
      );
      return;
    }
    expect(asText(recording)).toEqual(asText(loadFixture(scenario.fixture)));
  });
});
