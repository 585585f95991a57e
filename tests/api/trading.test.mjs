// One investor's way through the platform, on a business clock set to known trading days:
// real-name profile, risk assessment, cash, a subscription that needs the risk warning, its
// cancellation, subscriptions confirmed at NAV(T) by the batch, holdings, a redemption first
// in first out over lots of different ages, its cash in transit and its settlement on T+3.
// Every figure is recomputed here with BigInt from the rules of DESIGN §5 and held against the
// server's; every balance is checked after every step; every response must fit the OpenAPI
// document; the ledger must reconcile at the end.
//
// Timeline (China Standard Time):
//   Mon 2026-03-02 10:00  orders A (cancelled), B and C; NAV(T) needs a second confirmation
//   Tue 2026-03-03 10:00  order D; T+1 lots of B and C are dated 2026-03-03, D's 2026-03-04
//   Tue 2026-03-10 10:00  redemption R over B, C (held 7 days) and part of D (held 6 days)
//   Fri 2026-03-13        R's cash arrives (T+3 trading days)

import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { login, register } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import {
  ANSWERS, BANK_CARD, CONFIRMED, ID_NUMBER, World, api, assess, checkContract, cstMs,
  expectCash, expectLedgerOk, getOrder, holdings, institutionWithStaff, marketValue,
  mulDiv, productBody, publishNav, publishNavOk, redQuote, redeem, sub, subQuote, subscribe,
  sum, topup, units, fmt,
} from './lib/trading.mjs';

const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

// Shared state of the story; each test continues where the previous one stopped.
const s = {};
const RATE = '0.008';   // list rate of the product's first subscription tier
const DISCOUNT = '0.1'; // 1折

async function day(date, time = '10:00:00') {
  await w.at(date, time);
  if (!s.doc) {
    s.doc = await loadOpenApi(w.base);
    checkContract(s.doc);
  }
  if (s.investor) {
    s.investor.token = (await login(w.base, s.investor.mobile, s.investor.password)).token;
    s.staff.admin.token = (await login(w.base, s.staff.admin.login, 'Staff-pass-1')).token;
    s.staff.operator.token = (await login(w.base, s.staff.operator.login, 'Staff-pass-1')).token;
  }
  return w.base;
}

const inv = () => s.investor.token;

test('Monday 2026-03-02: an institution lists a product', async (t) => {
  await day('2026-03-02');
  s.staff = await institutionWithStaff(w.srv);
  const body = productBody({ name: '测试成长混合A' });
  const res = await api(w.base, 'POST', '/api/v1/inst/products',
    { token: s.staff.admin.token, body });
  s.product = expectOk(res, 201).product;
  const p = s.product;
  assert.equal(p.code, body.code);
  assert.equal(p.institution_id, s.staff.inst.id);
  assert.equal(p.status, 'open');
  assert.equal(p.risk_level, 'R3');
  assert.equal(p.min_purchase, '100.00');
  assert.equal(p.daily_limit, '50000.00');
  assert.equal(p.fee_discount, '0.100000');
  assert.deepEqual(p.fees.subscription, [
    { min_amount: '0.00', max_amount: '1000000.00', rate: '0.008000' },
    { min_amount: '1000000.00', max_amount: null, fixed: '1000.00' },
  ]);
  assert.deepEqual(p.fees.redemption[0], { min_days: 0, max_days: 7, rate: '0.015000' });
  assert.equal(p.latest_nav, null);

  // Every member of staff reads it; the public sees it.
  for (const who of ['admin', 'operator', 'compliance']) {
    const got = expectOk(await api(w.base, 'GET', `/api/v1/inst/products/${p.id}`,
      { token: s.staff[who].token })).product;
    assert.deepEqual(got, p, who);
  }
  const list = expectOk(await api(w.base, 'GET', '/api/v1/inst/products',
    { token: s.staff.compliance.token })).items;
  assert.deepEqual(list.map((x) => x.id), [p.id]);
  const pub = expectOk(await api(w.base, 'GET',
    `/api/v1/public/products?institution_id=${s.staff.inst.id}`)).items;
  assert.deepEqual(pub, [p]);
  assert.deepEqual(expectOk(await api(w.base, 'GET', `/api/v1/public/products/${p.id}`)).product,
    p);
});

