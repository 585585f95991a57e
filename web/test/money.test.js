import { describe, expect, test } from 'vitest';
import { compareDecimal, formatDecimal, formatMoney, formatNav, formatRate, formatYuan, isMoneyInput, toUnits } from '../src/lib/money.js';

describe('formatMoney', () => {
  test('two decimals and thousands separators', () => {
    expect(formatMoney('1234567.5')).toBe('1,234,567.50');
    expect(formatMoney('0.00')).toBe('0.00');
    expect(formatMoney('999.99')).toBe('999.99');
    expect(formatMoney('1000')).toBe('1,000.00');
    expect(formatMoney('12345678901234567.89')).toBe('12,345,678,901,234,567.89');
  });
  test('no floating point: values a double cannot hold stay exact', () => {
    expect(formatMoney('90071992547409931.23')).toBe('90,071,992,547,409,931.23');
    expect(formatMoney('0.1')).toBe('0.10');
    expect(formatMoney('1.005')).toBe('1.01'); // a double would give 1.00
  });
  test('half-up beyond two decimals, carrying into the integer part', () => {
    expect(formatMoney('9.995')).toBe('10.00');
    expect(formatMoney('999999.999')).toBe('1,000,000.00');
    expect(formatMoney('1.004')).toBe('1.00');
  });
  test('negative amounts and signs', () => {
    expect(formatMoney('-1234.5')).toBe('-1,234.50');
    expect(formatMoney('-0.00')).toBe('0.00');
    expect(formatMoney('12.3', { sign: true })).toBe('+12.30');
    expect(formatMoney('-12.3', { sign: true })).toBe('-12.30');
    expect(formatMoney('0', { sign: true })).toBe('0.00');
  });
  test('anything that is not a decimal answers the fallback', () => {
    for (const bad of [null, undefined, '', 'abc', '1e5', '1.2.3', '1,000.00', 'NaN']) {
      expect(formatMoney(bad)).toBe('--');
    }
    expect(formatMoney('x', { fallback: '' })).toBe('');
  });
  test('yuan prefix', () => {
    expect(formatYuan('1234.5')).toBe('¥1,234.50');
    expect(formatYuan('-3')).toBe('-¥3.00');
    expect(formatYuan('3', { sign: true })).toBe('+¥3.00');
  });
});

describe('other scales', () => {
  test('NAV with four decimals, rates as percentages', () => {
    expect(formatNav('1.128')).toBe('1.1280');
    expect(formatNav('10000.00005')).toBe('10,000.0001');
    expect(formatRate('0.015000')).toBe('1.50%');
    expect(formatRate('0.0008')).toBe('0.08%');
    expect(formatRate('0.100000', 0)).toBe('10%');
    expect(formatRate('1')).toBe('100.00%');
    expect(formatDecimal('123', 0)).toBe('123');
  });
  test('toUnits and comparisons', () => {
    expect(toUnits('12.345', 2)).toEqual({ neg: false, units: 1235n });
    expect(compareDecimal('100.00', '99.99')).toBe(1);
    expect(compareDecimal('0.1', '0.10')).toBe(0);
    expect(compareDecimal('-1', '0')).toBe(-1);
    expect(compareDecimal('x', '0')).toBe(null);
  });
  test('money input as the API accepts it', () => {
    for (const ok of ['1', '0.5', '100.25', '1000000']) expect(isMoneyInput(ok)).toBe(true);
    for (const bad of ['', '01', '1.234', '-1', '1e3', ' 1', '1,000']) expect(isMoneyInput(bad)).toBe(false);
  });
});
