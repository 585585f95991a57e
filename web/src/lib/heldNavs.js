// NAVs held for a second confirmation (GET /api/v1/inst/navs/held): a NAV that moved more
// than the bound from the previous confirmed one waits until another member of staff confirms
// or withdraws it, and the orders of its date wait with it. Pure helpers for the console page.
import { tr } from './i18n.js';

const MOVE = /^(-?)(0|[1-9]\d*)\.(\d{2})$/;

/**
 * The move in percent as the server writes it ("23.45", "-12.00") → {text, dir}: text signed
 * ("+23.45%", "-12.00%", "0.00%"), dir 'up', 'down' or 'flat'. Null (a product's first NAV) or
 * anything that is not such a string answers {text: fallback, dir: null}.
 */
export function formatMove(movePct, fallback = '--') {
  const m = typeof movePct === 'string' ? MOVE.exec(movePct) : null;
  if (!m) return { text: fallback, dir: null };
  const zero = m[2] === '0' && m[3] === '00';
  if (zero) return { text: '0.00%', dir: 'flat' };
  return m[1] === '-' ? { text: `-${m[2]}.${m[3]}%`, dir: 'down' } : { text: `+${m[2]}.${m[3]}%`, dir: 'up' };
}

/** The roles that may confirm or withdraw a held NAV (compliance may only look). */
export const DECIDERS = ['inst_admin', 'inst_operator'];

/**
 * Why this user may not confirm this held NAV, or null when they may: a NAV is confirmed by a
 * member of staff other than its publisher, and only by an admin or an operator.
 */
export function confirmBlocked(item, role) {
  if (!DECIDERS.includes(role)) return tr('仅机构管理员或运营可复核', 'Only an admin or an operator may confirm');
  if (item?.yours) return tr('由你发布，需另一位员工复核', 'You published it: another member of staff must confirm it');
  return null;
}

/** Oldest first (by date, then product code), as the server answers; a copy, never in place. */
export function sortHeld(items) {
  return [...(Array.isArray(items) ? items : [])].sort((a, b) => {
    if (a.date !== b.date) return a.date < b.date ? -1 : 1;
    const ca = String(a.product_code ?? '');
    const cb = String(b.product_code ?? '');
    return ca < cb ? -1 : ca > cb ? 1 : 0;
  });
}

/** {navs, orders}: how many NAVs are held and how many orders wait for them in all. */
export function heldSummary(items) {
  const list = Array.isArray(items) ? items : [];
  let orders = 0;
  for (const x of list) {
    const n = Number(x?.orders_waiting);
    if (Number.isInteger(n) && n > 0) orders += n;
  }
  return { navs: list.length, orders };
}