test('the investor verifies their identity, takes the assessment and tops up', async (t) => {
  const r = await register(w.base);
  const sess = await login(w.base, r.mobile, r.password);
  s.investor = { mobile: r.mobile, password: r.password, token: sess.token, id: sess.user.id };

  expectProblem(await api(w.base, 'GET', '/api/v1/investor/profile', { token: inv() }), 404,
    'not_found');
  // No money moves before the bank card is bound.
  expectProblem(await api(w.base, 'POST', '/api/v1/investor/cash/topup',
    { token: inv(), body: { amount: '10000.00' } }), 409, 'conflict');
  await expectCash(w.base, inv(), { available: '0.00' }, 'before the profile');

  const put = await api(w.base, 'PUT', '/api/v1/investor/profile', { token: inv(),
    body: { real_name: '张三', id_number: ID_NUMBER, bank_card: BANK_CARD } });
  const profile = expectOk(put).profile;
  assert.deepEqual(profile, { real_name: '*三', id_number: '110***********002X',
    bank_card: '6222 **** **** 0128', verified: true });
  const got = await api(w.base, 'GET', '/api/v1/investor/profile', { token: inv() });
  assert.deepEqual(expectOk(got).profile, profile);
  for (const text of [put.text, got.text]) {
    assert.ok(!text.includes(ID_NUMBER) && !text.includes(BANK_CARD) && !text.includes('张三'),
      `unmasked personal data: ${text}`);
  }

  const q = expectOk(await api(w.base, 'GET', '/api/v1/investor/questionnaire',
    { token: inv() })).questionnaire;
  assert.equal(q.version, 1);
  assert.equal(q.questions.length, 10);
  for (const question of q.questions) {
    assert.deepEqual(question.options.map((o) => o.index),
      question.options.map((_, i) => i), question.id);
  }

  // Without an assessment nothing is sold.
  expectProblem(await subscribe(w.base, inv(), s.product.id, '1000.00', CONFIRMED), 403,
    'suitability_refused');
  expectProblem(await api(w.base, 'GET', '/api/v1/investor/assessment', { token: inv() }),
    404, 'not_found');

  const a = await assess(w.base, inv(), ANSWERS.C2);
  assert.equal(a.score, 42);
  assert.equal(a.category, 'C2');
  assert.equal(a.category_name, '稳健型');
  assert.equal(a.max_risk_level, 'R2');
  assert.equal(a.lowest, false);
  assert.equal(a.valid, true);
  assert.equal(a.questionnaire_version, 1);
  // Valid for one year to the millisecond: 2026-03-02 → 2027-03-02, same time of day.
  assert.equal(a.valid_until_ms - a.taken_ms, cstMs('2027-03-02') - cstMs('2026-03-02'));
  assert.ok(Math.abs(a.taken_ms - cstMs('2026-03-02')) < 120000, 'taken on the business clock');
  assert.deepEqual(expectOk(await api(w.base, 'GET', '/api/v1/investor/assessment',
    { token: inv() })).assessment, a);

  const cash = await topup(w.base, inv(), '10000.00');
  assert.deepEqual(cash, { available: '10000.00', held: '0.00', in_transit: '0.00',
    currency: 'CNY' });
});

test('a subscription above the investor\'s category needs the risk warning confirmed',
  async (t) => {
      const body = { client_order_id: 'order-A', product_id: s.product.id, side: 'subscribe',
      amount: '1000.00' };
    const refused = expectProblem(await api(w.base, 'POST', '/api/v1/investor/orders',
      { token: inv(), body }), 409, 'risk_warning_required');
    assert.equal(refused.warning_version, 'suit-warning-v1');
    assert.equal(refused.category, 'C2');
    assert.equal(refused.risk_level, 'R3');
    assert.match(refused.warning_text, /C2/);
    assert.match(refused.warning_text, /R3/);
    await expectCash(w.base, inv(), { available: '10000.00' }, 'after the warning');

    // Confirming another version of the warning is not confirming this one.
    expectProblem(await api(w.base, 'POST', '/api/v1/investor/orders', { token: inv(),
      body: { ...body, confirm_risk_warning: true, risk_warning_version: 'suit-warning-v0' } }),
    409, 'risk_warning_required');
    expectProblem(await api(w.base, 'POST', '/api/v1/investor/orders', { token: inv(),
      body: { ...body, confirm_risk_warning: false, risk_warning_version: 'suit-warning-v1' } }),
    409, 'risk_warning_required');
    await expectCash(w.base, inv(), { available: '10000.00' }, 'after unconfirmed warnings');

    const res = await api(w.base, 'POST', '/api/v1/investor/orders',
      { token: inv(), body: { ...body, ...CONFIRMED } });
    const placed = expectOk(res, 201);
    assert.equal(placed.repeat, false);
    const o = placed.order;
    s.orderA = o;
    assert.equal(o.client_order_id, 'order-A');
    assert.equal(o.product_id, s.product.id);
    assert.equal(o.product_code, s.product.code);
    assert.equal(o.institution_id, s.staff.inst.id);
    assert.equal(o.side, 'subscribe');
    assert.equal(o.amount, '1000.00');
    assert.equal(o.shares, null);
    assert.equal(o.status, 'accepted');
    assert.equal(o.trade_date, '2026-03-02');
    assert.equal(o.confirm_date, '2026-03-03');
    assert.equal(o.cancel_deadline_ms, cstMs('2026-03-02', '15:00:00'));
    for (const k of ['nav', 'fee', 'net', 'gross', 'confirmed_shares', 'cash_date',
      'cancelled_ms', 'confirmed_ms', 'cash_paid_ms', 'fail_reason']) {
      assert.equal(o[k], null, k);
    }
    await expectCash(w.base, inv(), { available: '9000.00', held: '1000.00' }, 'after A');

    // The confirmed warning is kept as evidence with the order.
    const evidence = (await w.sql(
      `SELECT c.warning_version, c.category, c.risk_level, instr(c.warning_text, 'C2') > 0
       FROM orders o JOIN suitability_confirmations c ON c.id = o.suitability_confirmation_id
       WHERE o.id = ${o.id};`)).trim();
    assert.equal(evidence, 'suit-warning-v1|2|3|1');

    // A repeat answers the first order, whatever the body says now, and holds nothing more.
    for (const again of [{ ...body, ...CONFIRMED }, { ...body, amount: '2000.00', ...CONFIRMED },
      body]) {
      const rep = expectOk(await api(w.base, 'POST', '/api/v1/investor/orders',
        { token: inv(), body: again }), 200);
      assert.equal(rep.repeat, true);
      assert.deepEqual(rep.order, o);
    }
    await expectCash(w.base, inv(), { available: '9000.00', held: '1000.00' }, 'after repeats');
  });

