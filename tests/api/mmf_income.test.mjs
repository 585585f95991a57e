// Money-market income through the API and the batches. Two investors subscribe a money-market
// fund (NAV 1.0000, no fees); its institution publishes the income per 10,000 shares every
// calendar day, a weekend included; `batch mmf-income` credits each day's income as shares
// (truncated to the hundredth), and a second run credits nothing more. The credited shares and
// the 7-day annualised yield are recomputed here with BigInt from the rules of docs/trading.md.
//
// Timeline (China Standard Time):
//   Thu 2026-03-05 10:00  the fund is listed; the investors subscribe; NAV and income of 03-05;
//                         20:00 the subscriptions are confirmed, lots dated T+1 = Fri 03-06
//   Thu 2026-03-12 10:00  NAV and income of Fri 03-06 … Thu 03-12 (Sat 03-07 and Sun 03-08
//                         included): the 7-day yield appears with 03-11, the 7th day of income
//   Thu 2026-03-12 20:00  `batch mmf-income` for 03-05 … 03-12 in order, then all over again

import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { STAFF_PASSWORD, login } from './lib/fixtures.mjs';
import { expectOk } from './lib/http.mjs';
import {
  ANSWERS, World, api, batchReport, checkContract, expectCash, expectLedgerOk, fmt, getOrder,
  holdings, institutionWithStaff, mulDiv, productBody, publishNav, readyInvestor, subQuote,
  subscribe, sum, units,
} from './lib/trading.mjs';

const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

const s = {};

// Income per 10,000 shares (万份收益, CNY) by calendar day.
const INCOME = {
  '2026-03-05': '0.5123',
  '2026-03-06': '0.4987', // Friday
  '2026-03-07': '0.4987', // Saturday
  '2026-03-08': '0.4987', // Sunday
  '2026-03-09': '0.5301',
  '2026-03-10': '0.5012',
  '2026-03-11': '0.4899',
  '2026-03-12': '0.5555',
};
const DAYS = Object.keys(INCOME);
const AMOUNTS = { first: '12345.67', second: '8888.88' };

async function at(date, time = '10:00:00') {
  await w.at(date, time);
  if (!s.doc) {
    s.doc = await loadOpenApi(w.base);
    checkContract(s.doc);
  }
  if (s.staff) {
    s.staff.admin.token = (await login(w.base, s.staff.admin.login, STAFF_PASSWORD)).token;
  }
  for (const inv of Object.values(s.inv ?? {})) {
    inv.token = (await login(w.base, inv.mobile, inv.password)).token;
  }
}

/** One holder's income for a day in hundredths of a share: shares × income / 10,000, truncated. */
function income(sharesH, perTenK, mode = 'truncate') {
  return mulDiv(sharesH, units(perTenK, 4), 10000n * 10000n, mode);
}

/**
 * The 7-day annualised yield in %, 3 decimals, half-up: (Σ income / 7) × 365 / 10,000 × 100%,
 * from the 7 calendar days ending on `date`; null when one of them has no income.
 */
function yield7d(date) {
  const end = Date.parse(`${date}T00:00:00Z`);
  let total = 0n;
  for (let k = 0; k < 7; k++) {
    const d = new Date(end - k * 86400000).toISOString().slice(0, 10);
    if (INCOME[d] === undefined) return null;
    total += units(INCOME[d], 4);
  }
  // total is in 0.0001 CNY; the answer in 0.001 %.
  return fmt(mulDiv(total * 365n * 100n * 1000n, 1n, 7n * 10000n * 10000n), 3);
}

test('Thu 2026-03-05: a money-market fund, two subscriptions, confirmed at 1.0000', async () => {
  await at('2026-03-05');
  s.staff = await institutionWithStaff(w.srv);
  const res = await api(w.base, 'POST', '/api/v1/inst/products', { token: s.staff.admin.token,
    body: productBody({ name: '测试货币A', type: 'money_market', equity_leaning: false,
      risk_level: 'R1', sub_fees: [{ min_amount: '0.00', max_amount: null, rate: '0' }],
      red_fees: [{ min_days: 0, max_days: null, rate: '0' }], fee_discount: '1',
      share_rounding: 'truncate', redeem_delay_days: 1, benchmark: '七天通知存款利率（税后）' }) });
  s.product = expectOk(res, 201).product;
  assert.deepEqual([s.product.type, s.product.risk_level], ['money_market', 'R1']);

  s.inv = {};
  s.orders = {};
  for (const [who, amount] of Object.entries(AMOUNTS)) {
    s.inv[who] = await readyInvestor(w.base, { answers: ANSWERS.C2, cashAmount: amount });
    // C2 buys R1 without a warning.
    s.orders[who] = expectOk(await subscribe(w.base, s.inv[who].token, s.product.id, amount),
      201).order;
    assert.equal(s.orders[who].trade_date, '2026-03-05');
  }

  const nav = expectOk(await publishNav(w.base, s.staff.admin.token, s.product.id,
    { date: '2026-03-05', nav: '1.0000', acc_nav: '1.0000',
      income_per_10k: INCOME['2026-03-05'] }), 201).nav;
  assert.deepEqual(nav, { date: '2026-03-05', nav: '1.0000', acc_nav: '1.0000',
    income_per_10k: '0.5123', confirmed: true });

  const rep = await w.confirm('2026-03-05');
  assert.deepEqual([rep.processed, rep.failed, rep.waiting], [2, 0, 0], rep.stdout);
  for (const [who, amount] of Object.entries(AMOUNTS)) {
    const o = await getOrder(w.base, s.inv[who].token, s.orders[who].id);
    const q = subQuote({ amount, rate: '0', nav: '1.0000', rounding: 'truncate' });
    assert.deepEqual(q, { fee: '0.00', net: amount, shares: amount });
    assert.deepEqual([o.status, o.fee, o.net, o.confirmed_shares], ['confirmed', q.fee, q.net,
      q.shares]);
    await expectCash(w.base, s.inv[who].token, { available: '0.00' }, who);
  }
  const lots = (await w.sql(`SELECT DISTINCT confirmed_date FROM share_lots
    WHERE product_id = ${s.product.id};`)).trim();
  assert.equal(lots, '2026-03-06', 'lots are dated T+1');
});

