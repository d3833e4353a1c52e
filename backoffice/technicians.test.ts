// ATTACK (issue 11): add-technician accepted PIN "12", "abc" and card "notacard".
import { describe, expect, it } from 'vitest';
import { pinProblem, technicianProblems } from './technicians.js';

describe('what add-technician accepts', () => {
  it('refuses the PINs, cards and ids an old add-technician took', () => {
    expect(technicianProblems({ id: 'T-0002', cardNumber: 'notacard', pin: '12' })).toEqual([
      'card number "notacard": 16 digits',
      'a PIN has 6 to 8 digits',
    ]);
    expect(pinProblem('abc')).toBe('a PIN has 6 to 8 digits');
    expect(pinProblem('4321')).toBe('a PIN has 6 to 8 digits');
    expect(technicianProblems({ id: 'T 1; DROP', cardNumber: '3528010000000001', pin: '482913' })).toHaveLength(1);
  });

  it('refuses the PINs guessed first', () => {
    for (const pin of ['000000', '11111111', '123456', '234567', '987654', '890123']) expect(pinProblem(pin), pin).not.toBeNull();
  });

  it('takes a good one', () => {
    expect(technicianProblems({ id: 'T-0002', cardNumber: '3528010000000002', pin: '482913' })).toEqual([]);
    expect(pinProblem('70315826')).toBeNull();
  });
});