test('cancelling before the cutoff gives the cash back', async (t) => {
  const res = await api(w.base, 'POST', `/api/v1/investor/orders/${s.orderA.id}/cancel`,
    { token: inv() });
  const o = expectOk(res).order;
  assert.equal(o.status, 'cancelled');
  assert.ok(Math.abs(o.cancelled_ms - cstMs('2026-03-02')) < 120000);
  await expectCash(w.base, inv(), { available: '10000.00' }, 'after cancelling A');
  expectProblem(await api(w.base, 'POST', `/api/v1/investor/orders/${s.orderA.id}/cancel`,
    { token: inv() }), 409, 'conflict');
  await expectCash(w.base, inv(), { available: '10000.00' }, 'after cancelling A twice');
  assert.equal((await getOrder(w.base, inv(), s.orderA.id)).status, 'cancelled');

  // Another investor can neither see nor cancel it.
  const other = await register(w.base);
  const os = await login(w.base, other.mobile, other.password);
  expectProblem(await api(w.base, 'GET', `/api/v1/investor/orders/${s.orderA.id}`,
    { token: os.token }), 404, 'not_found');
  expectProblem(await api(w.base, 'POST', `/api/v1/investor/orders/${s.orderA.id}/cancel`,
    { token: os.token }), 404, 'not_found');
  assert.deepEqual(expectOk(await api(w.base, 'GET', '/api/v1/investor/orders',
    { token: os.token })).items, []);
});

test('two more subscriptions the same day are held separately', async (t) => {
  s.orderB = expectOk(await subscribe(w.base, inv(), s.product.id, '3333.33', CONFIRMED),
    201).order;
  s.orderC = expectOk(await subscribe(w.base, inv(), s.product.id, '1234.56', CONFIRMED),
    201).order;
  await expectCash(w.base, inv(), { available: '5432.11', held: '4567.89' }, 'after B and C');

  const all = expectOk(await api(w.base, 'GET', '/api/v1/investor/orders', { token: inv() }));
  assert.deepEqual(all.items.map((o) => o.id), [s.orderC.id, s.orderB.id, s.orderA.id]);
  assert.equal(all.next_before_ms, null);
  const accepted = expectOk(await api(w.base, 'GET', '/api/v1/investor/orders?status=accepted',
    { token: inv() })).items;
  assert.deepEqual(accepted.map((o) => o.id).sort(), [s.orderB.id, s.orderC.id].sort());
  const redemptions = expectOk(await api(w.base, 'GET', '/api/v1/investor/orders?side=redeem',
    { token: inv() })).items;
  assert.deepEqual(redemptions, []);
  const page = expectOk(await api(w.base, 'GET', '/api/v1/investor/orders?limit=1',
    { token: inv() }));
  assert.deepEqual(page.items.map((o) => o.id), [s.orderC.id]);
  assert.equal(page.next_before_ms, s.orderC.placed_ms);
  // No NAV yet: no estimate.
  assert.equal((await getOrder(w.base, inv(), s.orderB.id)).estimate, undefined);
});

