// The receipt printer on a device file: ESC/POS to a USB printer-class device (Linux usblp,
// /dev/usb/lp0) or a serial port (/dev/ttyUSB0, /dev/ttyS0), the same bytes the network
// adapter sends (escpos-tcp.ts) and the same status answers read back (DLE EOT n, GS r 1).
//
// The file is opened O_RDWR | O_NOCTTY | O_NONBLOCK, never created, and must be a character
// device. Reads never block: answers are polled (a read that finds nothing gives EAGAIN, or
// 0 on a tty set to return at once) until they are complete or the timeout passes, so a
// printer that never answers is offline, never a hang. Line settings of a serial port (baud,
// 8N1, raw, no echo, no flow control) are the OS's: a udev rule or `stty` sets them, as
// README "Receipt printer" says; the kiosk does not change them. The file stays open between
// questions (one kiosk process drives the printer); after any failure it is closed, and the
// next print or status opens it afresh, so a printer unplugged and plugged in again (its
// device file gone and back) is found again. Questions and receipts take turns: answers
// are read in the order they were asked.
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { canPrint, type PrinterCondition } from '../domain/printer.js';
import { STATUS_QUERY, parsePaperSensor, parseStatus, withPaperSensorQuery } from './escpos-status.js';
import { PrinterError, type ReceiptPrinter } from './receipt-printer.js';

export interface DevicePrinterOptions {
  /** The device file, e.g. /dev/usb/lp0 or /dev/ttyUSB0 (a udev symlink is fine). */
  readonly path: string;
  /** Each status answer; default 3 s. */
  readonly timeoutMs?: number;
  /** How long a receipt may take to go out and come out (the answer after its last byte); default 20 s. */
  readonly printTimeoutMs?: number;
  /** The longest pause between reads while an answer is awaited (from 2 ms, doubling); default 50 ms. */
  readonly pollMs?: number;
}

/** A failure of the device itself; its message is the reason the technician reads. */
class DeviceError extends Error {
  override name = 'DeviceError';
}

const OPEN_FLAGS = constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK;
/** How often, while nothing comes, the device file is checked to be still there. */
const PRESENCE_CHECK_MS = 250;
/** The first pause between reads: an answer that comes at once is read at once. */
const FIRST_POLL_MS = 2;

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code ?? 'unknown';

/** Nothing to read now: not a failure. */
const isWouldBlock = (error: unknown) => codeOf(error) === 'EAGAIN' || codeOf(error) === 'EWOULDBLOCK';

