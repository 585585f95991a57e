// Business time is China Standard Time (UTC+8, no DST), whatever the browser's zone.
import dayjs from 'dayjs';

const CST_MS = 8 * 3600 * 1000;

function parts(ms) {
  const d = new Date(Number(ms) + CST_MS);
  const p = (n) => String(n).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`,
  };
}

/** UTC milliseconds → "2026-03-02 14:05:09" in UTC+8. */
export function formatDateTime(ms, fallback = '--') {
  if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return fallback;
  const { date, time } = parts(ms);
  return `${date} ${time}`;
}

/** UTC milliseconds → "2026-03-02" in UTC+8. */
export function formatDate(ms, fallback = '--') {
  if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return fallback;
  return parts(ms).date;
}

/** Today's business date in UTC+8, optionally for a given clock (ms). */
export function todayCst(now = Date.now()) {
  return parts(now).date;
}

/** "YYYY-MM-DD" shifted by whole months/years, for chart ranges. */
export function shiftDate(date, amount, unit) {
  return dayjs(date).add(amount, unit).format('YYYY-MM-DD');
}