test('NAV: the previous day publishes at once; a 23% move waits for a second person',
  async (t) => {
      const p = s.product.id;
    const { admin, operator, compliance } = s.staff;
    await publishNavOk(w.base, admin.token, p, '2026-02-27', '1.0000', '1.5000');

    // An accepted order now shows an estimate at the latest known NAV (未知价).
    const est = (await getOrder(w.base, inv(), s.orderB.id)).estimate;
    const q = subQuote({ amount: '3333.33', rate: RATE, discount: DISCOUNT, nav: '1.0000' });
    assert.deepEqual(est, { ...q, nav: '1.0000', nav_date: '2026-02-27' });

    const held = await publishNav(w.base, admin.token, p,
      { date: '2026-03-02', nav: '1.2345', acc_nav: '1.7345' });
    assert.deepEqual(expectOk(held, 202), { nav: { date: '2026-03-02', nav: '1.2345',
      acc_nav: '1.7345', confirmed: false }, needs_confirmation: true });
    let navs = expectOk(await api(w.base, 'GET', `/api/v1/public/products/${p}/navs`)).items;
    assert.deepEqual(navs, [{ date: '2026-02-27', nav: '1.0000', acc_nav: '1.5000' }]);
    assert.deepEqual(expectOk(await api(w.base, 'GET', `/api/v1/public/products/${p}`))
      .product.latest_nav, { nav: '1.0000', date: '2026-02-27' });

    // The batch refuses T before its cutoff, and leaves orders waiting for an unconfirmed NAV.
    const early = await w.cli(['batch', 'confirm', '--date', '2026-03-02'], '2026-03-02',
      '14:59:00');
    assert.notEqual(early.code, 0, `confirm before 15:00 must fail: ${early.stdout}`);
    const waiting = await w.confirm('2026-03-02');
    assert.deepEqual([waiting.processed, waiting.failed, waiting.waiting], [0, 0, 2],
      waiting.stdout);
    assert.equal((await getOrder(w.base, inv(), s.orderB.id)).status, 'accepted');

    // The held NAV is on the institution's list for a second person: the move from the
    // previous confirmed NAV (1.2345 / 1.0000 → +23.45%), who published it, and the two
    // accepted orders of that date that wait for it.
    const heldPath = '/api/v1/inst/navs/held';
    const want = { product_id: p, product_code: s.product.code, product_name: s.product.name,
      date: '2026-03-02', nav: '1.2345', acc_nav: '1.7345', previous_nav: '1.0000',
      previous_date: '2026-02-27', move_pct: '23.45', published_by: admin.login,
      orders_waiting: 2 };
    const mine = expectOk(await api(w.base, 'GET', heldPath, { token: admin.token })).items;
    assert.equal(mine.length, 1);
    const { published_ms: publishedMs, yours, ...rest } = mine[0];
    assert.deepEqual(rest, want);
    assert.equal(yours, true);
    assert.ok(Number.isInteger(publishedMs) && publishedMs > 0);
    const theirs = expectOk(await api(w.base, 'GET', heldPath, { token: operator.token })).items;
    assert.deepEqual(theirs.map((n) => [n.date, n.yours]), [['2026-03-02', false]]);
    assert.equal(expectOk(await api(w.base, 'GET', heldPath, { token: compliance.token }))
      .items.length, 1);
    expectProblem(await api(w.base, 'GET', heldPath, { token: inv() }), 403, 'forbidden');
    expectProblem(await api(w.base, 'GET', heldPath), 401, 'unauthenticated');
    // Another institution's staff see none of it.
    const stranger = await institutionWithStaff(w.srv);
    assert.deepEqual(expectOk(await api(w.base, 'GET', heldPath,
      { token: stranger.admin.token })).items, []);

    const path = `/api/v1/inst/products/${p}/navs/2026-03-02/confirm`;
    expectProblem(await api(w.base, 'POST', path, { token: admin.token }), 409, 'conflict');
    expectProblem(await api(w.base, 'POST', path, { token: compliance.token }), 403,
      'forbidden');
    assert.deepEqual(expectOk(await api(w.base, 'POST', path, { token: operator.token })),
      { date: '2026-03-02', confirmed: true });
    expectProblem(await api(w.base, 'POST', path, { token: operator.token }), 409, 'conflict');
    assert.deepEqual(expectOk(await api(w.base, 'GET', heldPath, { token: admin.token })).items,
      []);
    expectProblem(await api(w.base, 'POST',
      `/api/v1/inst/products/${p}/navs/2026-02-26/confirm`, { token: operator.token }), 404,
    'not_found');
    navs = expectOk(await api(w.base, 'GET',
      `/api/v1/public/products/${p}/navs?from=2026-03-01&to=2026-03-31`)).items;
    assert.deepEqual(navs, [{ date: '2026-03-02', nav: '1.2345', acc_nav: '1.7345' }]);
  });

test('the batch confirms B and C at NAV(T): fee by 外扣法, shares = net / NAV', async (t) => {
  const rep = await w.confirm('2026-03-02');
  assert.deepEqual([rep.processed, rep.failed, rep.waiting], [2, 0, 0], rep.stdout);

  // Worked by hand: 3333.33 / (1 + 0.8% × 10%) = 3330.6655… → 3330.67, fee 2.66,
  // 3330.67 / 1.2345 = 2697.991… → 2697.99 shares. 1234.56 → 1233.57, fee 0.99, 999.25.
  const want = {
    [s.orderB.id]: { fee: '2.66', net: '3330.67', shares: '2697.99' },
    [s.orderC.id]: { fee: '0.99', net: '1233.57', shares: '999.25' },
  };
  for (const [order, amount] of [[s.orderB, '3333.33'], [s.orderC, '1234.56']]) {
    const q = subQuote({ amount, rate: RATE, discount: DISCOUNT, nav: '1.2345' });
    assert.deepEqual(q, want[order.id], 'the test\'s own arithmetic');
    const o = await getOrder(w.base, inv(), order.id);
    assert.equal(o.status, 'confirmed');
    assert.equal(o.nav, '1.2345');
    assert.deepEqual({ fee: o.fee, net: o.net, shares: o.confirmed_shares }, q, amount);
    assert.equal(sum([o.fee, o.net]), amount, 'fee + net = amount');
    assert.equal(o.gross, null);
    assert.equal(o.cash_date, null);
    assert.equal(o.estimate, undefined, 'no estimate once confirmed');
    assert.ok(o.confirmed_ms > 0);
  }
  s.sharesB = '2697.99';
  s.sharesC = '999.25';
  await expectCash(w.base, inv(), { available: '5432.11' }, 'after confirmation');

  const h = await holdings(w.base, inv());
  const shares = sum([s.sharesB, s.sharesC]);
  assert.equal(shares, '3697.24');
  const mv = marketValue(shares, '1.2345');
  assert.equal(mv, '4564.24');
  assert.deepEqual(h.items, [{
    product_id: s.product.id, product_code: s.product.code, product_name: s.product.name,
    type: 'equity', shares, available_shares: shares, held_shares: '0.00', cost: '4567.89', nav: '1.2345',
    nav_date: '2026-03-02', market_value: mv, gain: sub(mv, '4567.89'),
    daily_gain: sub(mv, marketValue(shares, '1.0000')),
  }]);
  assert.deepEqual({ market_value: h.market_value, cost: h.cost, gain: h.gain,
    daily_gain: h.daily_gain },
  { market_value: mv, cost: '4567.89', gain: '-3.65', daily_gain: h.items[0].daily_gain });

  // Idempotent: a second run confirms nothing and changes nothing.
  const again = await w.confirm('2026-03-02');
  assert.deepEqual([again.processed, again.failed, again.waiting], [0, 0, 0], again.stdout);
  await expectCash(w.base, inv(), { available: '5432.11' }, 'after a second batch run');
  assert.deepEqual(await holdings(w.base, inv()), h);
  await expectLedgerOk(w.db);
});