/** An open device: bytes out, the bytes it answered taken in order. */
class Device {
  /** Bytes the device has taken so far (a receipt with any of them may be partly on paper). */
  written = 0;

  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly identity: Stats,
    private readonly pollMs: number,
  ) {}

  static async open(path: string, pollMs: number): Promise<Device> {
    let handle: FileHandle;
    try {
      handle = await open(path, OPEN_FLAGS);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ENOENT') throw new DeviceError(`no device at ${path}`);
      if (code === 'ENXIO' || code === 'ENODEV') throw new DeviceError(`the device ${path} is not connected (${code})`);
      if (code === 'EACCES' || code === 'EPERM') throw new DeviceError(`no permission to open ${path} (${code})`);
      throw new DeviceError(`cannot open ${path} (${code})`);
    }
    try {
      const identity = await handle.stat();
      if (!identity.isCharacterDevice()) throw new DeviceError(`${path} is not a device`);
      return new Device(path, handle, identity, pollMs);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error instanceof DeviceError ? error : new DeviceError(`cannot open ${path} (${codeOf(error)})`);
    }
  }

  private gone(error: unknown): DeviceError {
    const code = codeOf(error);
    return code === 'EIO' || code === 'ENODEV' || code === 'ENXIO' || code === 'EPIPE'
      ? new DeviceError(`the device ${this.path} went away (${code})`)
      : new DeviceError(`the device ${this.path} failed (${code})`);
  }

  /** Still the device that was opened: the file is there and names the same device. */
  private async present(): Promise<void> {
    const now = await stat(this.path).catch((error: unknown) => {
      throw codeOf(error) === 'ENOENT' ? new DeviceError(`the device ${this.path} went away`) : this.gone(error);
    });
    if (now.rdev !== this.identity.rdev || now.ino !== this.identity.ino) throw new DeviceError(`the device ${this.path} was replaced`);
  }

  /** Writes all of `bytes` by `deadline` (a device whose buffer stays full is offline). */
  async write(bytes: Uint8Array, deadline: number, signal?: AbortSignal): Promise<void> {
    let offset = 0;
    let pause = FIRST_POLL_MS;
    while (offset < bytes.length) {
      signal?.throwIfAborted();
      let taken = 0;
      try {
        taken = (await this.handle.write(bytes, offset, bytes.length - offset, null)).bytesWritten;
      } catch (error) {
        if (!isWouldBlock(error)) throw this.gone(error);
      }
      offset += taken;
      this.written += taken;
      if (taken > 0) pause = FIRST_POLL_MS;
      else if (offset < bytes.length) {
        // Its buffer is full: wait for the printer to take more.
        if (Date.now() >= deadline) throw new DeviceError(`the device ${this.path} took no more bytes (${bytes.length - offset} of ${bytes.length} not sent)`);
        await sleep(pause);
        pause = Math.min(pause * 2, this.pollMs);
      }
    }
  }

  /** Whatever the device sent that nobody asked for now (a late answer): thrown away. */
  async drain(): Promise<void> {
    const buffer = Buffer.alloc(256);
    for (let i = 0; i < 64; i++) {
      try {
        if ((await this.handle.read(buffer, 0, buffer.length, null)).bytesRead === 0) return;
      } catch (error) {
        if (isWouldBlock(error)) return;
        throw this.gone(error);
      }
    }
  }

  /** The next `count` bytes the device sends, within `timeoutMs`. */
  async take(count: number, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    const answer = Buffer.alloc(count);
    let have = 0;
    const started = Date.now();
    let checked = started;
    let pause = FIRST_POLL_MS;
    while (have < count) {
      signal?.throwIfAborted();
      let got = 0;
      try {
        got = (await this.handle.read(answer, have, count - have, null)).bytesRead;
      } catch (error) {
        if (!isWouldBlock(error)) throw this.gone(error);
      }
      have += got;
      if (have >= count) break;
      if (got > 0) pause = FIRST_POLL_MS;
      else {
        const now = Date.now();
        if (now - started >= timeoutMs) throw new DeviceError(`no answer from ${this.path} within ${timeoutMs} ms`);
        // A tty that was hung up reads as empty: only the device file says it went away.
        if (now - checked >= PRESENCE_CHECK_MS) {
          checked = now;
          await this.present();
        }
        await sleep(pause);
        pause = Math.min(pause * 2, this.pollMs);
      }
    }
    return Uint8Array.from(answer);
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

export function createDevicePrinter(options: DevicePrinterOptions): ReceiptPrinter {
  const { path } = options;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const printTimeoutMs = options.printTimeoutMs ?? 20_000;
  const pollMs = options.pollMs ?? 50;
  let device: Device | null = null;
  let reason: string | null = null;
  let turn: Promise<unknown> = Promise.resolve();

  /** One question or receipt at a time, in the order asked. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work, work);
    turn = run.catch(() => undefined);
    return run;
  };
  const opened = async () => {
    device ??= await Device.open(path, pollMs);
    return device;
  };
  /** After any failure the device is closed, and opened afresh next time. */
  const discard = async (error: unknown) => {
    reason = error instanceof Error ? error.message : String(error);
    const closing = device;
    device = null;
    await closing?.close();
  };
  /** DLE EOT 1–4, after throwing away what came unasked. */
  const ask = async (open: Device, signal?: AbortSignal): Promise<PrinterCondition> => {
    await open.drain();
    await open.write(STATUS_QUERY, Date.now() + timeoutMs, signal);
    const answer = await open.take(4, timeoutMs, signal);
    const condition = parseStatus(answer);
    if (condition === null) {
      reason = `the answer from ${path} is not an ESC/POS status (${Buffer.from(answer).toString('hex')})`;
      return 'error';
    }
    reason = null;
    return condition;
  };

  return {
    name: `device ${path}`,
    reason: () => reason,
    status: (signal) =>
      exclusive(async () => {
        try {
          return await ask(await opened(), signal);
        } catch (error) {
          await discard(error);
          return 'offline';
        }
      }),
    print: (bytes, signal) =>
      exclusive(async () => {
        let open: Device;
        try {
          open = await opened();
        } catch (error) {
          await discard(error);
          throw new PrinterError(`printer not reachable: ${reason}`, 'offline', false);
        }
        // Where the receipt's bytes begin, once the printer said it can print.
        let receiptFrom: number | null = null;
        try {
          const condition = await ask(open, signal);
          if (!canPrint(condition)) throw new PrinterError(`printer cannot print: ${condition}`, condition, false);
          const deadline = Date.now() + printTimeoutMs;
          receiptFrom = open.written;
          // The answer to GS r 1 after the receipt says the printer has processed all of it.
          await open.write(withPaperSensorQuery(bytes), deadline, signal);
          const [answer] = await open.take(1, Math.max(0, deadline - Date.now()), signal);
          if (parsePaperSensor(answer ?? 0xff) === 'paperOut') throw new PrinterError('paper ran out while printing', 'paperOut', true);
        } catch (error) {
          if (error instanceof PrinterError) throw error;
          await discard(error);
          const sent = receiptFrom !== null && open.written > receiptFrom;
          throw new PrinterError(`printing failed: ${reason}`, 'offline', sent);
        }
      }),
    close() {
      const closing = device;
      device = null;
      void closing?.close();
      reason = null;
    },
  };
}
