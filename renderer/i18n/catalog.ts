// The shape every catalog must have. Dutch (nl.ts) is the source; other languages are
// typed against it so a missing or extra key is a compile error, not a blank button.
import type { OutOfServiceReason } from '../../kiosk/contract.js';
import type { DeliveryFailure, ProductCode, ReadFailure } from '../../machine/types.js';

/** Every leaf of T becomes `string`: the keys of the source, free wording per language. */
export type DeepStringRecord<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : DeepStringRecord<T[K]>;
};

/**
 * What the source catalog must cover beyond its own keys: a name per product code and a
 * message per out-of-service reason, read failure and delivery failure, so a new code
 * in the contract or machine/types.ts fails the build until it has a text.
 */
export interface CatalogCoverage {
  readonly products: Readonly<Record<ProductCode, string>> & { readonly unknown: string };
  readonly outOfService: { readonly reasons: Readonly<Record<OutOfServiceReason, string>> };
  readonly unknownCard: { readonly reasons: Readonly<Record<ReadFailure, string>> };
  readonly failed: { readonly reasons: Readonly<Record<DeliveryFailure, string>> };
}