test('Tuesday 2026-03-03: a fourth subscription, confirmed at a NAV within the bound',
  async (t) => {
      await day('2026-03-03');
    s.orderD = expectOk(await subscribe(w.base, inv(), s.product.id, '2000.00', CONFIRMED),
      201).order;
    assert.equal(s.orderD.trade_date, '2026-03-03');
    await expectCash(w.base, inv(), { available: '3432.11', held: '2000.00' }, 'after D');

    await publishNavOk(w.base, s.staff.admin.token, s.product.id, '2026-03-03', '1.2500',
      '1.7500');
    const rep = await w.confirm('2026-03-03');
    assert.deepEqual([rep.processed, rep.failed, rep.waiting], [1, 0, 0], rep.stdout);
    const o = await getOrder(w.base, inv(), s.orderD.id);
    const q = subQuote({ amount: '2000.00', rate: RATE, discount: DISCOUNT, nav: '1.2500' });
    assert.deepEqual(q, { fee: '1.60', net: '1998.40', shares: '1598.72' });
    assert.deepEqual({ fee: o.fee, net: o.net, shares: o.confirmed_shares }, q);
    s.sharesD = q.shares;
    await expectCash(w.base, inv(), { available: '3432.11' }, 'after confirming D');

    // D's lot is confirmed on T+1 = 2026-03-04, B's and C's on 2026-03-03.
    const lots = (await w.sql(`SELECT order_id, confirmed_date, shares_h, cost_fen FROM share_lots
      WHERE investor_id = ${s.investor.id} ORDER BY confirmed_date, order_id;`)).trim()
      .split('\n').sort();
    assert.deepEqual(lots, [
      `${s.orderB.id}|2026-03-03|269799|333333`,
      `${s.orderC.id}|2026-03-03|99925|123456`,
      `${s.orderD.id}|2026-03-04|159872|200000`,
    ].sort());

    // More shares than held cannot be redeemed, and the refusal holds nothing.
    const total = sum([s.sharesB, s.sharesC, s.sharesD]);
    const tooMany = fmt(units(total, 2) + 1n, 2);
    expectProblem(await redeem(w.base, inv(), s.product.id, tooMany), 409,
      'insufficient_funds');
    const h = (await holdings(w.base, inv())).items[0];
    assert.deepEqual([h.shares, h.available_shares, h.held_shares], [total, total, '0.00']);
  });

