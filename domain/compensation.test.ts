// Geld Terug bij Vertraging as a table of cases, each with the published line it follows.
// Sources (stored copies of NS's pages, read 2026-12-01):
//   [R] ns.nl/reizigers/ovchipkaart/vragen/geld-terug-bij-vertraging.html
//   [K] ns.nl/klantenservice/geld-terug/geld-terug-reguliere-reizen.html
//   [E] ns.nl/en/travellers/service/delays/refunds-for-delays
import { describe, expect, it } from 'vitest';
import { COMPENSATION_RULES, compensationFor, delayMinutes, returnLegs, type Compensation, type Ride } from './compensation.js';

const SCHEDULED = '2026-11-02T08:00:00.000Z';
const at = (minutesLate: number) => new Date(Date.parse(SCHEDULED) + minutesLate * 60_000).toISOString();
/** A day and a bit after the ride: claims open 24 hours after it [K]. */
const CLAIMED = '2026-11-03T12:00:00.000Z';

function ride(minutesLate: number, more: Partial<Ride> = {}): Ride {
  return { scheduledArrival: SCHEDULED, actualArrival: at(minutesLate), fareCents: 1000, line: 'standard', checkedInAndOut: true, ...more };
}

const paid = (amountCents: number, share: number | null = null): Partial<Compensation> => ({ due: true, amountCents, ...(share === null ? {} : { share }) });
const none = (reason: string): Partial<Compensation> => ({ due: false, reason } as Partial<Compensation>);

const CASES: readonly { readonly source: string; readonly ride: Ride; readonly claimedAt?: string; readonly expected: Partial<Compensation> }[] = [
  // [E] "A delay is the difference between the time you were supposed to arrive at your destination
  // station according to the NS timetable and the time you actually arrived."
  { source: '[E] delay = actual − scheduled arrival at the destination: 29 min is not yet 30', ride: ride(29), expected: none('tooShort') },
  // [R] "Reist u op saldo dan geldt bij een vertraging van 30-59 minuten een teruggave van de helft van de ritprijs."
  { source: '[R] 30–59 minutes: half the ride fare (30 min)', ride: ride(30), expected: paid(500, 0.5) },
  { source: '[R] 30–59 minutes: half the ride fare (59 min)', ride: ride(59), expected: paid(500, 0.5) },
  // [R] "Bij 60 minuten of meer krijgt u de hele ritprijs"
  { source: '[R] 60 minutes or more: the whole ride fare (60 min)', ride: ride(60), expected: paid(1000, 1) },
  { source: '[R] 60 minutes or more: the whole ride fare (3 h)', ride: ride(180), expected: paid(1000, 1) },
  // [K] "bij de hogesnelheidslijn (Intercity direct of de Intercity Den Haag-Eindhoven via Breda) zelfs al vanaf een kwartier"
  { source: '[K] high-speed line: from a quarter of an hour (15 min)', ride: ride(15, { line: 'highSpeed' }), expected: paid(500, 0.5) },
  { source: '[K] high-speed line: 14 min is not yet a quarter', ride: ride(14, { line: 'highSpeed' }), expected: none('tooShort') },
  { source: '[K] elsewhere 15 min earns nothing', ride: ride(15), expected: none('tooShort') },
  // [K] "je krijgt géén geld terug als … je reiskosten lager zijn dan € 2,30"
  { source: '[K] travel costs below € 2,30: nothing', ride: ride(75, { fareCents: 229 }), expected: none('belowMinimum') },
  { source: '[K] travel costs of € 2,30: paid', ride: ride(75, { fareCents: 230 }), expected: paid(230, 1) },
  // [K] "… vooraf al een langere reistijd was aangekondigd"
  { source: '[K] a longer journey announced in advance (planned works): nothing', ride: ride(90, { announcedInAdvance: true }), expected: none('announcedInAdvance') },
  // [K] "… er een ‘bijzonder geval van overmacht’ was, zoals een landelijke stroomstoring"
  { source: '[K] force majeure (nationwide power failure): nothing', ride: ride(90, { forceMajeure: true }), expected: none('forceMajeure') },
  // [K] "… een andere vervoerder dan NS de vertraging veroorzaakte"
  { source: '[K] caused by another carrier: nothing', ride: ride(90, { otherCarrier: true }), expected: none('otherCarrier') },
  // [R] "Ook als u niet heeft in- en uitgecheckt, heeft u geen recht op restitutie"
  { source: '[R] not checked in and out: nothing', ride: ride(90, { checkedInAndOut: false }), expected: none('notCheckedInAndOut') },
  // [K] "… je een aanvraag 3 maanden of langer na reisdatum indient"
  { source: '[K] claimed 3 months after the journey to the day: nothing', ride: ride(45), claimedAt: '2027-02-02T08:45:00.000Z', expected: none('tooLate') },
  { source: '[K] claimed a day before the 3 months are up: paid', ride: ride(45), claimedAt: '2027-02-01T08:45:00.000Z', expected: paid(500) },
  // [K] "je kunt je aanvraag pas 24 uur ná je reis indienen"
  { source: '[K] claimed within 24 hours of the journey: not yet', ride: ride(45), claimedAt: '2026-11-02T20:00:00.000Z', expected: none('tooEarly') },
  // Season tickets: a fixed amount per product for 30+ minutes, twice that for 60+ (issue 14; the
  // amounts are the operator's table, COMPENSATION_RULES.seasonTicketAmounts).
  { source: 'season ticket: the fixed amount for 30–59 min', ride: ride(40, { seasonTicket: 'TRAJECT_VRIJ', fareCents: 0 }), expected: paid(500) },
  { source: 'season ticket: twice the fixed amount for 60+ min', ride: ride(61, { seasonTicket: 'TRAJECT_VRIJ', fareCents: 0 }), expected: paid(1000) },
];

describe('Geld Terug bij Vertraging, case by case', () => {
  it.each(CASES.map((c) => [c.source, c] as const))('%s', (_source, c) => {
    expect(compensationFor(c.ride, c.claimedAt ?? CLAIMED)).toMatchObject(c.expected);
  });
});

describe('the rules are data', () => {
  it('a return counts as two rides [R: "Een retour telt als twee ritten"]: each leg half the return fare', () => {
    const [out, back] = returnLegs(1735);
    expect(out + back).toBe(1735);
    expect(compensationFor(ride(35, { fareCents: out }), CLAIMED)).toMatchObject(paid(434));
    expect(compensationFor(ride(65, { fareCents: back }), CLAIMED)).toMatchObject(paid(867));
  });

  it('an operator table with other thresholds and a minimum changes the outcome, not the code', () => {
    const rules = { ...COMPENSATION_RULES, minimumFareCents: 0, steps: { ...COMPENSATION_RULES.steps, standard: [{ fromMinutes: 20, share: 0.25 }] } };
    expect(compensationFor(ride(25, { fareCents: 100 }), CLAIMED, rules)).toMatchObject(paid(25, 0.25));
    expect(compensationFor(ride(25, { fareCents: 100 }), CLAIMED)).toMatchObject(none('tooShort'));
  });

  it('measures the delay in whole minutes, and never below zero (an early arrival)', () => {
    expect(delayMinutes({ scheduledArrival: SCHEDULED, actualArrival: '2026-11-02T08:30:59.000Z' })).toBe(30);
    expect(delayMinutes({ scheduledArrival: SCHEDULED, actualArrival: '2026-11-02T07:58:00.000Z' })).toBe(0);
  });
});
