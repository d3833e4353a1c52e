// Every event the kiosk's machines take, logged beside the state it led to (issue 12: the
// log said "kiosk state" 388 times and never why). What an event carries is private unless
// it is on the list below: no PIN, no card UID, no card number, no code, no card contents
// (an actor's output) ever reaches a log line.
import type { Logger } from 'pino';
import type { InspectionEvent } from 'xstate';

/** Event fields that say what happened without saying anything about the traveller. */
const SAFE_FIELDS = ['orderId', 'option', 'on', 'language', 'page', 'action', 'reason', 'status'] as const;

/** Events too frequent to be worth a line each at info: the renderer's "someone is here". */
const CHATTY = new Set(['ACTIVITY']);

/** A state value as one dotted name: `session.orders`, `maintenance.menu`. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key}.${stateName(inner)}`)
      .join(',');
  }
  return String(value);
}

/** What may be logged of an event: its type and the listed fields, scalars only; counts for lists. */
export function describeEvent(event: { readonly type: string } & Record<string, unknown>): Record<string, unknown> {
  const described: Record<string, unknown> = { event: event.type };
  for (const field of SAFE_FIELDS) {
    const value = event[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') described[field] = value;
  }
  // The open list followed the cache: how many orders it has and how many left, not which.
  if (Array.isArray(event.orders)) described.orders = event.orders.length;
  if (Array.isArray(event.gone)) described.gone = event.gone.length;
  return described;
}

/**
 * An XState inspector that logs each event a machine actor took (the kiosk, and its
 * maintenance child, invoked as `maintenance`), with the state it is in afterwards. While the
 * kiosk stays in maintenance only the child's line is written (the kiosk just forwarded the
 * event). Other actors (reading a card, delivering) log through their own code, and their
 * snapshots hold card data: they are left out.
 */
export function eventLogger(log: Logger): (inspection: InspectionEvent) => void {
  let lastRootState = '';
  return (inspection) => {
    if (inspection.type !== '@xstate.snapshot') return;
    const snapshot = inspection.snapshot as { value?: unknown };
    if (!('value' in snapshot)) return;
    const isRoot = inspection.actorRef.sessionId === inspection.rootId;
    const isMaintenance = (inspection.actorRef as { id?: unknown }).id === 'maintenance';
    if (!isRoot && !isMaintenance) return;
    const state = `${isMaintenance ? 'maintenance.' : ''}${stateName(snapshot.value)}`;
    if (isRoot) {
      const forwarded = state === 'maintenance' && lastRootState === 'maintenance';
      lastRootState = state;
      if (forwarded) return;
    }
    const event = inspection.event as { type: string } & Record<string, unknown>;
    const line = { ...describeEvent(event), state };
    if (CHATTY.has(event.type)) log.debug(line, `event ${event.type}`);
    else log.info(line, `event ${event.type}`);
  };
}
