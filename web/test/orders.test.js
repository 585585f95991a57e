import { expect, test } from 'vitest';
import { expectedConfirmDate } from '../src/lib/orders.js';

test('an accepted order shows its T+1 confirmation date', () => {
  expect(expectedConfirmDate({ status: 'accepted', trade_date: '2026-03-02', confirm_date: '2026-03-03' })).toBe('2026-03-03');
  expect(expectedConfirmDate({ status: 'accepted', trade_date: '2026-02-27', confirm_date: '2026-03-02' })).toBe('2026-03-02');
});
test('a confirmed, cancelled or failed order keeps what it shows now', () => {
  for (const status of ['confirmed', 'cancelled', 'failed']) {
    expect(expectedConfirmDate({ status, confirm_date: '2026-03-03' })).toBe(null);
  }
});
test('no date (beyond the trading calendar) or a malformed one shows none', () => {
  expect(expectedConfirmDate({ status: 'accepted', confirm_date: null })).toBe(null);
  expect(expectedConfirmDate({ status: 'accepted' })).toBe(null);
  for (const bad of ['', '2026-3-3', '2026-13-01', '2026-03-32', '20260303', 20260303, '2026-03-03T00:00']) {
    expect(expectedConfirmDate({ status: 'accepted', confirm_date: bad })).toBe(null);
  }
  expect(expectedConfirmDate(null)).toBe(null);
  expect(expectedConfirmDate(undefined)).toBe(null);
});
