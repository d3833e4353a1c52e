// The recorded APDU fixtures (hardware/pcsc/fixtures/*.apdu) are what the real stack
// exchanges: the worker (in this process, the real nfc-pcsc) talks through pcscd and vpcd
// to the virtual card, every transmit is recorded, and the recording must equal the
// fixture. RECORD_APDU_FIXTURES=1 rewrites the fixtures from the recording instead.
// The unit tests (hardware/pcsc/worker.test.ts) play the same fixtures without pcscd.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { NFC } from 'nfc-pcsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCardBlocks, layoutV1 } from '../../hardware/card-layout.js';
import { fixturePath, formatFixture, hex, loadFixture, type Exchange } from '../../hardware/pcsc/testing/apdu-fixture.js';
import { FIXTURE_IDENTITY, FIXTURE_STATE, RECORDED_SCENARIOS, type RecordedScenario } from '../../hardware/pcsc/testing/scenarios.js';
import { WorkerDriver } from '../../hardware/pcsc/testing/worker-driver.js';
import { ExclusiveNfc, type ExclusiveReader } from '../../hardware/pcsc/nfc-binding.js';
import { unixPcscdSocket, type NfcBinding } from '../../hardware/pcsc/worker-core.js';
import { classicImage, VirtualCard } from '../../hardware/virtual-card/virtual-card.js';
import { PCSCD_SOCKET } from '../../scripts/pcscd.mjs';
import { PORT, READER, tapWhenListening } from './pcsc-harness.js';

const RECORD = process.env.RECORD_APDU_FIXTURES === '1';

interface Recording {
  atr: Buffer | null;
  exchanges: Pick<Exchange, 'command' | 'response'>[];
}

/** The real binding, with every transmit of the named reader recorded into `recording`. */
function recordingNfc(recording: Recording): { create: () => NfcBinding; close: () => void } {
  let nfc: NFC | null = null;
  return {
    create: () => {
      const require = createRequire(import.meta.url);
      const binding = require('nfc-pcsc') as { NFC: new () => NFC };
      const raw = new binding.NFC();
      nfc = raw;
      const exclusive = new ExclusiveNfc(raw);
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
    close: () => nfc?.close(),
  };
}

function virtualCardFor(card: RecordedScenario['card']): VirtualCard {
  const blocks = card.keys ? classicImage(issueCardBlocks(layoutV1, FIXTURE_IDENTITY, FIXTURE_STATE), card.keys.keyA, card.keys.keyB) : undefined;
  const virtual = new VirtualCard({ kind: card.kind, uid: card.uid, port: PORT, ...(blocks ? { blocks } : {}) });
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

const recording: Recording = { atr: null, exchanges: [] };
const nfc = recordingNfc(recording);
const driver = new WorkerDriver({
  config: { readerName: READER, socketPath: PCSCD_SOCKET },
  createNfc: nfc.create,
  pcscd: unixPcscdSocket,
});

beforeAll(async () => {
  await driver.start();
  await driver.waitForState('ready', 10_000);
});

afterAll(() => {
  driver.stop();
  nfc.close();
});

describe('the APDU fixtures are what the real PC/SC stack exchanges', () => {
  it.each(RECORDED_SCENARIOS.map((s) => [s.fixture, s] as const))('%s.apdu', async (_name, scenario) => {
    recording.atr = null;
    recording.exchanges = [];
    const card = virtualCardFor(scenario.card);
    try {
      const arrived = driver.next(
        (m) => m.type === 'state' && (m.state.status === 'card_present' || m.state.status === 'card_error'),
        8000,
        'the card',
      );
      await tapWhenListening(card);
      await arrived;
      for (const step of scenario.steps) {
        if (step.type === 'read') await driver.read(step.block);
        else await driver.write(step.block, step.data);
      }
    } finally {
      await card.remove();
      await driver.waitForState('ready', 8000);
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
