// Global setup of the 'pcsc' test project: pcscd with vpcd must run. Starts it (with the
// TCP_NODELAY shim, so timings reflect our code rather than Nagle) when it is not running,
// installing the Debian packages first when we are root, and stops it afterwards only
// if it was started here (the last one, when a test restarted it).
import { ensurePcscd, stopPcscd } from '../../scripts/pcscd.mjs';
import { ownedPcscd, recordOwnedPcscd } from './pcscd-control.js';

export default async function setup(): Promise<() => Promise<void>> {
  const pcscd = await ensurePcscd({ shim: true });
  recordOwnedPcscd(pcscd.started ? pcscd.pid : null);
  process.stdout.write(
    pcscd.started
      ? `[pcsc] started pcscd (pid ${pcscd.pid}) with the TCP_NODELAY shim\n`
      : '[pcsc] using the pcscd that is running already (timings include Nagle unless it runs with the shim; tests that restart pcscd are skipped)\n',
  );
  return async () => {
    await stopPcscd(ownedPcscd());
    recordOwnedPcscd(null);
  };
}
