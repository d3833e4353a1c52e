// The receipt of a delivery, composed as a ReceiptLine document (receiptline, "markdown
// for receipts") and turned into ESC/POS by it. The words are the renderer's catalogs'
// `receipt` section (nl, en, de, fr), in the traveller's language: the one text the
// kiosk itself puts in front of a traveller, so it reads the catalogs' data (nothing else
// of the renderer; docs/architecture.md, dependency table).
import receiptline from 'receiptline';
import { CODE_ENTRY_URL, isProductCode, type DeliveryOutcome, type Language, type OfferedOrder } from '../domain/index.js';
import { de } from '../renderer/i18n/de.js';
import { en } from '../renderer/i18n/en.js';
import { fr } from '../renderer/i18n/fr.js';
import { nl } from '../renderer/i18n/nl.js';

const CATALOGS = { nl, en, de, fr } as const;
const LOCALES: Readonly<Record<Language, string>> = { nl: 'nl-NL', en: 'en-GB', de: 'de-DE', fr: 'fr-FR' };

/** 80 mm paper, Font A: 48 characters of 12 dots on 576 dots. */
export const CHARACTERS_PER_LINE = 48;

export interface ReceiptItem {
  readonly order: OfferedOrder;
  readonly outcome: DeliveryOutcome;
}

export interface ReceiptInput {
  readonly stationName: string;
  readonly at: Date;
  readonly cardNumber: string;
  readonly language: Language;
  /** Every order delivered in the run ("Alles ophalen"), in order. */
  readonly items: readonly ReceiptItem[];
  /** The kiosk's time zone (default: the system's). */
  readonly timeZone?: string;
}

/** A card number as a receipt shows it: only its last four digits. */
export function receiptCardNumber(cardNumber: string): string {
  return `**** **** **** ${cardNumber.slice(-4)}`;
}

/** Text as ReceiptLine prints it literally: its markup characters escaped, no control characters. */
export function literal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[\\|{}\-=_"`^~]/g, '\\$&');
}

const fill = (template: string, values: Readonly<Record<string, string>>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');

/** Words to lines of at most one receipt line each (receiptline breaks inside a word). */
export function wrapped(text: string, width = CHARACTERS_PER_LINE): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function itemLines(item: ReceiptItem, language: Language): string[] {
  const c = CATALOGS[language];
  const r = c.receipt;
  const money = (cents: number) => new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency: 'EUR' }).format(cents / 100);
  // Calendar dates (yyyy-mm-dd) never shift a day: formatted in UTC.
  const date = (iso: string) => new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
  const { outcome } = item;
  switch (outcome.kind) {
    case 'kaartservicecode':
      return [
        `"${literal(c.order.kaartservicecode)}"`,
        '',
        // The code large, alone on its line: never wrapped.
        `${outcome.code.length <= CHARACTERS_PER_LINE / 2 ? "^^^" : "^^"}"${literal(outcome.code)}"`,
        '',
        ...wrapped(fill(r.nextStep, { url: CODE_ENTRY_URL.replace(/^https?:\/\//, '') })).map((line) => `|${literal(line)}`),
        // The page where the code is entered, as the delivered screen's QR code: the address
        // only, never the code. 6 dots a module (a version 2 symbol is 19 mm wide), level M.
        '',
        `{code:${CODE_ENTRY_URL}; option:qrcode,6,m}`,
        '',
      ];
    case 'product': {
      const { productCode, validFrom, validUntil } = outcome.product;
      const name = isProductCode(productCode) ? c.products[productCode] : c.products.unknown;
      return [`"${literal(name)}"`, `${literal(r.valid)} | ${literal(`${date(validFrom)} – ${date(validUntil)}`)}`];
    }
    case 'topup':
      return [
        `"${literal(r.topup)}"`,
        `${literal(r.amount)} | ${literal(money(outcome.amountCents))}`,
        `${literal(r.newBalance)} | ${literal(money(outcome.balanceCents))}`,
      ];
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The receipt as a ReceiptLine document. */
export function receiptDocument(input: ReceiptInput): string {
  const r = CATALOGS[input.language].receipt;
  const at = new Intl.DateTimeFormat(LOCALES[input.language], {
    dateStyle: 'short',
    timeStyle: 'short',
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
  }).format(input.at);
  const lines = [
    `^"${literal(r.title)}"`,
    '',
    `${literal(r.station)} | ${literal(input.stationName)}`,
    `${literal(r.time)} | ${literal(at)}`,
    `${literal(r.card)} | ${literal(receiptCardNumber(input.cardNumber))}`,
    '-',
    ...input.items.flatMap((item, i) => [...(i > 0 ? ['-'] : []), ...itemLines(item, input.language)]),
    '-',
    literal(r.keep),
    // A cut after the last line.
    '=',
  ];
  return `${lines.join('\n')}\n`;
}

/** The receipt in ESC/POS bytes, ending in GS r 1 so the printer says when it has printed it. */
export function encodeReceipt(input: ReceiptInput): Uint8Array {
  const commands = receiptline.transform(receiptDocument(input), {
    command: 'escpos',
    cpl: CHARACTERS_PER_LINE,
    encoding: 'multilingual',
    cutting: true,
  });
  // receiptline gives one character per byte.
  return Uint8Array.from(Buffer.from(commands, 'latin1'));
}
