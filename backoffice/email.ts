// The e-mails the online side promises go through an outbox in the back office's
// database; a dispatcher claims a batch (so that another instance's dispatcher on the same
// database does not send them too), hands them to a pluggable sender and marks each sent
// only after the sender succeeded. The default sender appends JSON lines to a file.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { EmailRow } from './db.js';
import { mailText } from './email-i18n.js';
import type { BackOfficeStore } from './store.js';

export interface Email {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly orderId: string;
  readonly template: EmailRow['template'];
}

export interface EmailSender {
  send(email: Email): Promise<void>;
}

/** Never contains a kaartservicecode: that is shown only at the machine. */
export function renderEmail(row: EmailRow): Email {
  const base = { to: row.to, orderId: row.orderId, template: row.template };
  switch (row.template) {
    case 'ready':
      return {
        ...base,
        subject: 'Your order is ready at the machine',
        text: `Hold your OV-chipkaart at any ticket machine and choose "Ophalen bestelling" to pick up order ${row.orderId}.`,
      };
    case 'picked-up':
      // A code requested online (its row has the traveller's language): in that language.
      if (row.language !== null) return { ...base, ...mailText(row.language, 'code-picked-up', row.cardNumber) };
      return { ...base, subject: 'Picked up', text: `Order ${row.orderId} was picked up at a ticket machine.` };
    case 'cancelled':
      return { ...base, subject: 'Order cancelled', text: `Order ${row.orderId} was cancelled.` };
    // A kaartservicecode requested online (issue 14): in the traveller's language, never the code.
    case 'code-requested':
    case 'code-ready':
      return { ...base, ...mailText(row.language ?? 'nl', row.template, row.cardNumber) };
    default: {
      const unreachable: never = row.template;
      throw new Error(`unknown template ${String(unreachable)}`);
    }
  }
}

export class FileEmailSender implements EmailSender {
  constructor(private readonly file: string) {}
  async send(email: Email): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    // Personal data (addresses): the file is the owner's only (0600).
    await appendFile(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...email })}\n`, { mode: 0o600 });
  }
}

export class LogEmailSender implements EmailSender {
  constructor(private readonly log: Logger) {}
  async send(email: Email): Promise<void> {
    this.log.info({ to: email.to, orderId: email.orderId, template: email.template }, 'e-mail sent (log sender)');
  }
}

/**
 * Sends what is queued, oldest first, as dispatcher `by` (one per instance, and one round at
 * a time in it): what it claims no other dispatcher sends, unless this one's claim goes stale
 * (it died between claiming and sending). A failed e-mail stays queued and is retried next
 * round; the rest of the batch stays claimed by `by`, which takes its own claims again.
 * At least once: an instance that dies after the sender succeeded and before it was marked
 * sent leaves it to be sent again after the reclaim timeout.
 */
export async function dispatchEmails(
  store: Pick<BackOfficeStore, 'claimEmails' | 'emailSent' | 'emailFailed'>,
  sender: EmailSender,
  log: Logger,
  options: { by: string; batch?: number; reclaimMs?: number },
): Promise<number> {
  let sent = 0;
  for (const row of await store.claimEmails(options.by, options.batch ?? 50, options.reclaimMs)) {
    try {
      await sender.send(renderEmail(row));
      await store.emailSent(row.id);
      sent++;
    } catch (error) {
      await store.emailFailed(row.id, error instanceof Error ? error.message : String(error));
      log.warn({ emailId: row.id, attempts: row.attempts + 1, err: String(error) }, 'e-mail not sent; retried later');
      break; // the sender is unwell: do not hammer it with the rest of the batch
    }
  }
  return sent;
}
