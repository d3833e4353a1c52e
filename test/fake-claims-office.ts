// A small fake back office for the two journey routes of the kiosk API (POST
// /v1/kiosk/journeys and /v1/kiosk/claims), on 127.0.0.1, following the contract strictly:
// every request is parsed with the protocol's request schema (a request that does not fit
// is answered 400), every answer is typed by its response schema and checked with it before
// it goes. The rules it applies are the test's (`assess`, `claim`); the real server is the
// back office's. `misbehave` makes it lie, hang or fail for the attacks on the client.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  claimRequestSchema,
  claimResultSchema,
  journeysRequestSchema,
  journeysResponseSchema,
  KIOSK_API,
  type ClaimRequest,
  type ClaimResult,
  type JourneyAssessment,
  type JourneysRequest,
} from '../protocol/kiosk-api.js';
import { journeyId, type CardJourney } from '../domain/index.js';

export type Misbehaviour =
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  | { kind: 'status'; status: number }
  /** Answers this body as it is, whatever the schema says. */
  | { kind: 'body'; body: unknown }
  | { kind: 'notJson' };

export interface FakeClaimsOffice {
  readonly url: string;
  readonly token: string;
  readonly journeysRequests: JourneysRequest[];
  readonly claimRequests: ClaimRequest[];
  /** Per route, what goes wrong (null: behaves). */
  misbehave: { journeys: Misbehaviour | null; claims: Misbehaviour | null };
  close(): Promise<void>;
}

/** The assessment of a journey nobody said anything about: no delay known. */
export function noDelayKnown(journey: CardJourney): JourneyAssessment {
  return {
    journeyId: journeyId(journey),
    status: 'none',
    kind: null,
    delayMinutes: null,
    amountCents: null,
    reason: 'noDelayKnown',
    decisionAfter: null,
    orderId: null,
  };
}

export async function startFakeClaimsOffice(rules: {
  token?: string;
  assess?: (journey: CardJourney, cardNumber: string) => JourneyAssessment;
  claim?: (request: ClaimRequest) => ClaimResult;
}): Promise<FakeClaimsOffice> {
  const token = rules.token ?? 'fake-claims-office-token-0123456789';
  const journeysRequests: JourneysRequest[] = [];
  const claimRequests: ClaimRequest[] = [];
  const sockets = new Set<Socket>();
  const office: FakeClaimsOffice = {
    url: '',
    token,
    journeysRequests,
    claimRequests,
    misbehave: { journeys: null, claims: null },
    close: async () => undefined,
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || (req.url !== KIOSK_API.journeys && req.url !== KIOSK_API.claims)) return send(res, 404, { error: 'not found' });
      if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: 'unauthorized' });
      const route = req.url === KIOSK_API.journeys ? 'journeys' : 'claims';
      const wrong = office.misbehave[route];
      if (wrong?.kind === 'hang') return;
      if (wrong?.kind === 'status') return send(res, wrong.status, { error: 'injected' });
      if (wrong?.kind === 'notJson') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"journeys": [');
      }
      let json: unknown;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400, { error: 'not JSON' });
      }
      if (route === 'journeys') {
        const parsed = journeysRequestSchema.safeParse(json);
        if (!parsed.success) return send(res, 400, { error: 'invalid request' });
        journeysRequests.push(parsed.data);
        if (wrong?.kind === 'body') return send(res, 200, wrong.body);
        const assess = rules.assess ?? noDelayKnown;
        const answer = journeysResponseSchema.parse({ journeys: parsed.data.journeys.map((j) => assess(j, parsed.data.cardNumber)) });
        return send(res, 200, answer);
      }
      const parsed = claimRequestSchema.safeParse(json);
      if (!parsed.success) return send(res, 400, { error: 'invalid request' });
      claimRequests.push(parsed.data);
      if (wrong?.kind === 'body') return send(res, 200, wrong.body);
      const claim = rules.claim ?? ((): ClaimResult => ({ status: 'refused', reason: 'noDelayKnown' }));
      return send(res, 200, claimResultSchema.parse(claim(parsed.data)));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(office, {
    url: `http://127.0.0.1:${String(port)}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
