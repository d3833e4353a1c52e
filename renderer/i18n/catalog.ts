// The shape every catalog must have. Dutch (nl.ts) is the source; other languages are
// typed against it so a missing or extra key is a compile error, not a blank button.
import type { Health, OutOfServiceReason } from '../../kiosk/contract.js';
import type {
  CardKind,
  ConfigProblem,
  ConfigType,
  DeliveryFailure,
  FaultCode,
  FaultDetailKind,
  MaintenanceAction,
  MaintenancePage,
  PrinterCondition,
  ProductCode,
  ReaderPosition,
  ReadFailure,
  ReaderStatus,
  ServiceReason,
  JourneyRefusal,
} from '../../domain/index.js';

/** Every leaf of T becomes `string`: the keys of the source, free wording per language. */
export type DeepStringRecord<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : DeepStringRecord<T[K]>;
};

type Texts<K extends string> = Readonly<Record<K, string>>;

/**
 * What the source catalog must cover beyond its own keys: a name per product code and a
 * message per out-of-service reason, read failure and delivery failure, and for the
 * technician a name per maintenance page, action, health, reader status, service reason
 * and card kind, so a new code in the contract or machine/types.ts fails the build
 * until it has a text.
 */
export interface CatalogCoverage {
  readonly products: Texts<ProductCode> & { readonly unknown: string };
  readonly outOfService: {
    readonly reasons: Texts<OutOfServiceReason>;
    /** What travellers see when a technician took the machine out of service. */
    readonly serviceReasons: Texts<ServiceReason>;
  };
  readonly unknownCard: { readonly reasons: Texts<ReadFailure> };
  readonly idle: { readonly readerWhere: Texts<ReaderPosition> };
  readonly failed: { readonly reasons: Texts<DeliveryFailure> };
  /** Reizen en Geld Terug: why a journey earns nothing, in words. */
  readonly journeys: { readonly reasons: Texts<JourneyRefusal> };
  readonly maintenance: {
    readonly pages: Texts<MaintenancePage>;
    readonly actions: Texts<MaintenanceAction['type']>;
    readonly health: Texts<Health>;
    readonly readerStatus: Texts<ReaderStatus>;
    /** What keeps the machine out of service until it is gone (configuration, storage). */
    readonly faults: Texts<FaultCode>;
    /** What is wrong, each kind with its parameters (renderer/fault-detail.ts). */
    readonly faultDetail: Texts<Exclude<FaultDetailKind, 'schema'>> & {
      readonly problems: Texts<ConfigProblem>;
      readonly types: Texts<ConfigType>;
    };
    readonly printerCondition: Texts<PrinterCondition>;
    /** Short names for the technician; the traveller's texts are in outOfService. */
    readonly serviceReasons: Texts<ServiceReason>;
    readonly cardKinds: Texts<CardKind>;
    /** The technician's reading of a failed test card (travellers get unknownCard). */
    readonly readFailures: Texts<ReadFailure>;
    readonly outOfService: { readonly take: Texts<ServiceReason> };
  };
}

/**
 * Each language named in itself, as a traveller looks for it: the same in every catalog,
 * so it is written once and spread into each catalog's `language` section.
 */
export const LANGUAGE_NAMES = {
  nl: 'Nederlands',
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  nlShort: 'NL',
  enShort: 'EN',
  deShort: 'DE',
  frShort: 'FR',
} as const;

/**
 * The stations of the network (domain/journeys.ts STATIONS), by their code, named as on the
 * station signs: proper names, the same in every catalog (spread into each `stations`).
 * catalogs.test.ts checks every code has one.
 */
export const STATION_NAMES = {
  'amsterdam-centraal': 'Amsterdam Centraal',
  'schiphol-airport': 'Schiphol Airport',
  'den-haag-centraal': 'Den Haag Centraal',
  'rotterdam-centraal': 'Rotterdam Centraal',
  'utrecht-centraal': 'Utrecht Centraal',
  breda: 'Breda',
  'eindhoven-centraal': 'Eindhoven Centraal',
  'arnhem-centraal': 'Arnhem Centraal',
  zwolle: 'Zwolle',
} as const;
