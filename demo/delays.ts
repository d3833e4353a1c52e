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

/** The demo services on `day` (YYYY-MM-DD); default the fixture's own dates. */
export function demoServices(day?: string): TrainService[] {
  const { services } = delaysImportSchema.parse(fixture);
  if (day === undefined) return services;
  return services.map((s) => ({
    ...s,
    scheduledDeparture: onDay(s.scheduledDeparture, day),
    scheduledArrival: onDay(s.scheduledArrival, day),
    actualArrival: onDay(s.actualArrival, day),
  }));
}
