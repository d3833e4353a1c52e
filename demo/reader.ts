// The demo's card reader: the simulated reader driven by the developer dock, or —
// KIOSK_READER=pcsc — the real PC/SC path with the demo cards' keys (cards tapped with
// `npm run card -- tap <card>`).
import type { PcscReaderConfig } from '../kiosk/reader-factory.js';

/** The keys of the demo cards that `npm run card` taps (demo only: a station has its own). */
export const DEMO_PCSC_READER: PcscReaderConfig = {
  type: 'pcsc',
  keyA: '4b494f534b41',
  keyB: '4b494f534b42',
};

/** KIOSK_READER=pcsc: demo orders and cards, but read over PC/SC; null otherwise. */
export function demoPcscConfig(env: NodeJS.ProcessEnv = process.env): PcscReaderConfig | null {
  if (env.KIOSK_READER !== 'pcsc') return null;
  return { ...DEMO_PCSC_READER, ...(env.KIOSK_PCSC_READER ? { readerName: env.KIOSK_PCSC_READER } : {}) };
}
