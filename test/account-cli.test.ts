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

describe('npm run account', () => {
  it('requests a code (once), refuses a wrong code saying how many attempts are left, imports the demo delays on a day and lists the history', async () => {
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
});
