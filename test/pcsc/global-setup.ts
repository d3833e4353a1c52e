// Global setup of the 'pcsc' test project: pcscd with vpcd must run. Starts it (with the
// TCP_NODELAY shim, so timings reflect our code rather than Nagle) when it is not running,
// installing the Debian packages first when we are root, and stops it afterwards only
// if it was started here.
import { ensurePcscd } from '../../scripts/pcscd.mjs';

export default async function setup(): Promise<() => Promise<void>> {
  const pcscd = await ensurePcscd({ shim: true });
  process.stdout.write(
    pcscd.started
      ? `[pcsc] started pcscd (pid ${pcscd.pid}) with the TCP_NODELAY shim\n`
      : '[pcsc] using the pcscd that is running already (timings include Nagle unless it runs with the shim)\n',
  );
  return async () => {
    await pcscd.stop();
  };
}
