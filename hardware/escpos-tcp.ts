// The receipt printer on the network: ESC/POS over a raw TCP socket (port 9100, "JetDirect"
// / "raw" printing, which Epson, Star and most thermal printers with Ethernet speak). One
// connection per question or receipt: a printer takes one client at a time, and a
// connection left open would shut out the technician's test tools.
import { Socket } from 'node:net';
import { canPrint, type PrinterCondition } from '../domain/printer.js';
import { STATUS_QUERY, parsePaperSensor, parseStatus, withPaperSensorQuery } from './escpos-status.js';
import { PrinterError, type ReceiptPrinter } from './receipt-printer.js';

export interface TcpPrinterOptions {
  readonly host: string;
  readonly port: number;
  /** Connecting and each status answer; default 3 s. */
  readonly timeoutMs?: number;
  /** How long a receipt may take to come out (the answer after its last byte); default 20 s. */
  readonly printTimeoutMs?: number;
}

/** One connection to the printer: bytes out, and the bytes it answered, taken in order. */
class Connection {
  private received: number[] = [];
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received.push(...chunk);
      this.waiter?.();
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      this.waiter?.();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the printer closed the connection')));
  }

  static open(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = () => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', (error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      socket.connect(port, host, () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new Connection(socket));
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** The next `count` bytes the printer sends, within `timeoutMs`. */
  take(count: number, timeoutMs: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`the printer did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (this.received.length >= count) {
          clearTimeout(timer);
          this.waiter = null;
          resolve(Uint8Array.from(this.received.splice(0, count)));
        } else if (this.failure) {
          clearTimeout(timer);
          this.waiter = null;
          reject(this.failure);
        }
      };
      this.waiter = check;
      check();
    });
  }

  close(): void {
    this.socket.end();
    this.socket.destroySoon();
  }
}

export function createTcpPrinter(options: TcpPrinterOptions): ReceiptPrinter {
  const { host, port } = options;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const printTimeoutMs = options.printTimeoutMs ?? 20_000;
  let reason: string | null = null;

  /** DLE EOT 1–4: four answers, one byte each (an answer of another shape: not a printer we know). */
  const ask = async (connection: Connection): Promise<PrinterCondition> => {
    await connection.write(STATUS_QUERY);
    const answer = await connection.take(4, timeoutMs);
    const condition = parseStatus(answer);
    reason = condition === null ? `the answer from ${host}:${port} is not an ESC/POS status (${Buffer.from(answer).toString('hex')})` : null;
    return condition ?? 'error';
  };

  return {
    name: `tcp ${host}:${port}`,
    reason: () => reason,
    async status(signal) {
      let connection: Connection | null = null;
      try {
        connection = await Connection.open(host, port, timeoutMs, signal);
        return await ask(connection);
      } catch (error) {
        reason = (error as Error).message;
        return 'offline';
      } finally {
        connection?.close();
      }
    },
    async print(bytes, signal) {
      let connection: Connection;
      try {
        connection = await Connection.open(host, port, timeoutMs, signal);
      } catch (error) {
        reason = (error as Error).message;
        throw new PrinterError(`printer not reachable: ${reason}`, 'offline', false);
      }
      let sent = false;
      try {
        const before = await ask(connection).catch(() => 'offline' as const);
        if (!canPrint(before)) throw new PrinterError(`printer cannot print: ${before}`, before, false);
        sent = true;
        // The answer to GS r 1 after the receipt says the printer has processed all of it.
        await connection.write(withPaperSensorQuery(bytes));
        const [answer] = await connection.take(1, printTimeoutMs);
        if (parsePaperSensor(answer ?? 0xff) === 'paperOut') throw new PrinterError('paper ran out while printing', 'paperOut', true);
      } catch (error) {
        if (error instanceof PrinterError) throw error;
        throw new PrinterError(`printing failed: ${(error as Error).message}`, 'offline', sent);
      } finally {
        connection.close();
      }
    },
    // One connection per question: nothing stays open.
    close: () => undefined,
  };
}
