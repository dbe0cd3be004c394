/**
 * A caller's number in one form, so that "+43 660 123456789",
 * "+43660123456789" and "0043 660 123456789" are one caller wherever
 * numbers are hashed, matched or masked: "+" and digits, the international
 * prefix "00" read as "+". A number without either stays as dialled ("+"
 * and its digits): without a country it cannot be completed.
 */
const CANONICAL = /^\+[0-9]+$/;

export function canonicalPhone(phone: string | null | undefined): string | undefined {
  if (phone !== null && phone !== undefined && CANONICAL.test(phone)) return phone; // as Callina sends it: nothing to do
  const compact = (phone ?? '').normalize('NFKC').replace(/[^\d+]/g, '');
  const digits = compact.replace(/^(\+|00)/, '').replace(/\D/g, '');
  return digits ? `+${digits}` : undefined;
}
