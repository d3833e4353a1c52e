// The kiosk's client for the journey routes (POST /v1/kiosk/journeys, /v1/kiosk/claims):
// a back office that answers gets its answer believed only when it fits the protocol and
// is about the journeys asked; one that is down, slow or lying is a typed failure
// (KioskFailure with a BackOfficeFailure code), never a crash and never a wrong screen.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { spyLogger, useTempFiles } from '../store/test-helpers.js';
import { startFakeClaimsOffice, noDelayKnown, type FakeClaimsOffice } from '../test/fake-claims-office.js';
import { KioskFailure, journeyId, type CardJourney } from '../domain/index.js';
import { createSyncClient, type SyncClient } from './client.js';

const files = useTempFiles();
const CARD = '3528010012345678';
const delayed: CardJourney = {
  checkIn: { station: 'utrecht-centraal', at: '2026-11-20T08:02:00.000Z' },
  checkOut: { station: 'amsterdam-centraal', at: '2026-11-20T09:10:00.000Z' },
  chargedCents: 890,
};
const forgotten: CardJourney = { checkIn: { station: 'zwolle', at: '2026-11-18T17:00:00.000Z' }, checkOut: null, chargedCents: 2000 };

let office: FakeClaimsOffice | null = null;
let client: SyncClient | null = null;
afterEach(async () => {
  await client?.stop();
  await office?.close();
  client = office = null;
});

function clientFor(url: string, token: string, timeoutMs = 5_000): SyncClient {
  client = createSyncClient({ baseUrl: url, token, store: files.open(), logger: spyLogger(), live: false, interactiveTimeoutMs: timeoutMs });
  return client;
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KioskFailure);
    return (error as KioskFailure).code;
  }
  throw new Error('resolved, but a failure was expected');
}