test('Thu 2026-03-12: a week of income, the weekend included; the platform\'s 7-day yield',
  async () => {
    await at('2026-03-12');
    for (const date of DAYS.slice(1)) {
      const body = { date, nav: '1.0000', acc_nav: '1.0000', income_per_10k: INCOME[date] };
      // The last day also states the yield the institution computed: it must be ours.
      if (date === '2026-03-12') body.yield_7d = yield7d(date);
      const nav = expectOk(await publishNav(w.base, s.staff.admin.token, s.product.id, body),
        201).nav;
      const want = yield7d(date);
      assert.equal(nav.yield_7d, want ?? undefined, `yield of ${date}`);
      assert.equal(nav.income_per_10k, INCOME[date]);
    }
    // By hand: 03-05 … 03-11 sum to 3.5296, × 365 / 7 / 10,000 = 1.84043% → 1.840;
    // 03-06 … 03-12 sum to 3.5728 → 1.86296% → 1.863 (half-up; truncated it would be 1.862).
    assert.deepEqual([yield7d('2026-03-10'), yield7d('2026-03-11'), yield7d('2026-03-12')],
      [null, '1.840', '1.863']);

    const items = expectOk(await api(w.base, 'GET',
      `/api/v1/public/products/${s.product.id}/navs?from=2026-03-01&to=2026-03-31`)).items;
    assert.deepEqual(items, DAYS.map((date) => {
      const item = { date, nav: '1.0000', acc_nav: '1.0000', income_per_10k: INCOME[date] };
      if (yield7d(date) !== null) item.yield_7d = yield7d(date);
      return item;
    }));
    const p = expectOk(await api(w.base, 'GET', `/api/v1/public/products/${s.product.id}`))
      .product;
    assert.deepEqual(p.latest_nav, { nav: '1.0000', date: '2026-03-12' });
  });

/** Runs `batch mmf-income --date d`; answers the report. */
async function mmfIncome(d) {
  return batchReport(await w.cliOk(['batch', 'mmf-income', '--date', d], '2026-03-12',
    '20:00:00'));
}

