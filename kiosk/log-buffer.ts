// The recent log, kept in memory for the technician's "view the recent log": a pino
// destination that keeps the last lines it was given.
import { Writable } from 'node:stream';
import type { LogLineView } from './contract.js';

const LEVELS: Record<number, LogLineView['level']> = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

export class LogBuffer extends Writable {
  private readonly lines: LogLineView[] = [];

  constructor(private readonly capacity = 200) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (const text of String(chunk).split('\n')) {
      if (text.trim()) this.add(text);
    }
    callback();
  }

  private add(text: string): void {
    let line: LogLineView;
    try {
      const record = JSON.parse(text) as { time?: number; level?: number; msg?: string };
      line = {
        at: new Date(record.time ?? Date.now()).toISOString(),
        level: LEVELS[record.level ?? 30] ?? 'info',
        message: record.msg ?? '',
      };
    } catch {
      line = { at: new Date().toISOString(), level: 'info', message: text.slice(0, 500) };
    }
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  /** Newest first. */
  recent(limit = 100): LogLineView[] {
    return this.lines.slice(-limit).reverse();
  }
}
