// The kiosk's SQLite store. Node only: never imports electron, renderer or kiosk code.
export { openStore, type Store, type StoreOptions } from './store.js';
export type {
  OrderStatus,
  OrderPayload,
  OrderRecord,
  OrderInput,
  DeliveryState,
  DeliveryRecord,
  PickupReport,
  OutboxItem,
  StoreLogger,
  OrderChange,
  RemoteOrderStatus,
  ApplyChangesResult,
} from './schemas.js';
export { orderChangeSchema, pickupReportSchema, orderIdSchema, cardNumberSchema } from './schemas.js';
export { StoreConflictError, StoreTooNewError, StoreCorruptError, StoreDataError } from './errors.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export {
  technicianCredentialSchema,
  pinHashParamsSchema,
  type TechnicianCredential,
  type AuditEntry,
  type MaintenanceRepo,
} from './maintenance.js';
