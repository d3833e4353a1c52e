// A second PC/SC program on the kiosk's reader, run as its own process by
// second-client.test.ts (never elsewhere: the test set-up otherwise runs one client per
// reader). It connects whenever it can (shared), loads another operator's keys into the
// reader's key slots 0 and 1, tries to authenticate, and disconnects with a reset or by
// powering the card off; then it rests a moment and tries again. On 'stop' it reports what
// it did and exits. Its own process: a PC/SC binding stuck in pcscd cannot freeze the test.
//   node intrusive-client.mjs <reader name> reset|unpower|hold|probe
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import process from 'node:process';
import { setTimeout } from 'node:timers';

const [readerName = 'Virtual PCD 00 00', disposition = 'reset'] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const pcsc = require('@pokusew/pcsclite');
const OTHER_KEY_A = [0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5];
const OTHER_KEY_B = [0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5];
const counts = { connects: 0, refused: 0, apdus: 0 };
let running = true;
const later = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const context = pcsc();
context.on('error', () => undefined);
context.on('reader', (reader) => {
  reader.on('error', () => undefined);
  if (!reader.name.includes(readerName)) return;
  void run(reader);
});

async function run(reader) {
  if (disposition === 'probe') {
    // One connect to the card on the reader, reported at once: refused while the kiosk holds it.
    const outcome = await new Promise((resolve) =>
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (error) => resolve(error ? String(error.message ?? error) : null)),
    );
    if (outcome === null) reader.disconnect(reader.SCARD_LEAVE_CARD, () => undefined);
    process.send?.({ probe: outcome ?? 'connected' });
    return;
  }
  while (running) {
    await later(5);
    const protocol = await new Promise((resolve) =>
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (error, p) => resolve(error ? null : p)),
    );
    if (protocol === null) {
      counts.refused++;
      continue;
    }
    counts.connects++;
    if (disposition === 'hold') {
      // A program that keeps the card (bench:pcsc must refuse to measure beside it).
      while (running) await later(20);
      reader.disconnect(reader.SCARD_LEAVE_CARD, () => undefined);
      return;
    }
    const send = (apdu) =>
      new Promise((resolve) => reader.transmit(Buffer.from(apdu), 40, protocol, () => resolve(counts.apdus++)));
    await send([0xff, 0x82, 0x00, 0x00, 0x06, ...OTHER_KEY_A]);
    await send([0xff, 0x82, 0x00, 0x01, 0x06, ...OTHER_KEY_B]);
    await send([0xff, 0x86, 0x00, 0x00, 0x05, 0x01, 0x00, 0x04, 0x60, 0x00]);
    await new Promise((resolve) =>
      reader.disconnect(disposition === 'reset' ? reader.SCARD_RESET_CARD : reader.SCARD_UNPOWER_CARD, () => resolve()),
    );
    await later(150);
  }
}

process.on('message', (message) => {
  if (message !== 'stop') return;
  running = false;
  process.send?.(counts, () => setTimeout(() => process.exit(0), 20));
});
process.on('disconnect', () => process.exit(0));
process.send?.('ready');
