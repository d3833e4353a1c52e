// The kiosk process killed (SIGKILL) at random moments from Akkoord to a while into the
// delivered screen, then started again and the same card held: nothing lost, nothing
// doubled, every delivered kaartservicecode shown again. `npm run chaos` does hundreds.
import { describe, expect, it } from 'vitest';
import { runKills } from './kill/harness.js';

describe('power cuts during deliveries', () => {
  it('10 kills between Akkoord and the delivered screen: nothing lost, nothing doubled, every code shown again', async () => {
    const report = await runKills({ rounds: 10 });
    expect(report.lost).toEqual([]);
    expect(report.doubled).toEqual([]);
    expect(report.codesNotShownAgain).toEqual([]);
    expect(report.balanceCents.onCard).toBe(report.balanceCents.expected);
    expect(report.conflicts).toBe(0);
    expect(report.landed + report.notLanded).toBe(10);
  }, 120_000);
});
