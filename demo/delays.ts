// The demo's disrupted train services (demo/delays.json, the operator's format: PUT
// /v1/online/train-services, `npm run backoffice -- delays import`), moved to a given day:
// the times of day stay, the date becomes that day's (UTC), so that today's journeys at the
// demo gates can be on them. An Intercity Utrecht Centraal → Amsterdam Centraal 45 minutes
// late (08:05), one 70 minutes late (09:05), one with planned works (10:05), one in force
// majeure (11:05); an Intercity direct Schiphol → Rotterdam 20 minutes late (08:10).
import { delaysImportSchema, type TrainService } from '../protocol/online-api.js';
import fixture from './delays.json' with { type: 'json' };

/** `iso`'s time of day on `day` (YYYY-MM-DD), as ISO. */
export function onDay(iso: string, day: string): string {
  return new Date(`${day}T${new Date(iso).toISOString().slice(11)}`).toISOString();
}

/** How many days back the demo's disrupted services run (a claim for a journey of the last 5 days waits a week). */
export const DEMO_SERVICE_DAYS = 14;

/** The days the demo back office has the services on: today and the DEMO_SERVICE_DAYS before it (UTC, YYYY-MM-DD). */
export function demoServiceDays(now: Date): string[] {
  return Array.from({ length: DEMO_SERVICE_DAYS + 1 }, (_, i) => new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10));
}

/** The demo services on `day` (YYYY-MM-DD), each its own service of that day (`IC-3012-2026-11-23`); default the fixture's own dates. */
export function demoServices(day?: string): TrainService[] {
  const { services } = delaysImportSchema.parse(fixture);
  if (day === undefined) return services;
  return services.map((s) => ({
    ...s,
    serviceId: `${s.serviceId}-${day}`,
    scheduledDeparture: onDay(s.scheduledDeparture, day),
    scheduledArrival: onDay(s.scheduledArrival, day),
    actualArrival: onDay(s.actualArrival, day),
  }));
}
