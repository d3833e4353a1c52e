// What every screen needs: the machine's language (texts, amounts, dates) and a way to
// send. Provided once by App so screens stay plain functions of their Screen.
import { createContext, useContext } from 'react';
import type { TFunction } from 'i18next';
import type { UiEvent } from '../kiosk/contract.js';
import type { Language } from '../domain/index.js';

export interface KioskContextValue {
  readonly language: Language;
  readonly t: TFunction;
  readonly money: (cents: number) => string;
  /** A calendar date, or the date of an instant ("31 maart 2031"). */
  readonly date: (iso: string) => string;
  /** The time of an instant, hours and minutes ("09:02"). */
  readonly time: (iso: string) => string;
  /** An instant with its time, to the second (technician screens). */
  readonly dateTime: (iso: string) => string;
  readonly number: (value: number) => string;
  /** A size in bytes as MB or GB. */
  readonly bytes: (bytes: number) => string;
  readonly send: (event: UiEvent) => void;
  /** High contrast and large text is on: screens that page show fewer items per page. */
  readonly largeText: boolean;
  /**
   * "Bent u er nog?" is up: the traveller may have walked away, so secrets on the screen
   * (a kaartservicecode) are taken off it until someone answers.
   */
  readonly covered: boolean;
}

export const KioskContext = createContext<KioskContextValue | null>(null);

export function useKiosk(): KioskContextValue {
  const value = useContext(KioskContext);
  if (!value) throw new Error('useKiosk() outside <App>');
  return value;
}
