// The live stream (SSE) to the kiosks: the changes themselves, pushed. Every change to the
// feed asks for a flush; flushes are coalesced (at most one per `intervalMs`), read the feed
// once from where the last one ended and write the same bytes to every kiosk's stream. A
// kiosk whose socket does not keep up is not buffered for: its frames are skipped, and once
// the socket drains it is told the head, so it pulls what it missed. The pull stays the way
// to catch up after any gap (docs/sync-protocol.md, "Live stream").
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { LiveEvent } from '../protocol/kiosk-api.js';

/** A page of the changes feed as the store wrote it (JSON), with where it ends. */
export interface FeedPage {
  readonly json: string;
  readonly cursor: number;
  readonly more: boolean;
}

export interface LiveFeedOptions {
  /** The feed's head now. */
  readonly head: () => number | Promise<number>;
  /** The changes after `from`, at most `limit`, as the kiosk API's page (`changesPageSchema`). */
  readonly page: (from: number, limit: number) => FeedPage | Promise<FeedPage>;
  readonly epoch: string;
  readonly log: Logger;
  /**
   * At most one flush per interval: changes made meanwhile go in one frame. By default it
   * follows the fleet: 1 ms per 56 streams, between 1 and 25 ms (100 kiosks: 1.8 ms; 1,400:
   * 25 ms), so the writes stay near 56,000 a second however many kiosks listen.
   */
  readonly intervalMs?: number;
  /** Changes per pushed frame; a larger backlog goes as several frames. Default 500. */
  readonly pageLimit?: number;
  /** Bytes a stream may have waiting in its socket before frames to it are skipped. Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** A stream that has not drained for this long is closed (the kiosk reconnects). Default 60 s. */
  readonly stuckMs?: number;
  /** SSE comment interval that keeps idle connections (and proxies) open. Default 15 s. */
  readonly keepAliveMs?: number;
  readonly now?: () => number;
}

export interface LiveStats {
  readonly streams: number;
  /** Streams whose frames are being skipped until their socket drains. */
  readonly lagging: number;
  /** Bytes waiting in the streams' sockets (Node's side), all streams together. */
  readonly buffered: number;
  /** Where the pushed frames have reached in the feed. */
  readonly pushed: number;
  readonly frames: number;
  readonly skipped: number;
}

export interface LiveFeed {
  /** Takes over an accepted request's response as a kiosk's stream. */
  open(res: ServerResponse, kioskId: string): void;
  /** Something in the feed changed (here or, through the storage engine, in another instance). */
  notify(): void;
  stats(): LiveStats;
  close(): Promise<void>;
}

interface Stream {
  readonly res: ServerResponse;
  readonly kioskId: string;
  lagging: boolean;
  lagSince: number;
}

const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');
/** The default flush interval: 1 ms per this many streams, at most MAX_INTERVAL_MS. */
const STREAMS_PER_MS = 56;
export const MAX_INTERVAL_MS = 25;

/** The head notice: where the feed is; a kiosk elsewhere pulls. */
export function headFrame(event: LiveEvent): Buffer {
  return Buffer.from(`event: changes\ndata: ${JSON.stringify(event)}\n\n`);
}

/** A pushed page: the feed's page after `from`, with `from` in front (no re-serialising). */
export function pageFrame(from: number, page: FeedPage): Buffer {
  if (!page.json.startsWith('{"')) throw new Error('live: a feed page must be a JSON object');
  return Buffer.from(`event: page\ndata: {"from":"${from}",${page.json.slice(1)}\n\n`);
}

export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const { log, epoch } = options;
  const now = options.now ?? Date.now;
  const intervalMs = () => options.intervalMs ?? Math.min(MAX_INTERVAL_MS, Math.max(1, streams.size / STREAMS_PER_MS));
  const pageLimit = options.pageLimit ?? 500;
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const stuckMs = options.stuckMs ?? 60_000;
  const streams = new Set<Stream>();

  let pushed = 0;
  // Frames start where the feed was when the stream opened its door: anything after is pushed.
  const ready = Promise.resolve(options.head()).then((head) => {
    pushed = head;
  });
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;
  let dirty = false;
  let lastFlushAt = -Infinity;
  let closed = false;
  let frames = 0;
  let skipped = 0;

  async function notice(stream: Stream): Promise<void> {
    const frame = headFrame({ cursor: String(await options.head()), epoch });
    if (!stream.res.writableEnded) stream.res.write(frame);
  }

  function send(stream: Stream, frame: Buffer): void {
    if (stream.lagging || stream.res.writableEnded) {
      skipped++;
      return;
    }
    if (stream.res.writableLength > maxBuffered) {
      skipped++;
      stream.lagging = true;
      stream.lagSince = now();
      log.warn({ kioskId: stream.kioskId, buffered: stream.res.writableLength }, 'live stream: kiosk not reading; frames skipped until it drains');
      stream.res.once('drain', () => {
        stream.lagging = false;
        log.info({ kioskId: stream.kioskId }, 'live stream: kiosk reading again; told the head to pull what it missed');
        void notice(stream).catch((error: unknown) => log.error({ err: error }, 'live stream: head notice failed'));
      });
      return;
    }
    stream.res.write(frame);
  }

  async function flush(): Promise<void> {
    await ready;
    for (;;) {
      const from = pushed;
      const page = await options.page(from, pageLimit);
      if (page.cursor <= from) return;
      const frame = pageFrame(from, page);
      pushed = page.cursor;
      frames++;
      for (const stream of streams) send(stream, frame);
      if (!page.more) return;
    }
  }

  function schedule(): void {
    if (closed || timer || flushing) return;
    const wait = Math.max(0, lastFlushAt + intervalMs() - now());
    timer = setTimeout(() => {
      timer = null;
      dirty = false;
      lastFlushAt = now();
      flushing = flush()
        .catch((error: unknown) => log.error({ err: error }, 'live stream: pushing changes failed; kiosks catch up by pulling'))
        .finally(() => {
          flushing = null;
          if (dirty) schedule();
        });
    }, wait);
  }

  const keepAlive = setInterval(() => {
    const at = now();
    for (const stream of streams) {
      if (stream.lagging && at - stream.lagSince > stuckMs) {
        log.warn({ kioskId: stream.kioskId, lagMs: at - stream.lagSince }, 'live stream: kiosk stuck; stream closed (it reconnects and pulls)');
        stream.res.destroy();
        streams.delete(stream);
      } else if (!stream.lagging) stream.res.write(KEEP_ALIVE);
    }
  }, options.keepAliveMs ?? 15_000);
  keepAlive.unref();

  return {
    open(res, kioskId) {
      // Closing: a kiosk that reconnects now is told to come back later, not held open (the
      // server's close would wait for it for ever: a taken-over response is not its to end).
      if (closed) {
        res.writeHead(503, { 'retry-after': '1', connection: 'close' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const stream: Stream = { res, kioskId, lagging: false, lagSince: 0 };
      streams.add(stream);
      res.on('close', () => streams.delete(stream));
      void notice(stream).catch((error: unknown) => log.error({ err: error }, 'live stream: head notice failed'));
    },
    notify() {
      dirty = true;
      schedule();
    },
    stats: () => ({
      streams: streams.size,
      lagging: [...streams].filter((s) => s.lagging).length,
      buffered: [...streams].reduce((sum, s) => sum + s.res.writableLength, 0),
      pushed,
      frames,
      skipped,
    }),
    async close() {
      closed = true;
      clearInterval(keepAlive);
      if (timer) clearTimeout(timer);
      timer = null;
      await flushing;
      for (const stream of streams) stream.res.end();
      streams.clear();
    },
  };
}