test('batch mmf-income credits each day\'s income as shares, truncated', async () => {
  // The model: a subscription lot dated D (T+1) earns from D, so the lots dated 03-06 first
  // earn on 03-06; each day's income (a lot dated that day) earns from the day after.
  const held = Object.fromEntries(Object.entries(AMOUNTS).map(([k, v]) => [k, units(v, 2)]));
  const want = [];
  const last = {}; // each holder's credit of the last day
  let roundingMatters = false;
  for (const d of DAYS) {
    const holders = d >= '2026-03-06' ? Object.keys(held) : [];
    for (const who of holders) {
      const credit = income(held[who], INCOME[d]);
      last[who] = credit;
      (s.credits ??= {})[who] ??= [];
      s.credits[who].unshift({ date: d, base_shares: fmt(held[who], 2),
        income_per_10k: INCOME[d], shares: fmt(credit, 2), amount: fmt(credit, 2) });
      roundingMatters ||= credit !== income(held[who], INCOME[d], 'half_up');
      want.push(`${s.inv[who].user.id}|${d}|${held[who]}|${units(INCOME[d], 4)}|${credit}`);
      held[who] += credit;
    }
    const rep = await mmfIncome(d);
    assert.deepEqual([rep.processed, rep.failed], [holders.length, 0], `${d}: ${rep.stdout}`);
  }
  assert.ok(roundingMatters, 'some credit is truncated where half-up would round up');
  // By hand, the first credit: 1234567 hundredths × 0.4987 / 10,000 = 61.567… → 0.61 shares.
  assert.equal(income(units(AMOUNTS.first, 2), INCOME['2026-03-06']), 61n);

  const credits = (await w.sql(`SELECT investor_id, income_date, base_shares_h,
    income_per_10k_e4, shares_h FROM mmf_income_credits WHERE product_id = ${s.product.id}
    ORDER BY income_date, investor_id;`)).trim().split('\n');
  assert.deepEqual(credits, [...want].sort((a, b) => {
    const [ia, da] = a.split('|');
    const [ib, db] = b.split('|');
    return da === db ? (BigInt(ia) < BigInt(ib) ? -1 : 1) : (da < db ? -1 : 1);
  }));

  s.want = {};
  for (const [who, amount] of Object.entries(AMOUNTS)) {
    const shares = fmt(held[who], 2);
    s.want[who] = shares;
    const h = await holdings(w.base, s.inv[who].token);
    assert.equal(h.items.length, 1);
    const item = h.items[0];
    const earned = fmt(held[who] - units(amount, 2), 2);
    assert.deepEqual([item.shares, item.available_shares, item.held_shares, item.cost,
      item.nav, item.nav_date, item.market_value, item.gain],
    [shares, shares, '0.00', amount, '1.0000', '2026-03-12', shares, earned], who);
    assert.equal(sum([amount, earned]), shares);
    // 昨日收益: the last day's income, its shares at NAV 1.0000; the fund's latest figures.
    assert.deepEqual([item.type, item.daily_gain, item.income_date, item.income_per_10k,
      item.yield_7d], ['money_market', fmt(last[who], 2), DAYS.at(-1), INCOME[DAYS.at(-1)],
      yield7d(DAYS.at(-1))], who);
    assert.equal(h.daily_gain, item.daily_gain);
  }
  await expectLedgerOk(w.db);
});

test('收益明细: each day\'s income by day, newest first, the caller\'s own only', async () => {
  const get = (who, q = '', id = s.product.id) => api(w.base, 'GET',
    `/api/v1/investor/holdings/${id}/income${q}`, { token: s.inv[who].token });
  for (const who of Object.keys(AMOUNTS)) {
    const r = expectOk(await get(who, '?from=2026-03-01&to=2026-03-31'));
    assert.deepEqual(r.items, s.credits[who], who);
    const earned = fmt(units(s.want[who], 2) - units(AMOUNTS[who], 2), 2);
    assert.deepEqual([r.product_id, r.from, r.to, r.shares, r.amount],
      [s.product.id, '2026-03-01', '2026-03-31', earned, earned]);
    // A narrower range: the weekend only.
    const weekend = expectOk(await get(who, '?from=2026-03-07&to=2026-03-08'));
    assert.deepEqual(weekend.items.map((i) => i.date), ['2026-03-08', '2026-03-07']);
    // By default the 30 days to today (the clock stands on 2026-03-12).
    const dflt = expectOk(await get(who));
    assert.deepEqual([dflt.from, dflt.to, dflt.items.length], ['2026-02-11', '2026-03-12',
      s.credits[who].length]);
  }
  // Someone who never held it sees nothing of the others' income.
  const other = await readyInvestor(w.base, { answers: ANSWERS.C2 });
  const none = expectOk(await api(w.base, 'GET',
    `/api/v1/investor/holdings/${s.product.id}/income?from=2026-03-01&to=2026-03-31`,
    { token: other.token }));
  assert.deepEqual([none.items, none.shares, none.amount], [[], '0.00', '0.00']);
  // Bad ranges, a fund priced by NAV, no such product, and staff.
  for (const q of ['?from=2026-03-10&to=2026-03-01', '?from=2026-3-1', '?to=2026-02-30',
    '?from=2025-01-01&to=2026-03-12']) {
    assert.equal((await get('first', q)).status, 400, q);
  }
  const equity = expectOk(await api(w.base, 'POST', '/api/v1/inst/products',
    { token: s.staff.admin.token, body: productBody() }), 201).product;
  assert.equal((await get('first', '', equity.id)).status, 404);
  assert.equal((await get('first', '', '1234567890123')).status, 404);
  assert.equal((await api(w.base, 'GET', `/api/v1/investor/holdings/${s.product.id}/income`,
    { token: s.staff.admin.token })).status, 403);
});

test('running every day again credits nothing more', async () => {
  const count = `SELECT count(*), total(shares_h) FROM mmf_income_credits;
    SELECT count(*) FROM ledger_entries; SELECT count(*), total(shares_h) FROM share_lots;`;
  const before = await w.sql(count);
  for (const d of DAYS) {
    const rep = await mmfIncome(d);
    assert.deepEqual([rep.processed, rep.failed], [0, 0], `${d} again: ${rep.stdout}`);
  }
  // A day without a published NAV credits nothing either.
  assert.equal((await mmfIncome('2026-03-13')).processed, 0);
  assert.equal(await w.sql(count), before);
  for (const who of Object.keys(AMOUNTS)) {
    assert.equal((await holdings(w.base, s.inv[who].token)).items[0].shares, s.want[who]);
  }
  await w.stop();
  await expectLedgerOk(w.db);
});
