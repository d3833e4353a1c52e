// Amounts and dates in the machine's language. Dates in the contract are ISO strings:
// a plain yyyy-mm-dd is a calendar date (formatted in UTC so it never shifts a day),
// anything longer is an instant shown in the kiosk's own time zone.
import type { Language } from '../machine/types.js';

export const LOCALES: Readonly<Record<Language, string>> = { nl: 'nl-NL', en: 'en-GB' };

const moneyFormats = new Map<Language, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatMoney(cents: number, language: Language): string {
  let format = moneyFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency: 'EUR' });
    moneyFormats.set(language, format);
  }
  return format.format(cents / 100);
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function formatDate(iso: string, language: Language): string {
  const calendarDate = CALENDAR_DATE.test(iso);
  const date = new Date(calendarDate ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  const key = `${language}:${calendarDate ? 'utc' : 'local'}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[language], {
      dateStyle: 'long',
      ...(calendarDate ? { timeZone: 'UTC' } : {}),
    });
    dateFormats.set(key, format);
  }
  return format.format(date);
}
