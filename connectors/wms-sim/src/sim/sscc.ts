import { gs1CheckDigit } from '@tradelane/canonical';

/**
 * Builds an SSCC-18: extension digit, GS1 company prefix, serial reference (padded to fill 17 digits), check digit.
 * @example buildSscc(1, '0614141', 123456789) // '106141411234567897'
 */
export function buildSscc(extensionDigit: number, companyPrefix: string, serial: number): string {
  if (!Number.isInteger(extensionDigit) || extensionDigit < 0 || extensionDigit > 9) throw new RangeError('SSCC extension digit must be 0-9');
  if (!/^\d{6,12}$/.test(companyPrefix)) throw new RangeError('GS1 company prefix must be 6-12 digits');
  const serialDigits = 16 - companyPrefix.length;
  const serialText = String(serial % 10 ** serialDigits).padStart(serialDigits, '0');
  const body = `${extensionDigit}${companyPrefix}${serialText}`;
  return `${body}${gs1CheckDigit(body)}`;
}
