// Maintenance: what a technician sees and does.
// Pure data: no I/O, no Node, DOM or library types (domain/ imports nothing).
import type { CardKind, CardProduct } from './cards.js';
import type { ReadFailure } from './failures.js';

/** How long a technician's PIN is: the PIN pad, the renderer contract and the back office agree. */
export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 8;

/** Why a technician took the machine out of service; travellers see a text for each. */
export const SERVICE_REASONS = ['maintenance', 'technicalFault', 'cleaning'] as const;
export type ServiceReason = (typeof SERVICE_REASONS)[number];

/**
 * A fault that keeps the machine out of service until it is gone (no technician decides
 * it): the station configuration missing or wrong, or the kiosk's database unusable.
 * Travellers see only that this machine cannot help them now; the technician sees which.
 */
export const FAULT_CODES = [
  'configMissing',
  'configSyntax',
  'configInvalid',
  'storeFull',
  'storeReadOnly',
  'storeCorrupt',
  'storeTooNew',
  'storeUnavailable',
  'startFailed',
] as const;
export type FaultCode = (typeof FAULT_CODES)[number];

/** What is wrong with one field of the station configuration (from its schema). */
export const CONFIG_PROBLEMS = ['missing', 'invalidType', 'tooSmall', 'tooBig', 'invalidFormat', 'unrecognizedKeys', 'invalidValue', 'invalid'] as const;
export type ConfigProblem = (typeof CONFIG_PROBLEMS)[number];

/** The kinds of value a field of the configuration can want (the catalogs name each). */
export const CONFIG_TYPES = ['string', 'number', 'boolean', 'object', 'array', 'other'] as const;
export type ConfigType = (typeof CONFIG_TYPES)[number];

/** One field of the configuration that is wrong: where (`path`, '' for the whole file) and how; never its value. */
export interface ConfigIssue {
  readonly path: string;
  readonly problem: ConfigProblem;
  /** invalidType: the kind of value wanted. */
  readonly expected?: ConfigType;
  /** tooSmall / tooBig: the limit. */
  readonly limit?: number;
  /** unrecognizedKeys: the keys not known; invalidValue: the values allowed. */
  readonly names?: readonly string[];
}

/**
 * What is wrong, as parameters the technician's line words from the catalogs in the
 * screen's language: positions, paths, codes and numbers — never a library's English
 * message (that is in the log) and never a value from the file.
 */
export type FaultDetail =
  | { readonly kind: 'fileMissing' }
  | { readonly kind: 'fileUnreadable'; readonly errno: string }
  | { readonly kind: 'emptyFile' }
  | { readonly kind: 'notJson' }
  | { readonly kind: 'jsonSyntax'; readonly line: number; readonly column: number; readonly position: number }
  | { readonly kind: 'schema'; readonly issues: readonly ConfigIssue[]; readonly more: number }
  | { readonly kind: 'sqlite'; readonly sqliteCode: string }
  | { readonly kind: 'errno'; readonly errno: string }
  | { readonly kind: 'freeSpace'; readonly freeBytes: number; readonly neededBytes: number }
  | { readonly kind: 'integrity' }
  | { readonly kind: 'schemaVersion'; readonly fileVersion: number; readonly knownVersion: number }
  | { readonly kind: 'fileGone' }
  | { readonly kind: 'unexpected' };
export type FaultDetailKind = FaultDetail['kind'];

/** A fault as the technician sees it: the code, the file, and what is wrong (never a secret). */
export interface Fault {
  readonly code: FaultCode;
  readonly file: string | null;
  readonly detail: FaultDetail;
}

/** Two faults that read the same to the technician. */
export function sameFault(a: Fault, b: Fault): boolean {
  return a.code === b.code && a.file === b.file && JSON.stringify(a.detail) === JSON.stringify(b.detail);
}

/** What a technician can see in maintenance mode. */
export const MAINTENANCE_PAGES = ['status', 'testCard', 'deliveries', 'log', 'audit', 'outOfService'] as const;
export type MaintenancePage = (typeof MAINTENANCE_PAGES)[number];

/** What a technician can do; each is written to the audit log. */
export const MAINTENANCE_ACTIONS = ['syncNow', 'restartReader', 'releaseDeliveries', 'backInService'] as const;
export type MaintenanceActionName = (typeof MAINTENANCE_ACTIONS)[number];

export type MaintenanceAction =
  | { readonly type: MaintenanceActionName }
  | { readonly type: 'outOfService'; readonly reason: ServiceReason };

export interface MaintenanceActionResult {
  readonly action: MaintenanceAction['type'];
  readonly ok: boolean;
  /** e.g. how many deliveries were released or orders synced. */
  readonly count?: number;
}

/** The verdict on a PIN. */
export type PinResult =
  | { readonly result: 'ok'; readonly technicianId: string }
  | { readonly result: 'wrong'; readonly attemptsLeft: number }
  | { readonly result: 'locked'; readonly minutesLeft: number };

/** A card decoded for the technician's "test a card", number masked. */
export type CardInspection =
  | {
      readonly ok: true;
      readonly maskedNumber: string;
      readonly kind: CardKind;
      readonly expiry: string;
      readonly balanceCents: number;
      readonly products: readonly CardProduct[];
      /** How many orders the card records as applied (its ledger, or a v1 card's journal). */
      readonly ordersOnCard: number;
      readonly activeRecord: 'A' | 'B';
      readonly sequence: number;
      readonly layoutVersion: number;
      readonly uid: string;
    }
  | { readonly ok: false; readonly reason: ReadFailure };
