// What the operator may enter for a technician (`add-technician`): checked here before
// anything is hashed or stored, so that no kiosk ever receives a credential it must refuse.
// A PIN has 6 to 8 digits and is not one a thief tries first.
import { z } from 'zod';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from '../domain/index.js';
import { cardNumberSchema } from '../protocol/kiosk-api.js';

export const technicianIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - or _ (at most 64)');

/** Which rule this PIN breaks (the console says it in the operator's language), or null when it will do. */
export function pinProblemKind(pin: string): 'digits' | 'repeated' | 'sequence' | null {
  if (!new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`).test(pin)) return 'digits';
  if (/^(\d)\1+$/.test(pin)) return 'repeated';
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - (digits[i] ?? 0) + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return 'sequence';
  return null;
}

/** Why this PIN is refused, or null when it will do. */
export function pinProblem(pin: string): string | null {
  switch (pinProblemKind(pin)) {
    case 'digits':
      return `a PIN has ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits`;
    case 'repeated':
      return 'a PIN of one digit repeated is guessed first';
    case 'sequence':
      return 'a run of consecutive digits is guessed first';
    default:
      return null;
  }
}

/** The problems of a technician as entered (empty: it can be saved). */
export function technicianProblems(input: { id: string; cardNumber: string; pin: string }): string[] {
  const problems: string[] = [];
  if (!technicianIdSchema.safeParse(input.id).success) problems.push(`technician id "${input.id.slice(0, 64)}": letters, digits, - or _ (at most 64)`);
  if (!cardNumberSchema.safeParse(input.cardNumber).success) problems.push(`card number "${input.cardNumber.slice(0, 32)}": 16 digits`);
  const pin = pinProblem(input.pin);
  if (pin) problems.push(pin);
  return problems;
}
