// The kiosk's SQLite store. Node only: never imports electron, renderer or kiosk code.
export { openStore, STORE_ADVICE, type Store, type StoreCheck, type StoreOptions } from './store.js';
export { storeFaultOf, MIN_FREE_BYTES, StoreFaultError, type StoreFault } from './faults.js';
export type {
  OrderStatus,
  OrderPayload,
  OrderRecord,
  OrderInput,
  DeliveryState,
  DeliveryRecord,
  StoredOutcome,
  PickupReport,
  OutboxItem,
  StoreLogger,
  ApplyChangesResult,
} from './schemas.js';
export { StoreConflictError, StoreTooNewError, StoreCorruptError, StoreDataError } from '../sqlite/errors.js';
export { MIGRATIONS } from './migrations.js';
export { RELEASED_BY_TECHNICIAN, FORGOTTEN_CODE } from './deliveries-repo.js';
export {
  RECEIPT_MARK_PREFIX,
  receiptMarkKey,
  type AuditEntry,
  type MaintenanceRepo,
} from './maintenance.js';
export { PRUNE_BATCH, RETENTION_DAYS, UNSYNCED_AUDIT_DAYS, type PruneResult } from './retention.js';
