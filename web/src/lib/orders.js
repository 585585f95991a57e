// What the investor app tells about an order's dates.

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * The date an accepted order's shares (a subscription) or amount (a redemption) are expected
 * to be confirmed: its `confirm_date` (T+1), or null when the order is not waiting for
 * confirmation any more (confirmed, cancelled, failed) or the server gave no date (the trading
 * calendar does not reach that far).
 */
export function expectedConfirmDate(order) {
  if (!order || order.status !== 'accepted') return null;
  const d = order.confirm_date;
  return typeof d === 'string' && DATE.test(d) ? d : null;
}
