// The demo kiosk: an embedded back office seeded with the demo orders, the demo cards in a
// wallet file, and the simulated reader driven by the developer dock (or, with
// KIOSK_READER=pcsc, the real PC/SC path with the demo keys). Chosen explicitly: the
// station entry never falls back to it, and a station build contains none of it.
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import { layoutV1 } from '../hardware/card-layout.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { composeKiosk, createKioskLog, type RunningKiosk, type StartOptions } from '../kiosk/compose.js';
import { createReader } from '../kiosk/reader-factory.js';
import { startEmbeddedBackOffice } from './backoffice.js';
import { addDemoSealKeys, demoWallet } from './cards.js';
import { createDevChannel } from './dev-channel.js';
import { demoPcscConfig } from './reader.js';
import { SimulatedWallet } from './wallet.js';
import { createTcpPrinter } from '../hardware/escpos-tcp.js';
import { startVirtualPrinter } from './virtual-printer.js';

/**
 * What a developer reads in the terminal: one readable line per log line (time, level,
 * message, then the fields), unless LOG_FORMAT=json asks for what a station writes.
 */
function developerConsole(): DestinationStream {
  if (process.env.LOG_FORMAT === 'json') return process.stdout;
  return pretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
}

export async function startDemo(options: Omit<StartOptions, 'configFile'>): Promise<RunningKiosk> {
  const kioskLog = createKioskLog(options.log, developerConsole());
  const now = options.now ?? (() => new Date());
  const backOffice = await startEmbeddedBackOffice({ dataDir: options.dataDir, log: kioskLog.log, now });
  const pcsc = demoPcscConfig();
  const { wallet } = SimulatedWallet.open(join(options.dataDir, 'demo-cards.json'), () => demoWallet(layoutV1));
  if (addDemoSealKeys(wallet.list(), layoutV1)) wallet.save();
  // The gate simulator writes the same file: the cards not on the reader are taken from it before each save.
  const simulated: SimulatedReader = new SimulatedReader({
    name: 'Simulated reader (demo)',
    onWrite: (card) => {
      wallet.refresh(card);
      wallet.save();
    },
  });
  // A virtual ESC/POS printer on 127.0.0.1, reached over raw TCP like a station's; the dock shows its receipts.
  const printer = await startVirtualPrinter();
  // The developer dock drives the simulated reader; with a real reader there is no dock.
  const devChannel = pcsc
    ? undefined
    : createDevChannel({ reader: simulated, wallet, printer, log: kioskLog.log.child({ component: 'dev-dock' }) });
  try {
    const running = await composeKiosk(
      { ...options, kioskLog },
      {
        stationName: 'Demo',
        demo: true,
        reader: (log) => (pcsc ? createReader(pcsc, log) : simulated),
        backOffice: backOffice.config,
        syncFirst: true,
        printer: createTcpPrinter({ host: printer.host, port: printer.port }),
        printerPollMs: 2_000,
        ...(devChannel ? { devChannel } : {}),
        onStop: async () => {
          devChannel?.close();
          await printer.close();
          await backOffice.close();
        },
      },
    );
    running.log.info({ dataDir: options.dataDir, reader: pcsc ? 'pcsc' : simulated.name }, 'demo mode: demo cards, embedded back office');
    return running;
  } catch (error) {
    devChannel?.close();
    await printer.close();
    await backOffice.close();
    throw error;
  }
}
