// The PC/SC worker process: the only place nfc-pcsc (a native binding) runs. It is forked
// and supervised by PcscReader; when it misbehaves it is killed and replaced, so the kiosk
// never hangs with it. It exits on its own when pcscd goes away (an nfc-pcsc instance
// never recovers from a pcscd restart), and it does not construct nfc-pcsc before
// pcscd's socket answers (nfc-pcsc spins in a busy loop until pcscd appears).
//
// This file is only the child process's wiring (the real binding, process.send,
// process.exit); the logic is PcscWorker in worker-core.ts, which the unit tests drive
// with a fake reader. It is built before it runs (scripts/build.mjs, buildPcscWorker).
import { createRequire } from 'node:module';
import type { NFC } from 'nfc-pcsc';
import { ExclusiveNfc } from './nfc-binding.js';
import { toWorkerSchema, type FromWorker } from './protocol.js';
import { PcscWorker, type NfcBinding } from './worker-core.js';

function send(message: FromWorker): void {
  process.send?.(message);
}

function createNfc(): NfcBinding {
  const require = createRequire(import.meta.url);
  const binding = require('nfc-pcsc') as { NFC: new () => NFC };
  return new ExclusiveNfc(new binding.NFC());
}

let worker: PcscWorker | null = null;
process.on('message', (raw: unknown) => {
  const parsed = toWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    send({ type: 'log', level: 'error', message: `ignored a malformed message: ${parsed.error.message}` });
    return;
  }
  if (parsed.data.type === 'init') {
    if (worker) return;
    worker = new PcscWorker(parsed.data.config, { createNfc, send, exit: (code) => process.exit(code) });
    worker.start().catch((error: unknown) => {
      send({ type: 'log', level: 'error', message: `worker failed to start: ${String(error)}` });
      process.exit(1);
    });
    return;
  }
  if (!worker) {
    if (parsed.data.type === 'ping') send({ type: 'pong', id: parsed.data.id });
    return;
  }
  worker.handle(parsed.data);
});
// The supervisor is gone: so is the reason to hold the reader.
process.on('disconnect', () => process.exit(0));
