// A station kiosk: its configuration file (station.json) says which reader and which back
// office; there is no demo fallback here (the demo is its own entry, demo/).
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { composeKiosk, configFileOf, createKioskLog, type RunningKiosk, type StartOptions } from './compose.js';
import { createTcpPrinter } from '../hardware/escpos-tcp.js';
import { READER_POSITIONS } from '../domain/index.js';
import { createReader, readerConfigSchema } from './reader-factory.js';

/**
 * The receipt printer: ESC/POS over raw TCP (port 9100 on most network thermal printers).
 * Absent: the station has no printer, and no screen speaks of receipts.
 */
export const printerConfigSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('escpos-tcp'),
      host: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address'),
      port: z.number().int().min(1).max(65_535).default(9100),
    })
    .strict(),
]);
export type PrinterConfig = z.infer<typeof printerConfigSchema>;
import { backOfficeConfigSchema } from './sync-wiring.js';

export const stationConfigSchema = z
  .object({
    stationName: z.string().min(1).max(80),
    /** The reader to use: `{ type: 'pcsc', keyA, keyB?, readerName? }`. */
    reader: readerConfigSchema,
    /** Without it a station serves only what its cache holds. */
    backOffice: backOfficeConfigSchema.optional(),
    /** The receipt printer, if the station has one. */
    printer: printerConfigSchema.optional(),
    /** Where the card reader is on the cabinet: the idle screen points there. */
    readerPosition: z.enum(READER_POSITIONS).default('below-screen'),
  })
  .strict();
export type StationConfig = z.infer<typeof stationConfigSchema>;

/** The station configuration in `file`; a clear error naming the file when it is missing or wrong. */
export function loadStationConfig(file: string): StationConfig {
  if (!existsSync(file)) {
    throw new Error(`no station configuration at ${file}: a station kiosk does not start without one (README: Station configuration)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`station configuration ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = stationConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`station configuration ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export async function startStation(options: StartOptions): Promise<RunningKiosk> {
  const config = loadStationConfig(configFileOf(options));
  const kioskLog = createKioskLog(options.log);
  kioskLog.log.info({ station: config.stationName }, 'station mode');
  return composeKiosk(
    { ...options, kioskLog },
    {
      stationName: config.stationName,
      demo: false,
      reader: (log) => createReader(config.reader, log),
      backOffice: config.backOffice,
      readerPosition: config.readerPosition,
      printer: config.printer ? createTcpPrinter({ host: config.printer.host, port: config.printer.port }) : undefined,
    },
  );
}
