import { describe, expect, it } from 'vitest';
import { isValidNpi } from './npi.js';

describe('isValidNpi', () => {
  it('accepts NPIs whose last digit is the Luhn check over 80840 and the first nine', () => {
    // 1234567893 is the worked example of the CMS check-digit standard.
    for (const npi of ['1234567893', '1245319599', '1003000126', '1992999551']) expect(isValidNpi(npi), npi).toBe(true);
  });

  it('refuses a wrong check digit, every single-digit change and every swap of neighbours', () => {
    expect(isValidNpi('1234567890')).toBe(false);
    const valid = '1234567893';
    for (let i = 0; i < 10; i++) {
      for (let d = 0; d <= 9; d++) {
        const changed = valid.slice(0, i) + String(d) + valid.slice(i + 1);
        if (changed !== valid) expect(isValidNpi(changed), changed).toBe(false);
      }
    }
    for (let i = 0; i < 9; i++) {
      const swapped = valid.slice(0, i) + valid[i + 1] + valid[i] + valid.slice(i + 2);
      if (swapped !== valid && !['09', '90'].includes(valid[i]! + valid[i + 1]!)) expect(isValidNpi(swapped), swapped).toBe(false);
    }
  });

  it('refuses anything but ten digits', () => {
    for (const npi of ['', '123456789', '12345678933', '123456789a', ' 1234567893', '1234-567893']) expect(isValidNpi(npi), npi).toBe(false);
  });
});
