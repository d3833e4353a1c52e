// Amounts, numbers, sizes and dates in the machine's language. Dates in the contract
// are ISO strings: a plain yyyy-mm-dd is a calendar date (formatted in UTC so it never
// shifts a day), anything longer is an instant shown in the kiosk's own time zone.
import type { Language } from '../domain/index.js';

export const LOCALES: Readonly<Record<Language, string>> = { nl: 'nl-NL', en: 'en-GB', de: 'de-DE', fr: 'fr-FR' };

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(key: string, language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `number:${key}:${language}`;
  let format = formats.get(id);
  if (!(format instanceof Intl.NumberFormat)) {
    format = new Intl.NumberFormat(LOCALES[language], options);
    formats.set(id, format);
  }
  return format;
}

function dateFormat(key: string, language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `date:${key}:${language}`;
  let format = formats.get(id);
  if (!(format instanceof Intl.DateTimeFormat)) {
    format = new Intl.DateTimeFormat(LOCALES[language], options);
    formats.set(id, format);
  }
  return format;
}

export function formatMoney(cents: number, language: Language): string {
  return numberFormat('money', language, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export function formatNumber(value: number, language: Language): string {
  return numberFormat('plain', language, {}).format(value);
}

const MEGABYTE = 1_000_000;
const GIGABYTE = 1_000_000_000;

/** Sizes in decimal units as Intl names them: MB up to a gigabyte, GB above. */
export function formatBytes(bytes: number, language: Language): string {
  const unit = bytes >= GIGABYTE ? 'gigabyte' : 'megabyte';
  const value = bytes / (unit === 'gigabyte' ? GIGABYTE : MEGABYTE);
  return numberFormat(unit, language, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function formatDate(iso: string, language: Language): string {
  const calendarDate = CALENDAR_DATE.test(iso);
  const date = new Date(calendarDate ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', ...(calendarDate ? { timeZone: 'UTC' } : {}) };
  return dateFormat(calendarDate ? 'utc' : 'local', language, options).format(date);
}

/** An instant with its time to the second (logs, last sync), in the kiosk's time zone. */
export function formatDateTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormat('dateTime', language, { dateStyle: 'short', timeStyle: 'medium' }).format(date);
}

/** The time of an instant, hours and minutes ("09:02"), in the kiosk's time zone. */
export function formatTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormat('time', language, { hour: '2-digit', minute: '2-digit' }).format(date);
}
