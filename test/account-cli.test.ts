// `npm run account` (scripts/account.mjs) against a back office as the demo's is found
// (<KIOSK_DATA_DIR>/backoffice.json): each step of Mijn NS by hand, and the demo's delays
// moved to a day (demo/delays.json), then matched to a journey a kiosk reported.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ANNA, startBackOffice, tempDir } from './sync/helpers.js';

const run = promisify(execFile);
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A back office published as the demo publishes its own, and `npm run account` against it. */
async function demoLikeOffice() {
  const tmp = tempDir();
  const office = await startBackOffice(tmp.dir, { now: () => new Date('2026-11-25T12:00:00.000Z') });
  cleanup.push(async () => {
    await office.close();
    tmp.remove();
  });
  writeFileSync(join(tmp.dir, 'backoffice.json'), JSON.stringify({ url: office.url, onlineToken: office.onlineToken }), { mode: 0o600 });
  const account = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['scripts/account.mjs', ...args], { env: { ...process.env, KIOSK_DATA_DIR: tmp.dir } });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  };
  return { tmp, office, account };
}

describe('npm run account', () => {
  it('requests a code (once), refuses a wrong code saying how many attempts are left, imports the demo delays on a day and lists the history', async () => {
    const { office, account } = await demoLikeOffice();
    expect((await account('request', ANNA, 'anna@example.org', 'fr')).out).toMatch(/^Kaartservicecode requested: order o_/);
    expect((await account('request', ANNA, 'anna@example.org', 'fr')).out).toMatch(/^Already requested a moment ago/);
    expect(await account('link', 'acc-anna', ANNA, '1234-1234-1234')).toEqual({ code: 1, out: 'Wrong code: 4 attempts left for this card.\n' });
    expect((await account('delays', '--day', '2026-11-20')).out).toBe('5 train services stored; 0 waiting claims decided.\n');
    // A journey on the 45-minute-late Intercity of that day, reported by a kiosk, on a linked card.
    const journey = { checkIn: { station: 'utrecht-centraal', at: '2026-11-20T08:01:00.000Z' }, checkOut: { station: 'amsterdam-centraal', at: '2026-11-20T09:20:00.000Z' }, chargedCents: 850 };
    office.bo.db.recordJourneys(ANNA, [journey]);
    office.bo.db.db.prepare(`INSERT INTO card_links VALUES (?, 'acc-anna', '2026-11-21T00:00:00.000Z', 'o-x')`).run(ANNA);
    expect((await account('journeys', 'acc-anna')).out).toBe('5678  2026-11-20T08:01:00.000Z  utrecht-centraal → amsterdam-centraal  € 8,50, 45 min late  — eligible: € 4,25 back\n');
    expect((await account('bogus')).code).toBe(1);
  }, 30_000); // six Node processes: slow on a busy machine

  it('pays a claim to the bank: the bank account (a wrong IBAN refused), claim --bank, the history, the finance side lists and marks it paid once', async () => {
    const { office, account } = await demoLikeOffice();
    expect(await account('bank', 'acc-anna', 'NL92ABNA0417164300', 'A.', 'Jansen')).toEqual({ code: 1, out: "HTTP 400: invalid IBAN: the IBAN's check digits are wrong (a typing error?)\n" });
    expect((await account('bank', 'acc-anna', 'NL91ABNA0417164300', 'A.', 'Jansen')).out).toBe('Bank account of acc-anna: •••• 4300 (A. Jansen). Claim with --bank to be paid there.\n');
    await account('delays', '--day', '2026-11-20');
    const journey = { checkIn: { station: 'utrecht-centraal', at: '2026-11-20T08:01:00.000Z' }, checkOut: { station: 'amsterdam-centraal', at: '2026-11-20T09:20:00.000Z' }, chargedCents: 850 };
    office.bo.db.recordJourneys(ANNA, [journey]);
    office.bo.db.db.prepare(`INSERT INTO card_links VALUES (?, 'acc-anna', '2026-11-21T00:00:00.000Z', 'o-x')`).run(ANNA);
    const claimed = await account('claim', 'acc-anna', ANNA, journey.checkIn.at, 'delay', '--bank');
    expect(JSON.parse(claimed.out)).toMatchObject({ status: 'grantedToBank', amountCents: 425, iban: '•••• 4300' });
    const payoutId = (JSON.parse(claimed.out) as { payoutId: string }).payoutId;
    expect((await account('journeys', 'acc-anna')).out).toBe(
      `5678  2026-11-20T08:01:00.000Z  utrecht-centraal → amsterdam-centraal  € 8,50, 45 min late  — claimed: € 4,25, paid to the bank  [to the bank •••• 4300: pending, ${payoutId}]\n`,
    );
    expect((await account('payouts')).out).toBe(`${payoutId}  € 4,25  NL91ABNA0417164300  A. Jansen  card 5678  delay 2026-11-20T08:01:00.000Z  pending\n`);
    expect((await account('paid', payoutId)).out).toBe(`Payout ${payoutId} of € 4,25 marked paid; its IBAN is cleared.\n`);
    expect((await account('paid', payoutId)).out).toBe(`Payout ${payoutId} was paid already (2026-11-25T12:00:00.000Z).\n`);
    expect((await account('payouts')).out).toBe('No pending payouts.\n');
    expect((await account('payouts', 'paid')).out).toBe(`${payoutId}  € 4,25  •••• 4300    card 5678  delay 2026-11-20T08:01:00.000Z  paid 2026-11-25T12:00:00.000Z\n`);
  }, 60_000);
});
