// The recent log, kept in memory for the technician's "view the recent log": a pino
// destination that keeps the last lines it was given.
import { Writable } from 'node:stream';
import type { LogLineView } from './contract.js';

const LEVELS: Record<number, LogLineView['level']> = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

/** A field as the page shows it: text, at most 200 characters; anything else is not shown. */
function shortText(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return value.length > 200 ? `${value.slice(0, 199)}…` : value;
}

/** Why a line was written, from the fields the kiosk's code uses for it. */
function reasonOf(record: Record<string, unknown>): string | undefined {
  for (const field of ['reason', 'failure', 'fault', 'error', 'err']) {
    const text = shortText(record[field]);
    if (text) return text;
  }
  const err = record.err;
  if (err && typeof err === 'object') return shortText((err as { message?: unknown }).message);
  return undefined;
}

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
      const record = JSON.parse(text) as Record<string, unknown>;
      const time = typeof record.time === 'number' ? record.time : Date.now();
      const level = typeof record.level === 'number' ? record.level : 30;
      const state = shortText(record.state);
      const order = shortText(record.orderId) ?? shortText(record.order);
      const reason = reasonOf(record);
      line = {
        at: new Date(time).toISOString(),
        level: LEVELS[level] ?? 'info',
        message: shortText(record.msg) ?? '',
        ...(state ? { state } : {}),
        ...(order ? { order } : {}),
        ...(reason ? { reason } : {}),
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
