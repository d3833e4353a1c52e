// A station kiosk: its configuration file (station.json) says which reader and which back
// office; there is no demo fallback here (the demo is its own entry, demo/).
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { CONFIG_TYPES, type ConfigIssue, type ConfigType, type Fault, type FaultDetail } from '../domain/index.js';
import { composeKiosk, configFileOf, createKioskLog, type RunningKiosk, type StartOptions } from './compose.js';
import { createDevicePrinter } from '../hardware/escpos-device.js';
import { createTcpPrinter } from '../hardware/escpos-tcp.js';
import type { ReceiptPrinter } from '../hardware/receipt-printer.js';
import { READER_POSITIONS } from '../domain/index.js';
import { createReader, readerConfigSchema } from './reader-factory.js';

/**
 * The receipt printer: ESC/POS over raw TCP (port 9100 on most network thermal printers), or
 * on a device file under /dev (a USB printer-class device, /dev/usb/lp0, or a serial port,
 * /dev/ttyUSB0, whose line settings the OS sets). Absent: the station has no printer, and
 * no screen speaks of receipts.
 */
export const printerConfigSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('escpos-tcp'),
      host: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address'),
      port: z.number().int().min(1).max(65_535).default(9100),
    })
    .strict(),
  z
    .object({
      type: z.literal('escpos-device'),
      path: z
        .string()
        .max(255)
        .regex(/^\/dev(\/[A-Za-z0-9_.:+@-]+)+$/, 'a device file under /dev')
        .refine((path) => !path.split('/').includes('..'), 'a device file under /dev'),
    })
    .strict(),
]);
export type PrinterConfig = z.infer<typeof printerConfigSchema>;

/** The printer adapter `config` names. */
export function createPrinter(config: PrinterConfig): ReceiptPrinter {
  switch (config.type) {
    case 'escpos-tcp':
      return createTcpPrinter({ host: config.host, port: config.port });
    case 'escpos-device':
      return createDevicePrinter({ path: config.path });
    default: {
      const unreachable: never = config;
      throw new Error(`unknown printer ${JSON.stringify(unreachable)}`);
    }
  }
}
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

/**
 * The station configuration cannot be used: missing, not JSON, or not what the schema
 * says. Its `fault` names the file and what is wrong — a position, zod issue paths — and
 * never a value from the file (the file holds the reader's keys).
 */
export class StationConfigError extends Error {
  override name = 'StationConfigError';
  /**
   * `said`: what is wrong in words, for the log only (zod's messages, JSON.parse's position);
   * the screen words `fault.detail` from the catalogs.
   */
  constructor(
    readonly fault: Fault & { readonly code: 'configMissing' | 'configSyntax' | 'configInvalid' },
    said: string,
  ) {
    super(
      fault.code === 'configMissing'
        ? `no station configuration at ${fault.file}: ${said}; a station kiosk does not start without one (README: Station configuration)`
        : fault.code === 'configSyntax'
          ? `station configuration ${fault.file} is not valid JSON: ${said}`
          : `station configuration ${fault.file} is invalid: ${said}`,
    );
  }
}

/** Where JSON.parse stopped, as line and column — without the text around it (V8 quotes it). */
function syntaxPosition(text: string, error: unknown): { detail: FaultDetail; said: string } {
  const message = error instanceof Error ? error.message : '';
  const at = /position (\d+)/.exec(message);
  if (!at) return text.trim() === '' ? { detail: { kind: 'emptyFile' }, said: 'the file is empty' } : { detail: { kind: 'notJson' }, said: 'it does not parse as JSON' };
  const position = Number(at[1]);
  const before = text.slice(0, position).split('\n');
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  return { detail: { kind: 'jsonSyntax', line, column, position }, said: `JSON syntax error at line ${line}, column ${column} (position ${position})` };
}

/** At most this many schema issues are named. */
const MAX_ISSUES = 5;

const TYPES: ReadonlySet<string> = new Set(CONFIG_TYPES);

/** One zod issue as the technician's line names it: the path and the kind of problem, never the value. */
function configIssue(issue: z.core.$ZodIssue, raw: unknown): ConfigIssue {
  const path = issue.path.map(String).join('.');
  switch (issue.code) {
    case 'invalid_type': {
      if (valueAt(raw, issue.path) === undefined) return { path, problem: 'missing' };
      const expected = String(issue.expected);
      return { path, problem: 'invalidType', expected: TYPES.has(expected) ? (expected as ConfigType) : 'other' };
    }
    case 'too_small':
      return { path, problem: 'tooSmall', limit: Number(issue.minimum) };
    case 'too_big':
      return { path, problem: 'tooBig', limit: Number(issue.maximum) };
    case 'invalid_format':
      return { path, problem: 'invalidFormat' };
    case 'unrecognized_keys':
      return { path, problem: 'unrecognizedKeys', names: issue.keys.slice(0, 5) };
    case 'invalid_value':
      return { path, problem: 'invalidValue', names: issue.values.map(String).slice(0, 10) };
    default:
      return { path, problem: 'invalid' };
  }
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node = raw;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The station configuration in `file`; a StationConfigError naming the file when it is missing or wrong. */
export function loadStationConfig(file: string): StationConfig {
  if (!existsSync(file)) throw new StationConfigError({ code: 'configMissing', file, detail: { kind: 'fileMissing' } }, 'the file does not exist');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new StationConfigError({ code: 'configMissing', file, detail: { kind: 'fileUnreadable', errno: code } }, `the file cannot be read (${code})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const { detail, said } = syntaxPosition(text, error);
    throw new StationConfigError({ code: 'configSyntax', file, detail }, said);
  }
  const parsed = stationConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const named = issues
      .slice(0, MAX_ISSUES)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(the whole file)'}: ${issue.message}`);
    if (issues.length > MAX_ISSUES) named.push(`and ${issues.length - MAX_ISSUES} more`);
    const detail: FaultDetail = {
      kind: 'schema',
      issues: issues.slice(0, MAX_ISSUES).map((issue) => configIssue(issue, raw)),
      more: Math.max(0, issues.length - MAX_ISSUES),
    };
    throw new StationConfigError({ code: 'configInvalid', file, detail }, named.join('; '));
  }
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
      printer: config.printer ? createPrinter(config.printer) : undefined,
    },
  );
}
