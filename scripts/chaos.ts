// `npm run chaos -- [--rounds 200] [--max-delay-ms 1200]`: the kiosk process is killed
// (SIGKILL) at a random moment after Akkoord in each round, started again and the same
// card held (test/kill/harness.ts). Prints the counts; exits 1 if anything was lost,
// doubled, or a delivered kaartservicecode was not shown again.
import { runKills } from '../test/kill/harness.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
  return value;
}

const rounds = option('rounds', 200);
const started = Date.now();
const report = await runKills({
  rounds,
  maxDelayMs: option('max-delay-ms', 1_200),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify({ ...report, seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`);
const bad = report.lost.length + report.doubled.length + report.codesNotShownAgain.length + report.conflicts;
process.exit(bad === 0 ? 0 : 1);
