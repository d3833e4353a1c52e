// The live stream (SSE) cannot make the kiosk buffer without bound: a frame that never
// ends is dropped at the frame cap and the stream is opened again.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyncClient, DEFAULT_MAX_FRAME_BYTES, type SyncClient } from '../../sync/client.js';
import { spyLogger, useTempFiles } from '../../store/test-helpers.js';
import { eventually } from './helpers.js';

const files = useTempFiles();

/** A "back office" whose live stream sends one frame that never ends (data without a blank line). */
async function endlessFrameServer(): Promise<{ url: string; connections: { bytes: number; closed: boolean }[]; close(): Promise<void> }> {
  const connections: { bytes: number; closed: boolean }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/v1/kiosk/events')) {
      res.writeHead(503).end();
      return;
    }
    const connection = { bytes: 0, closed: false };
    connections.push(connection);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('event: changes\ndata: ');
    const chunk = 'x'.repeat(16 * 1024);
    const timer = setInterval(() => {
      // at most 64 MiB per connection, in case the client never gives up
      if (connection.bytes > 64 * 1024 * 1024) return;
      res.write(chunk);
      connection.bytes += chunk.length;
    }, 1);
    res.on('close', () => {
      connection.closed = true;
      clearInterval(timer);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let client: SyncClient | null = null;
afterEach(async () => {
  await client?.stop();
  client = null;
});

describe('the live stream', () => {
  it('drops a frame that grows past the cap without ending, and reconnects', async () => {
    const office = await endlessFrameServer();
    const log = spyLogger();
    try {
      client = createSyncClient({
        baseUrl: office.url,
        token: 'k1-token',
        store: files.open(),
        logger: log,
        requestTimeoutMs: 1_000,
        backoff: { baseMs: 5, maxMs: 10 },
        pollIntervalMs: 3_600_000,
        outboxIntervalMs: 3_600_000,
      });
      client.start();
      await eventually(() => office.connections.length >= 3 && office.connections[0]?.closed, 5_000, 'three connections, the first dropped');
      // The kiosk let go near the cap (2 MiB), not megabytes later.
      const first = office.connections[0]?.bytes ?? Infinity;
      expect(first).toBeGreaterThan(DEFAULT_MAX_FRAME_BYTES);
      expect(first).toBeLessThan(DEFAULT_MAX_FRAME_BYTES + 1024 * 1024);
      expect(log.entries.some((e) => e.level === 'warn' && String(e.obj['err'] ?? '').includes('frame over'))).toBe(true);
    } finally {
      await client?.stop();
      await office.close();
    }
  });
});
