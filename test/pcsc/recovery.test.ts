// The kiosk survives what happens to the PC/SC stack without being restarted: pcscd not
// running at start, pcscd killed and restarted mid-session, the worker crashing or
// hanging. Each time it must be back in service within 5 s of the reader returning.
import { afterEach, describe, expect, it } from 'vitest';
import { ownedPcscd, startOwnedPcscd, stopOwnedPcscd } from './pcscd-control.js';
import { startPcscKiosk, waitForReader, type PcscKiosk } from './pcsc-harness.js';

const BACK_IN_SERVICE_MS = 5000;
const owned = ownedPcscd() !== null;
const times: Record<string, number> = {};

let k: PcscKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
  if (owned) await startOwnedPcscd();
});

async function backInService(kiosk: PcscKiosk, label: string, since: number): Promise<void> {
  await waitForReader(kiosk.reader, (s) => s.status === 'ready', BACK_IN_SERVICE_MS + 1000, 'the reader to return');
  await kiosk.waitFor('idle');
  times[label] = Date.now() - since;
  expect(times[label]).toBeLessThan(BACK_IN_SERVICE_MS);
  await kiosk.tap('anna');
  await kiosk.waitFor('menu');
}

describe.skipIf(!owned)('recovery of the PC/SC reader (pcscd started by the tests)', () => {
  it('pcscd not running when the kiosk starts: out of service, then in service once pcscd is up', async () => {
    await stopOwnedPcscd();
    k = await startPcscKiosk({}, { waitForReady: false });
    await k.waitFor('outOfService');
    // The worker waits for pcscd's socket instead of spinning inside nfc-pcsc.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(k.reader.state().status).toBe('no_reader');
    expect(k.reader.workerStarts).toBe(1);
    await startOwnedPcscd();
    await backInService(k, 'pcscd started after the kiosk', Date.now());
  });

  it('pcscd killed mid-session and restarted: out of service, then in service with a fresh worker', async () => {
    k = await startPcscKiosk();
    await k.tap('anna');
    await k.waitFor('menu');
    const startsBefore = k.reader.workerStarts;
    await stopOwnedPcscd('SIGKILL');
    await k.waitFor('outOfService');
    await startOwnedPcscd();
    const restarted = Date.now();
    await backInService(k, 'pcscd killed and restarted', restarted);
    expect(k.reader.workerStarts).toBeGreaterThan(startsBefore);
  });

  it('pcscd stopped cleanly (like a reader unplugged) and started again', async () => {
    k = await startPcscKiosk();
    await stopOwnedPcscd('SIGTERM');
    await k.waitFor('outOfService');
    await startOwnedPcscd();
    await backInService(k, 'pcscd stopped and started', Date.now());
  });

  it('the worker crashes: a fresh one takes over', async () => {
    k = await startPcscKiosk();
    const pid = k.reader.workerPid();
    if (!pid) throw new Error('no worker');
    const crashed = Date.now();
    process.kill(pid, 'SIGKILL');
    await waitForReader(k.reader, (s) => s.status === 'no_reader');
    await backInService(k, 'worker crashed (SIGKILL)', crashed);
  });

  it('the worker hangs: the watchdog kills it and a fresh one takes over', async () => {
    k = await startPcscKiosk();
    const pid = k.reader.workerPid();
    if (!pid) throw new Error('no worker');
    const hung = Date.now();
    process.kill(pid, 'SIGSTOP');
    await waitForReader(k.reader, (s) => s.status === 'no_reader', 5000, 'the watchdog');
    await backInService(k, 'worker hung (SIGSTOP), watchdog', hung);
    expect(k.reader.workerPid()).not.toBe(pid);
  });

  it('reports the recovery times', () => {
    process.stdout.write(`[pcsc] recovery times (ms): ${JSON.stringify(times)}\n`);
    expect(Object.keys(times).length).toBeGreaterThan(0);
  });
});
