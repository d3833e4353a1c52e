// The account's bank account (issue 14: a refund paid to the bank): an IBAN as typed ("nl91
// abna 0417 1643 00") checked with ibantools — the country's format (length, BBAN pattern)
// and the ISO 7064 checksum — and kept in electronic format. Never logged whole: maskIban
// (backoffice/claims.ts) shows its last 4 characters.
import { electronicFormatIBAN, validateIBAN, ValidationErrorsIBAN } from 'ibantools';

const WHY: Record<ValidationErrorsIBAN, string> = {
  [ValidationErrorsIBAN.NoIBANProvided]: 'no IBAN given',
  [ValidationErrorsIBAN.NoIBANCountry]: 'the IBAN does not begin with a known country code',
  [ValidationErrorsIBAN.WrongBBANLength]: "the IBAN's length is not its country's",
  [ValidationErrorsIBAN.WrongBBANFormat]: "the IBAN does not have its country's format",
  [ValidationErrorsIBAN.ChecksumNotNumber]: "the IBAN's check digits are not digits",
  [ValidationErrorsIBAN.WrongIBANChecksum]: "the IBAN's check digits are wrong (a typing error?)",
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: "the IBAN's national account checksum is wrong",
  [ValidationErrorsIBAN.QRIBANNotAllowed]: 'a QR-IBAN cannot receive a payout',
};

/** The IBAN in electronic format, or why it is not one (a message for the traveller, without the IBAN). */
export function parseIban(typed: string): { readonly ok: true; readonly iban: string } | { readonly ok: false; readonly error: string } {
  const iban = electronicFormatIBAN(typed) ?? '';
  const result = validateIBAN(iban);
  if (result.valid) return { ok: true, iban };
  const first = result.errorCodes[0] ?? ValidationErrorsIBAN.NoIBANProvided;
  return { ok: false, error: `invalid IBAN: ${WHY[first]}` };
}