test('Tuesday 2026-03-10: a redemption held, one cancelled, then confirmed FIFO', async (t) => {
  await day('2026-03-10');
  const p = s.product.id;
  const total = sum([s.sharesB, s.sharesC, s.sharesD]);
  assert.equal(total, '5295.96');
  let h = await holdings(w.base, inv());
  assert.equal(h.items[0].market_value, marketValue(total, '1.2500'));
  assert.equal(h.items[0].cost, '6567.89');

  // A small redemption, cancelled: the shares come back.
  const small = expectOk(await redeem(w.base, inv(), p, '10.00'), 201).order;
  assert.equal(small.shares, '10.00');
  assert.equal(small.amount, null);
  // The answer to placing it is the order as it is stored (the server does not read it back).
  const stored = await getOrder(w.base, inv(), small.id);
  delete stored.estimate;
  assert.deepEqual(stored, small);
  h = (await holdings(w.base, inv())).items[0];
  assert.deepEqual([h.shares, h.available_shares, h.held_shares],
    [total, sub(total, '10.00'), '10.00']);
  expectOk(await api(w.base, 'POST', `/api/v1/investor/orders/${small.id}/cancel`,
    { token: inv() }));
  h = (await holdings(w.base, inv())).items[0];
  assert.deepEqual([h.available_shares, h.held_shares], [total, '0.00']);

  // All of B and C (held 7 days: 0.5%) and 500.00 of D (held 6 days: at least 1.5%).
  const shares = sum([s.sharesB, s.sharesC, '500.00']);
  assert.equal(shares, '4197.24');
  // Before placing it, the quote walks the same lots at the latest NAV, 1.2500, lot by lot.
  const lots0 = [{ shares: s.sharesB, date: '2026-03-03' }, { shares: s.sharesC,
    date: '2026-03-03' }, { shares: s.sharesD, date: '2026-03-04' }];
  const pre = redQuote({ lots: lots0, tiers: s.product.fees.redemption, shares, nav: '1.2500',
    tradeDate: '2026-03-10' });
  const quote = expectOk(await api(w.base, 'GET',
    `/api/v1/investor/redemption-quote?product_id=${p}&shares=${shares}`, { token: inv() }));
  assert.deepEqual({ gross: quote.gross, fee: quote.fee, net: quote.net, nav: quote.nav,
    trade_date: quote.trade_date }, { gross: pre.gross, fee: pre.fee, net: pre.net,
    nav: '1.2500', trade_date: '2026-03-10' });
  assert.deepEqual(quote.lines.map((l) => [l.confirmed_date, l.days_held, l.rate, l.fee]),
    pre.lines.map((l, i) => [lots0[i].date, l.days, l.rate, l.fee]));
  expectProblem(await api(w.base, 'GET',
    `/api/v1/investor/redemption-quote?product_id=${p}&shares=${fmt(units(total, 2) + 1n, 2)}`,
    { token: inv() }), 409, 'insufficient_funds');
  expectProblem(await api(w.base, 'GET',
    `/api/v1/investor/redemption-quote?product_id=${p}&shares=1.001`, { token: inv() }), 400);
  expectProblem(await api(w.base, 'GET', '/api/v1/investor/redemption-quote?shares=1.00',
    { token: inv() }), 400);
  s.orderR = expectOk(await redeem(w.base, inv(), p, shares), 201).order;
  assert.equal(s.orderR.trade_date, '2026-03-10');
  assert.equal(s.orderR.confirm_date, '2026-03-11');
  h = (await holdings(w.base, inv())).items[0];
  assert.deepEqual([h.shares, h.available_shares, h.held_shares],
    [total, sub(total, shares), shares]);
  await expectCash(w.base, inv(), { available: '3432.11' }, 'a redemption holds no cash');
  // Shares held by the accepted redemption are not available to another one.
  expectProblem(await redeem(w.base, inv(), p, fmt(units(sub(total, shares), 2) + 1n, 2)), 409,
    'insufficient_funds');
  h = (await holdings(w.base, inv())).items[0];
  assert.deepEqual([h.available_shares, h.held_shares], [sub(total, shares), shares]);
  // Its estimate walks the lots at the latest NAV, 1.2500.
  const est = (await getOrder(w.base, inv(), s.orderR.id)).estimate;
  const lots = [{ shares: s.sharesB, date: '2026-03-03' }, { shares: s.sharesC,
    date: '2026-03-03' }, { shares: s.sharesD, date: '2026-03-04' }];
  const estQ = redQuote({ lots, tiers: s.product.fees.redemption, shares, nav: '1.2500',
    tradeDate: '2026-03-10' });
  assert.deepEqual(est, { gross: estQ.gross, fee: estQ.fee, net: estQ.net, nav: '1.2500',
    nav_date: '2026-03-03' });

  await publishNavOk(w.base, s.staff.operator.token, p, '2026-03-10', '1.3000', '1.8000');
  const rep = await w.confirm('2026-03-10');
  assert.deepEqual([rep.processed, rep.failed, rep.waiting], [1, 0, 0], rep.stdout);

  const q = redQuote({ lots, tiers: s.product.fees.redemption, shares, nav: '1.3000',
    tradeDate: '2026-03-10' });
  // By hand, lot by lot: B 2697.99 × 1.3 = 3507.387 → 3507.39, fee 0.5% → 17.54;
  // C 999.25 × 1.3 = 1299.025 → 1299.03, fee 6.50; D 500.00 × 1.3 = 650.00, fee 1.5% → 9.75.
  assert.deepEqual(q.lines.map((l) => [l.days, l.rate, l.gross, l.fee]), [
    [7, '0.005000', '3507.39', '17.54'], [7, '0.005000', '1299.03', '6.50'],
    [6, '0.015000', '650.00', '9.75']]);
  assert.deepEqual({ gross: q.gross, fee: q.fee, net: q.net },
    { gross: '5456.42', fee: '33.79', net: '5422.63' });
  const o = await getOrder(w.base, inv(), s.orderR.id);
  assert.equal(o.status, 'confirmed');
  assert.equal(o.nav, '1.3000');
  assert.deepEqual({ gross: o.gross, fee: o.fee, net: o.net },
    { gross: q.gross, fee: q.fee, net: q.net });
  assert.equal(o.confirmed_shares, shares);
  assert.equal(o.cash_date, '2026-03-13', 'T+3 trading days');
  assert.equal(o.cash_paid_ms, null);
  s.redeemNet = q.net;
  await expectCash(w.base, inv(), { available: '3432.11', in_transit: '5422.63' },
    'cash in transit');

  // What is left: 1098.72 shares of D's lot, whose cost leaves in proportion (truncated).
  const left = sub(s.sharesD, '500.00');
  const costLeft = fmt(200000n - mulDiv(200000n, 50000n, 159872n, 'truncate'), 2);
  assert.equal(costLeft, '1374.50');
  const mv = marketValue(left, '1.3000');
  h = await holdings(w.base, inv());
  assert.deepEqual(h.items, [{
    product_id: p, product_code: s.product.code, product_name: s.product.name, type: 'equity',
    shares: left, available_shares: left, held_shares: '0.00', cost: costLeft, nav: '1.3000',
    nav_date: '2026-03-10', market_value: mv, gain: sub(mv, costLeft),
    daily_gain: sub(mv, marketValue(left, '1.2500')),
  }]);
  assert.deepEqual([h.market_value, h.cost], ['1428.34', '1374.50']);
  await expectLedgerOk(w.db);
});

