// Chooses a station's card reader at start-up, in one place: the station configuration's
// `reader` section. (The demo's simulated reader is chosen by demo/, never here: a
// station build contains no simulated reader.)
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CardReader } from '../hardware/card-reader.js';
import { PcscReader } from '../hardware/pcsc/pcsc-reader.js';

const mifareKey = z.string().regex(/^[0-9a-fA-F]{12}$/, 'a MIFARE key is 12 hex digits');

export const readerConfigSchema = z.discriminatedUnion('type', [
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
export type PcscReaderConfig = Extract<ReaderConfig, { type: 'pcsc' }>;

export function createReader(config: ReaderConfig, log: Logger): CardReader {
  switch (config.type) {
    case 'pcsc':
      return new PcscReader({
        keyA: config.keyA,
        keyB: config.keyB,
        readerName: config.readerName,
        log: log.child({ component: 'reader' }),
      });
    default: {
      const unreachable: never = config.type;
      throw new Error(`unknown reader ${JSON.stringify(unreachable)}`);
    }
  }
}
