import { describe, expect, test } from 'vitest';
import { bestOffer, offerNote, offerPercent, offerTag, offerZhe } from '../src/lib/offers.js';

describe('fee-discount offers', () => {
  test('折 is the tenths of the fee still paid', () => {
    expect(offerZhe('0.500000')).toBe('5');
    expect(offerZhe('0.25')).toBe('7.5');
    expect(offerZhe('0.125000')).toBe('8.75');
    expect(offerZhe('0.000001')).toBe('9.99999');
    expect(offerZhe('1.000000')).toBe('0');
    expect(offerZhe('0')).toBe(null);
    expect(offerZhe('1.5')).toBe(null);
    expect(offerZhe('x')).toBe(null);
  });
  test('the share taken off as a percentage', () => {
    expect(offerPercent('0.500000')).toBe('50');
    expect(offerPercent('0.125')).toBe('12.5');
  });
  test('the tag says it comes on top of the platform discount', () => {
    expect(offerTag('0.500000')).toBe('申购费再享5折');
    expect(offerTag('0.300000')).toBe('申购费再享7折');
    expect(offerTag('1.000000')).toBe('申购费率全免');
    expect(offerTag('2')).toBe('');
  });
  test('the note gives the end date and that the budget may run out', () => {
    const s = offerNote({ end_date: '2026-03-31' });
    expect(s).toContain('2026-03-31');
    expect(s).toContain('用完即止');
  });
  test('the best offer is the largest discount, the first of equals', () => {
    const a = { id: '1', discount: '0.500000' };
    const b = { id: '2', discount: '0.700000' };
    const c = { id: '3', discount: '0.700000' };
    expect(bestOffer([a, b, c])).toBe(b);
    expect(bestOffer([])).toBe(null);
    expect(bestOffer(undefined)).toBe(null);
  });
});