test('settlement pays the redemption on T+3, once', async (t) => {
  const early = await w.settle('2026-03-12');
  assert.equal(early.processed, 0, early.stdout);
  await expectCash(w.base, inv(), { available: '3432.11', in_transit: '5422.63' },
    'before the cash date');

  const paid = await w.settle('2026-03-13');
  assert.equal(paid.processed, 1, paid.stdout);
  await expectCash(w.base, inv(), { available: '8854.74' }, 'after settlement');
  const o = await getOrder(w.base, inv(), s.orderR.id);
  assert.ok(o.cash_paid_ms > 0);
  const again = await w.settle('2026-03-16');
  assert.equal(again.processed, 0, again.stdout);
  await expectCash(w.base, inv(), { available: '8854.74' }, 'after a second settlement');

  expectProblem(await api(w.base, 'POST', '/api/v1/investor/cash/withdraw',
    { token: inv(), body: { amount: '8854.75' } }), 409, 'insufficient_funds');
  const cash = expectOk(await api(w.base, 'POST', '/api/v1/investor/cash/withdraw',
    { token: inv(), body: { amount: '854.74' } })).cash;
  assert.deepEqual(cash, { available: '8000.00', held: '0.00', in_transit: '0.00',
    currency: 'CNY' });

  // The money adds up: top-up − withdrawal − subscriptions + redemption net.
  assert.equal(fmt(units('10000.00', 2) - units('854.74', 2) - units('3333.33', 2)
    - units('1234.56', 2) - units('2000.00', 2) + units(s.redeemNet, 2), 2), '8000.00');
  await w.stop();
  await expectLedgerOk(w.db);
  const orders = (await w.sql(`SELECT status, count(*) FROM orders
    WHERE investor_id = ${s.investor.id} GROUP BY status ORDER BY status;`)).trim();
  assert.equal(orders, 'cancelled|2\nconfirmed|4');
});

test('the institution\'s trade-date report adds up its orders and its settlement', async (t) => {
  await day('2026-03-13', '16:00:00');
  const { admin, compliance } = s.staff;
  const p = s.product.id;
  const report = async (date, token = admin.token) => expectOk(await api(w.base, 'GET',
    `/api/v1/inst/trades?date=${date}`, { token }));

  // T = 2026-03-02: A (1000.00) cancelled; B and C confirmed (worked by hand above).
  const t1 = await report('2026-03-02');
  assert.equal(t1.date, '2026-03-02');
  assert.equal(t1.confirm_date, '2026-03-03');
  assert.equal(t1.products.length, 1);
  const r1 = t1.products[0];
  assert.deepEqual([r1.product_id, r1.product_code, r1.product_name],
    [p, s.product.code, s.product.name]);
  assert.deepEqual(r1.subscriptions, { orders: 3, accepted: 0, confirmed: 2, failed: 0,
    cancelled: 1, amount: sum(['3333.33', '1234.56']), confirmed_amount: '4567.89',
    net: sum(['3330.67', '1233.57']), fee: sum(['2.66', '0.99']), discount: '0.00',
    shares: sum([s.sharesB, s.sharesC]) });
  assert.deepEqual(r1.redemptions, { orders: 0, accepted: 0, confirmed: 0, failed: 0,
    cancelled: 0, shares: '0.00', confirmed_shares: '0.00', gross: '0.00', fee: '0.00',
    net: '0.00', paid: '0.00' });
  assert.equal(r1.settlement, '4564.24');
  assert.deepEqual(t1.totals, { subscription_amount: '4567.89', subscription_net: '4564.24',
    subscription_fee: '3.65', redemption_gross: '0.00', redemption_fee: '0.00',
    redemption_net: '0.00', settlement: '4564.24' });

  // T = 2026-03-10: one small redemption cancelled, R confirmed and paid on 03-13. The
  // institution owes R's gross: the investor's net cash and the fee the fund keeps.
  const R = await getOrder(w.base, inv(), s.orderR.id);
  const t2 = await report('2026-03-10');
  assert.equal(t2.confirm_date, '2026-03-11');
  const r2 = t2.products[0];
  assert.deepEqual(r2.redemptions, { orders: 2, accepted: 0, confirmed: 1, failed: 0,
    cancelled: 1, shares: R.shares, confirmed_shares: R.confirmed_shares, gross: R.gross,
    fee: R.fee, net: R.net, paid: R.net });
  assert.equal(sum([R.net, R.fee]), R.gross);
  assert.equal(r2.subscriptions.orders, 0);
  assert.equal(r2.settlement, `-${R.gross}`);
  assert.equal(t2.totals.settlement, `-${R.gross}`);

  // Every member of staff may read it; nobody else, and no other institution sees these.
  const auditor = await login(w.base, compliance.login, 'Staff-pass-1');
  assert.deepEqual(await report('2026-03-02', auditor.token), t1);
  const stranger = await institutionWithStaff(w.srv);
  assert.deepEqual((await report('2026-03-02', stranger.admin.token)).products, []);
  assert.equal((await report('2026-03-02', stranger.admin.token)).totals.settlement, '0.00');
  expectProblem(await api(w.base, 'GET', '/api/v1/inst/trades?date=2026-03-02',
    { token: inv() }), 403, 'forbidden');
  for (const q of ['', '?date=', '?date=2026-3-2', '?date=2026-02-30', '?date=x']) {
    expectProblem(await api(w.base, 'GET', `/api/v1/inst/trades${q}`, { token: admin.token }),
      400, 'bad_request');
  }
  // A day without orders is an empty report, not an error.
  assert.deepEqual((await report('2026-03-04')).products, []);

  // The same figures as CSV, one line per product.
  const csv = await api(w.base, 'GET', '/api/v1/inst/trades.csv?date=2026-03-02',
    { token: admin.token });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines.length, 2);
  const head = lines[0].split(',');
  const cells = lines[1].match(/("([^"]|"")*"|[^,]+)/g);
  const row = Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  assert.equal(row.product_code, s.product.code);
  assert.equal(row.product_name, `"${s.product.name}"`);
  assert.deepEqual([row.sub_orders, row.sub_cancelled, row.sub_net, row.sub_fee,
    row.sub_shares, row.red_orders, row.settlement],
  ['3', '1', '4564.24', '3.65', sum([s.sharesB, s.sharesC]), '0', '4564.24']);
});

