// Chooses the card reader at start-up, in one place: the station configuration's
// `reader` section, or — in demo mode — KIOSK_READER=pcsc for the real PC/SC path with
// demo keys (cards tapped with `npm run card -- tap <card>`).
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CardReader } from '../hardware/card-reader.js';
import { PcscReader } from '../hardware/pcsc/pcsc-reader.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';

const mifareKey = z.string().regex(/^[0-9a-fA-F]{12}$/, 'a MIFARE key is 12 hex digits');

export const readerConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('simulated') }).strict(),
  z
    .object({
      type: z.literal('pcsc'),
      /** The first PC/SC reader whose name contains this; the first reader when absent. */
      readerName: z.string().min(1).optional(),
      /** Key A of the layout's sectors (reading); the operator's secret, never in the code. */
      keyA: mifareKey,
      /** Key B (writing), when the cards are issued with one. */
      keyB: mifareKey.optional(),
    })
    .strict(),
]);
export type ReaderConfig = z.infer<typeof readerConfigSchema>;

/** The keys of the demo cards that `npm run card` taps (demo only: a station has its own). */
export const DEMO_PCSC_READER: Extract<ReaderConfig, { type: 'pcsc' }> = {
  type: 'pcsc',
  keyA: '4b494f534b41',
  keyB: '4b494f534b42',
};

/** KIOSK_READER=pcsc in demo mode: demo orders and cards, but read over PC/SC; null otherwise. */
export function demoPcscConfig(env: NodeJS.ProcessEnv = process.env): Extract<ReaderConfig, { type: 'pcsc' }> | null {
  if (env.KIOSK_READER !== 'pcsc') return null;
  return { ...DEMO_PCSC_READER, ...(env.KIOSK_PCSC_READER ? { readerName: env.KIOSK_PCSC_READER } : {}) };
}

export function createReader(config: ReaderConfig, log: Logger): CardReader {
  switch (config.type) {
    case 'simulated':
      return new SimulatedReader({ name: 'Simulated reader' });
    case 'pcsc':
      return new PcscReader({
        keyA: config.keyA,
        keyB: config.keyB,
        readerName: config.readerName,
        log: log.child({ component: 'reader' }),
      });
    default: {
      const unreachable: never = config;
      throw new Error(`unknown reader ${JSON.stringify(unreachable)}`);
    }
  }
}
