/**
 * The US National Provider Identifier check: ten digits whose last one is a
 * Luhn check digit computed over the first nine prefixed with 80840 (the
 * card-issuer prefix the standard assigns to health applications).
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  // Luhn: from the rightmost digit of the payload, double every other one.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let digit = Number(digits[i]);
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}