test('the order list pages through orders placed in the same millisecond', async (t) => {
  await day('2026-03-11');
  const r = await register(w.base);
  const sess = await login(w.base, r.mobile, r.password);
  await api(w.base, 'PUT', '/api/v1/investor/profile', { token: sess.token,
    body: { real_name: '李四', id_number: ID_NUMBER, bank_card: BANK_CARD } });
  await assess(w.base, sess.token, ANSWERS.C5);
  await topup(w.base, sess.token, '100000.00');
  const placed = await Promise.all(Array.from({ length: 40 },
    () => subscribe(w.base, sess.token, s.product.id, '100.00')));
  const ids = placed.map((res) => expectOk(res, 201).order.id);
  const sameMs = placed.length - new Set(placed.map((res) => res.json.order.placed_ms)).size;
  t.diagnostic(`${sameMs} of 40 orders share a placed_ms with another`);

  const seen = [];
  let before = null;
  let beforeId = null;
  for (let pageNo = 0; pageNo < 20; pageNo++) {
    const q = before === null ? '' : `&before_ms=${before}&before_id=${beforeId}`;
    const page = expectOk(await api(w.base, 'GET', `/api/v1/investor/orders?limit=7${q}`,
      { token: sess.token }));
    seen.push(...page.items.map((o) => o.id));
    before = page.next_before_ms;
    beforeId = page.next_before_id;
    if (before === null) break;
  }
  assert.equal(new Set(seen).size, seen.length, 'an order appeared on two pages');
  assert.deepEqual([...seen].sort(), [...ids].sort(),
    `paging with limit=7 returned ${seen.length} of 40 orders`);
});

test('the scheduler inside serve confirms a trade date by itself after its cutoff', async (t) => {
  await day('2026-03-11');
  const r = await register(w.base);
  const sess = await login(w.base, r.mobile, r.password);
  await api(w.base, 'PUT', '/api/v1/investor/profile', { token: sess.token,
    body: { real_name: '王五', id_number: ID_NUMBER, bank_card: BANK_CARD } });
  await assess(w.base, sess.token, ANSWERS.C5);
  await topup(w.base, sess.token, '5000.00');
  const o = expectOk(await subscribe(w.base, sess.token, s.product.id, '5000.00'), 201).order;
  await publishNavOk(w.base, s.staff.admin.token, s.product.id, '2026-03-11', '1.3100',
    '1.8100');
  // After the cutoff, a server whose scheduler runs every second confirms T by itself.
  await w.at('2026-03-11', '20:00:00', { CAIFUHAO_SCHEDULER_INTERVAL_S: '1' });
  const token = (await login(w.base, r.mobile, r.password)).token;
  let got = null;
  for (let i = 0; i < 100; i++) {
    got = await getOrder(w.base, token, o.id);
    if (got.status !== 'accepted') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(got.status, 'confirmed', JSON.stringify(got));
  const q = subQuote({ amount: '5000.00', rate: RATE, discount: DISCOUNT, nav: '1.3100' });
  assert.deepEqual({ fee: got.fee, net: got.net, shares: got.confirmed_shares }, q);
  await w.stop();
  await expectLedgerOk(w.db);
});
