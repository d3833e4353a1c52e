// A second PC/SC client on the kiosk's reader — the one deliberate exception to "one client
// per reader". It does what made taps fail before the worker held the card exclusively: it
// connects whenever it can, loads another operator's keys into the reader's (shared) key
// slots, tries to authenticate, and disconnects with a reset. Every kiosk tap must end
// correct (the menu, the right card) or as a reader fault / "hold the card still" — never
// as a foreign card — and a delivery made meanwhile lands once or not at all.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPcscKiosk, READER, type PcscKiosk } from './pcsc-harness.js';

interface Counts {
  connects: number;
  refused: number;
  apdus: number;
}

/** The other program (intrusive-client.mjs), in its own process. */
class IntrusiveClient {
  private readonly child: ChildProcess;
  readonly ready: Promise<void>;

  constructor(disposition: 'reset' | 'unpower') {
    this.child = fork(join(import.meta.dirname, 'intrusive-client.mjs'), [READER, disposition], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve) => this.child.once('message', () => resolve()));
  }

  /** Stops it; what it did. */
  async stop(): Promise<Counts> {
    const counts = new Promise<Counts>((resolve) => {
      this.child.once('message', (m) => resolve(m as Counts));
      this.child.once('exit', () => resolve({ connects: -1, refused: -1, apdus: -1 }));
    });
    this.child.send('stop');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    const result = await counts;
    clearTimeout(timer);
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
    return result;
  }
}

let k: PcscKiosk | null = null;
let other: IntrusiveClient | null = null;
afterEach(async () => {
  await other?.stop();
  other = null;
  await k?.close();
  k = null;
});

describe('a second PC/SC client on the kiosk reader', () => {
  it.each(['reset', 'unpower'] as const)(
    'loading other keys and disconnecting with %s: each tap is read correctly or a reader fault, never a foreign card',
    async (disposition) => {
      k = await startPcscKiosk();
      other = new IntrusiveClient(disposition);
      await other.ready;
      const outcomes = new Map<string, number>();
      const count = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
      for (let i = 0; i < 8; i++) {
        await k.tap('anna');
        const view = await k.waitFor(['menu', 'unknownCard'], 10_000);
        expect(view.screen).not.toMatchObject({ reason: 'foreignCard' });
        if (view.screen.name === 'menu') count('menu');
        else {
          // The other program had the card first: a reader fault ("hold it still") — and
          // once it lets go, the worker connects and the same card is read.
          expect(view.screen).toMatchObject({ reason: 'unreadable' });
          const then = await k.waitFor('menu', 5000).catch(() => null);
          count(then ? 'reader fault, then menu' : 'reader fault');
        }
        await k.remove('anna');
        // Taken away at the menu: "Kaart weggenomen" for a few seconds (a tap ends it), or idle.
        await k.waitFor(['idle', 'cardRemoved']);
      }
      const counts = await other.stop();
      other = null;
      // The attack really ran: the other client got the card at some taps, or was refused.
      expect(counts.connects + counts.refused).toBeGreaterThan(0);
      expect(outcomes.get('menu') ?? 0).toBeGreaterThan(0);
      process.stdout.write(
        `[second client, ${disposition}] ${JSON.stringify(Object.fromEntries(outcomes))}; it connected ${counts.connects}×, was refused ${counts.refused}×, sent ${counts.apdus} APDUs\n`,
      );
    },
  );

  it('while the kiosk has the card, another program that connects to it is refused (sharing violation)', async () => {
    k = await startPcscKiosk();
    await k.tap('anna');
    await k.waitFor('menu', 10_000);
    const probe = fork(join(import.meta.dirname, 'intrusive-client.mjs'), [READER, 'probe'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const answer = await new Promise<unknown>((resolve) => probe.on('message', (m) => m !== 'ready' && resolve(m)));
    probe.kill();
    expect(answer).toMatchObject({ probe: expect.stringMatching(/Sharing violation|0x8010000b/i) });
  });

  it('a top-up picked up while the other client tries: on the card once or not at all, as the kiosk says', async () => {
    k = await startPcscKiosk();
    other = new IntrusiveClient('reset');
    await other.ready;
    const before = k.decode('anna').state.balanceCents;
    await k.tap('anna');
    await k.waitFor('menu', 10_000);
    k.press({ type: 'PICKUP' });
    await k.waitFor('orders');
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-topup' });
    await k.waitFor('confirm');
    k.press({ type: 'CONFIRM' });
    const done = await k.waitFor(['delivered', 'interrupted'], 15_000);
    const after = k.decode('anna').state.balanceCents;
    if (done.screen.name === 'delivered') expect(after).toBe(before + 2000);
    else expect([before, before + 2000]).toContain(after);
    expect(k.decode('anna').state.sequence).toBeGreaterThanOrEqual(1);
  });
});
