// The live feed's fan-out on its own: one read and one frame per flush for every stream,
// coalesced; a stream whose socket does not drain is skipped (never buffered for without
// bound) and told the head once it drains; a stream stuck for good is closed.
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveFeed, type FeedPage, type LiveFeed } from './live.js';

/** A kiosk's socket: takes writes, and acknowledges them only while `reading`. */
class FakeStream extends Writable {
  readonly received: string[] = [];
  reading = true;
  private held: (() => void)[] = [];
  constructor() {
    super({ highWaterMark: 1024 });
  }
  writeHead(): this {
    return this;
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.received.push(chunk.toString('utf8'));
    if (this.reading) done();
    else this.held.push(() => done());
  }
  read(): void {
    this.reading = true;
    const held = this.held;
    this.held = [];
    for (const done of held) done();
  }
  frames(event: string): string[] {
    return this.received.filter((text) => text.startsWith(`event: ${event}\n`));
  }
}

/** A feed of `head` changes, each about `size` bytes. */
function fakeFeed(size = 500) {
  let head = 0;
  let reads = 0;
  return {
    add(n: number) {
      head += n;
    },
    get reads() {
      return reads;
    },
    head: () => head,
    page(from: number, limit: number): FeedPage {
      reads++;
      const to = Math.min(head, from + limit);
      const changes = Array.from({ length: to - from }, (_, i) => `{"version":${from + i + 1},"pad":"${'x'.repeat(size)}"}`);
      return { json: `{"changes":[${changes.join(',')}],"cursor":"${to}","more":${to < head},"head":"${head}","epoch":"epoch-test"}`, cursor: to, more: to < head };
    },
  };
}

const quiet = pino({ level: 'silent' });
let live: LiveFeed | null = null;
afterEach(async () => {
  await live?.close();
  live = null;
});
const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('the live feed', () => {
  it('coalesces a burst into one read and sends every stream the same frame', async () => {
    const feed = fakeFeed(10);
    live = createLiveFeed({ head: feed.head, page: feed.page, epoch: 'epoch-test', log: quiet, intervalMs: 20 });
    const streams = [new FakeStream(), new FakeStream(), new FakeStream()];
    streams.forEach((s, i) => live?.open(s as unknown as ServerResponse, `k${i}`));
    await settle();
    for (let i = 0; i < 50; i++) {
      feed.add(1);
      live.notify();
    }
    await settle(60);
    expect(feed.reads).toBe(1);
    for (const stream of streams) {
      expect(stream.frames('changes')).toHaveLength(1); // the head notice at open
      const pages = stream.frames('page');
      expect(pages).toHaveLength(1);
      expect(pages[0]).toContain('"from":"0"');
      expect(pages[0]).toContain('"cursor":"50"');
    }
    expect(live.stats()).toMatchObject({ streams: 3, pushed: 50, frames: 1, skipped: 0 });
  });

  it('pushes a backlog past the page limit as consecutive frames', async () => {
    const feed = fakeFeed(10);
    live = createLiveFeed({ head: feed.head, page: feed.page, epoch: 'epoch-test', log: quiet, intervalMs: 1, pageLimit: 100 });
    const stream = new FakeStream();
    live.open(stream as unknown as ServerResponse, 'k1');
    await settle();
    feed.add(250);
    live.notify();
    await settle();
    const pages = stream.frames('page').map((text) => /"from":"(\d+)".*"cursor":"(\d+)"/s.exec(text)?.slice(1));
    expect(pages).toEqual([
      ['0', '100'],
      ['100', '200'],
      ['200', '250'],
    ]);
  });

  it('skips a stream that does not drain, holds little for it, and tells it the head once it reads', async () => {
    const feed = fakeFeed(600);
    live = createLiveFeed({ head: feed.head, page: feed.page, epoch: 'epoch-test', log: quiet, intervalMs: 1, maxBufferedBytes: 64 * 1024 });
    const slow = new FakeStream();
    const fast = new FakeStream();
    live.open(slow as unknown as ServerResponse, 'slow');
    live.open(fast as unknown as ServerResponse, 'fast');
    await settle();
    slow.reading = false;
    for (let i = 0; i < 100; i++) {
      feed.add(20); // ~12 KB a flush, 1.2 MB in all
      live.notify();
      await settle(3);
    }
    await settle();
    const stats = live.stats();
    expect(stats.lagging).toBe(1);
    expect(stats.skipped).toBeGreaterThan(0);
    // Held for the slow one: the cap and one frame past it, not the 1.2 MB pushed.
    expect(slow.writableLength).toBeLessThan(64 * 1024 + 20 * 700);
    // The other stream got everything.
    const last = fast.frames('page').at(-1) ?? '';
    expect(last).toContain(`"cursor":"${feed.head()}"`);
    slow.read();
    await settle();
    expect(live.stats().lagging).toBe(0);
    const notice = slow.frames('changes').at(-1) ?? '';
    expect(notice).toBe(`event: changes\ndata: {"cursor":"${feed.head()}","epoch":"epoch-test"}\n\n`);
    expect(slow.frames('changes')).toHaveLength(2);
  });

  it('closes a stream that has not drained for longer than stuckMs', async () => {
    const feed = fakeFeed(600);
    live = createLiveFeed({ head: feed.head, page: feed.page, epoch: 'epoch-test', log: quiet, intervalMs: 1, maxBufferedBytes: 1024, stuckMs: 50, keepAliveMs: 20 });
    const stuck = new FakeStream();
    live.open(stuck as unknown as ServerResponse, 'stuck');
    await settle();
    stuck.reading = false;
    for (let i = 0; i < 5; i++) {
      feed.add(10);
      live.notify();
      await settle(5);
    }
    await settle(150);
    expect(stuck.destroyed).toBe(true);
    expect(live.stats().streams).toBe(0);
  });
});