async function downUrl(): Promise<string> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${String(port)}`;
}

describe('assessJourneys', () => {
  it('sends the card number and its journeys, and returns the assessment of each', async () => {
    office = await startFakeClaimsOffice({
      assess: (j) =>
        j.checkOut === null
          ? { ...noDelayKnown(j), status: 'eligible', kind: 'forgottenCheckOut', reason: null }
          : { ...noDelayKnown(j), status: 'eligible', kind: 'delay', delayMinutes: 42, amountCents: 445, reason: null },
    });
    const assessed = await clientFor(office.url, office.token).assessJourneys(CARD, [delayed, forgotten]);
    expect(office.journeysRequests).toEqual([{ cardNumber: CARD, journeys: [delayed, forgotten] }]);
    expect(assessed.map((a) => [a.journeyId, a.status, a.kind, a.amountCents])).toEqual([
      [journeyId(delayed), 'eligible', 'delay', 445],
      [journeyId(forgotten), 'eligible', 'forgottenCheckOut', null],
    ]);
  });

  it('a back office that is down: unreachable', async () => {
    expect(await failureOf(clientFor(await downUrl(), 'some-token-0123456789').assessJourneys(CARD, [delayed]))).toBe('unreachable');
  });

  it('a back office that does not answer: timeout, within the interactive timeout', async () => {
    office = await startFakeClaimsOffice({});
    office.misbehave.journeys = { kind: 'hang' };
    const started = Date.now();
    expect(await failureOf(clientFor(office.url, office.token, 300).assessJourneys(CARD, [delayed]))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it.each([
    ['a server error', { kind: 'status', status: 500 } as const, 'unreachable'],
    ['a refused token', { kind: 'status', status: 401 } as const, 'invalidAnswer'],
    ['a 400', { kind: 'status', status: 400 } as const, 'invalidAnswer'],
    ['no JSON', { kind: 'notJson' } as const, 'invalidAnswer'],
    ['a body that fails the schema', { kind: 'body', body: { journeys: [{ journeyId: delayed.checkIn.at, status: 'rich' }] } } as const, 'invalidAnswer'],
  ])('%s: %s', async (_name, misbehaviour, code) => {
    office = await startFakeClaimsOffice({});
    office.misbehave.journeys = misbehaviour;
    expect(await failureOf(clientFor(office.url, office.token).assessJourneys(CARD, [delayed]))).toBe(code);
  });

  it('an answer about other journeys than asked (one left out, one added, one twice) is not believed', async () => {
    office = await startFakeClaimsOffice({});
    const other = { ...noDelayKnown(forgotten), journeyId: '2026-01-01T00:00:00.000Z' };
    for (const journeys of [[noDelayKnown(delayed)], [noDelayKnown(delayed), noDelayKnown(forgotten), other], [noDelayKnown(delayed), noDelayKnown(delayed)], [noDelayKnown(delayed), other]]) {
      office.misbehave.journeys = { kind: 'body', body: { journeys } };
      expect(await failureOf(clientFor(office.url, office.token).assessJourneys(CARD, [delayed, forgotten]))).toBe('invalidAnswer');
      await client?.stop();
    }
  });

  it('an assessment that contradicts itself is not believed (eligible without a kind or amount, a forgotten check-out on a completed journey, waiting without a date, nothing without a reason)', async () => {
    office = await startFakeClaimsOffice({});
    const base = noDelayKnown(delayed);
    for (const lie of [
      { ...base, status: 'eligible', reason: null },
      { ...base, status: 'eligible', kind: 'delay', reason: null },
      { ...base, status: 'eligible', kind: 'forgottenCheckOut', reason: null },
      { ...base, status: 'waiting', reason: null },
      { ...base, reason: null },
    ]) {
      office.misbehave.journeys = { kind: 'body', body: { journeys: [lie] } };
      expect(await failureOf(clientFor(office.url, office.token).assessJourneys(CARD, [delayed])), JSON.stringify(lie)).toBe('invalidAnswer');
      await client?.stop();
    }
  });

  it('no journeys on the card: nothing to ask, no request', async () => {
    office = await startFakeClaimsOffice({});
    expect(await clientFor(office.url, office.token).assessJourneys(CARD, [])).toEqual([]);
    expect(office.journeysRequests).toEqual([]);
  });
});

describe('claim', () => {
  it('sends the claim and returns what it got', async () => {
    office = await startFakeClaimsOffice({ claim: () => ({ status: 'granted', orderId: 'refund-1', amountCents: 445 }) });
    const result = await clientFor(office.url, office.token).claim({ cardNumber: CARD, journey: delayed, kind: 'delay' });
    expect(result).toEqual({ status: 'granted', orderId: 'refund-1', amountCents: 445 });
    expect(office.claimRequests).toEqual([{ cardNumber: CARD, journey: delayed, kind: 'delay' }]);
  });

  it('a forgotten check-out names its destination', async () => {
    office = await startFakeClaimsOffice({ claim: () => ({ status: 'waiting', decisionAfter: '2026-11-27T00:00:00.000Z' }) });
    await clientFor(office.url, office.token).claim({ cardNumber: CARD, journey: forgotten, kind: 'forgottenCheckOut', destination: 'amsterdam-centraal' });
    expect(office.claimRequests[0]?.destination).toBe('amsterdam-centraal');
  });

  it.each([
    ['down', null, 'unreachable'],
    ['slow', { kind: 'hang' } as const, 'timeout'],
    ['a server error', { kind: 'status', status: 503 } as const, 'unreachable'],
    ['a lie: granted with no order', { kind: 'body', body: { status: 'granted', amountCents: 445 } } as const, 'invalidAnswer'],
    ['a lie: granted nothing', { kind: 'body', body: { status: 'granted', orderId: 'r-1', amountCents: 0 } } as const, 'invalidAnswer'],
    ['a lie: an unknown status', { kind: 'body', body: { status: 'maybe' } } as const, 'invalidAnswer'],
  ])('%s', async (name, misbehaviour, code) => {
    office = await startFakeClaimsOffice({});
    const url = name === 'down' ? await downUrl() : office.url;
    office.misbehave.claims = misbehaviour;
    expect(await failureOf(clientFor(url, office.token, 300).claim({ cardNumber: CARD, journey: delayed, kind: 'delay' }))).toBe(code);
  });
});
