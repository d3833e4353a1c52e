// Global setup of the 'pcsc' test project. Builds the PC/SC worker (the kiosk forks it as
// plain Node, so it is bundled before it runs) and provides its path to the tests as
// inject('pcscWorker'). Then pcscd with vpcd must run: starts it (with the TCP_NODELAY
// shim, so timings reflect our code rather than Nagle) when it is not running, installing
// the Debian packages first when we are root, and stops it afterwards only if it was
// started here (the last one, when a test restarted it).
import type { TestProject } from 'vitest/node';
import { ensurePcscd, stopPcscd } from '../../scripts/pcscd.mjs';
import { ownedPcscd, recordOwnedPcscd } from './pcscd-control.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built PC/SC worker script (PcscReader's workerPath). */
    pcscWorker: string;
  }
}

/** scripts/build.mjs has no type declarations: the one function used here. */
interface BuildScript {
  buildPcscWorker(options?: { outfile?: string }): Promise<string>;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const buildScript = new URL('../../scripts/build.mjs', import.meta.url).href;
  const { buildPcscWorker } = (await import(buildScript)) as BuildScript;
  project.provide('pcscWorker', await buildPcscWorker());

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
