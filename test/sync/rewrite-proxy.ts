// A man in the middle for the sync tests (issue 11): forwards everything to the back office
// and lets `rewrite` change every changes page on its way back to the kiosk.
import { createServer, type Server } from 'node:http';
import type { OrderChange } from '../../protocol/kiosk-api.js';

export interface RewriteProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startRewriteProxy(target: string, rewrite: (changes: OrderChange[]) => OrderChange[]): Promise<RewriteProxy> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const upstream = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      let body = Buffer.from(await upstream.arrayBuffer());
      if (req.url?.startsWith('/v1/kiosk/changes') && upstream.status === 200) {
        const page = JSON.parse(body.toString('utf8')) as { changes: OrderChange[] };
        page.changes = rewrite(page.changes);
        body = Buffer.from(JSON.stringify(page));
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
