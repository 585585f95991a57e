// `caifuhao seed-demo` creates the five pilot fund companies; once an operator opens them
// (pilot or live) investors see them in the public list.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectOk } from './lib/http.mjs';
import { login, operatorSession, setStatus } from './lib/fixtures.mjs';
import { fileServer } from './lib/server.mjs';

const PILOTS = ['博时', '兴全', '天弘', '南方', '建信'];

const srv = await fileServer();

const mentions = (inst, brand) => inst.name.includes(brand) || inst.short_name.includes(brand);

test('the five pilot fund companies appear in the public list once opened', async (t) => {
  const seeded = await srv.cli(['seed-demo']);
  t.diagnostic(`seed-demo printed: ${seeded.stdout.trim() || '(nothing)'}`);

  const ops = await operatorSession(srv, 'ops_admin');
  const { items } = expectOk(await api(srv.base, 'GET', '/api/v1/ops/institutions',
    { token: ops.token }));
  for (const brand of PILOTS) {
    const found = items.filter((i) => mentions(i, brand));
    assert.equal(found.length, 1, `${brand}: want one institution, have ${found.length}`);
    const [inst] = found;
    assert.equal(inst.type, 'fund_company', `${brand} is a fund company`);
    assert.equal(inst.demo, true, `${brand} is marked as demo data`);
    if (inst.status === 'applied' || inst.status === 'suspended') {
      await setStatus(srv.base, ops.token, inst.id, 'pilot', '财富号首批试点');
    }
  }

  const pub = expectOk(await api(srv.base, 'GET', '/api/v1/public/institutions')).items;
  for (const brand of PILOTS) {
    const inst = pub.find((i) => mentions(i, brand));
    assert.ok(inst, `${brand} is missing from the public list: ${JSON.stringify(pub)}`);
    assert.ok(inst.status === 'pilot' || inst.status === 'live');
  }
});

test('seed-demo --if-empty on a seeded database adds nothing', async () => {
  const ops = await operatorSession(srv, 'ops_admin');
  const count = async () => expectOk(await api(srv.base, 'GET', '/api/v1/ops/institutions',
    { token: ops.token })).items.length;
  const before = await count();
  await srv.cli(['seed-demo', '--if-empty']);
  assert.equal(await count(), before);
});

test('the demo has the default fair rule in force, published with its notice', async () => {
  const rules = expectOk(await api(srv.base, 'GET', '/api/v1/public/fair-rules'));
  assert.equal(rules.in_force_version, 1);
  const [v1] = rules.items;
  assert.equal(v1.status, 'published');
  assert.equal(v1.notice_days, 15);
  assert.ok(v1.effective_date <= rules.today);
  assert.deepEqual(v1.rule.terms.map((t) => [t.metric, t.weight]), [
    ['question_response_time', 2], ['answer_rate', 2], ['holder_retention_90d', 2],
    ['complaint_rate', 2], ['compliance_record', 3], ['content_engagement', 1],
    ['follower_growth', 1]]);
  assert.deepEqual([v1.rule.floor_days, v1.rule.floor_ppm, v1.rule.cap_ppm, v1.rule.total],
    [30, 10000, 150000, 1000000]);
});

test('the first demo investor has a year of confirmed orders, and the ledger reconciles',
  async () => {
    const pass = 'caifuhao2026';
    const inv = (await login(srv.base, '13800000001', pass)).token;
    const get = async (path, token = inv) => expectOk(await api(srv.base, 'GET', path, { token }));
    const all = (await get('/api/v1/investor/orders?limit=100')).items;
    assert.ok(all.every((o) => o.status === 'confirmed'), JSON.stringify(all.map((o) => o.status)));
    const orders = all.filter((o) => o.side === 'subscribe');
    assert.equal(orders.length, 13, 'twelve in four funds, one in a money-market fund');
    const redemptions = all.filter((o) => o.side === 'redeem');
    assert.equal(redemptions.length, 1);
    const [r] = redemptions;
    const dates = [...new Set(orders.map((o) => o.trade_date))].sort();
    assert.equal(dates.length, 6);
    const spanDays = (Date.parse(dates[5]) - Date.parse(dates[0])) / 86400000;
    assert.ok(spanDays > 200, `the trades span ${spanDays} days`);

    // Verified, assessed C4, and what is not invested is still cash.
    assert.equal((await get('/api/v1/investor/profile')).profile.verified, true);
    assert.equal((await get('/api/v1/investor/assessment')).assessment.category, 'C4');
    const fen = (s) => Math.round(Number(s) * 100);
    const spent = orders.reduce((a, o) => a + fen(o.amount), 0);

    // Half of the oldest lot redeemed two months ago: FIFO from the first order of that
    // product, and its cash paid on T+n by the settlement batch.
    const lotOrder = orders.filter((o) => o.product_id === r.product_id)
      .sort((a, b) => a.trade_date.localeCompare(b.trade_date))[0];
    assert.equal(fen(r.shares), Math.floor(fen(lotOrder.confirmed_shares) / 2));
    const last = orders.map((o) => o.trade_date).sort().at(-1);
    assert.ok(r.trade_date > lotOrder.trade_date && r.trade_date < last, r.trade_date);
    assert.ok(r.cash_date > r.trade_date, r.cash_date);
    assert.equal(typeof r.cash_paid_ms, 'number');
    assert.equal(fen(r.net), fen(r.gross) - fen(r.fee));
    const { cash } = await get('/api/v1/investor/cash');
    assert.equal(fen(cash.available), 50000000 - spent + fen(r.net));
    assert.equal(fen(cash.held), 0);

    // Five holdings: four funds of four companies, and the money-market fund. Their cost is
    // what the orders paid, less the cost that left with the redeemed shares (in proportion,
    // truncated); money-market income comes as shares at no cost.
    const holdings = await get('/api/v1/investor/holdings');
    const h = holdings.items;
    assert.equal(h.length, 5);
    const funds = h.filter((x) => x.type !== 'money_market');
    assert.equal(funds.length, 4);
    assert.equal(new Set(funds.map((x) => orders.find((o) => o.product_id === x.product_id)
      .institution_id)).size, 4);
    const costOut = (BigInt(fen(lotOrder.amount)) * BigInt(fen(r.shares))) /
      BigInt(fen(lotOrder.confirmed_shares));
    assert.equal(h.reduce((a, x) => a + fen(x.cost), 0), spent - Number(costOut));
    assert.ok(h.every((x) => fen(x.shares) > 0 && fen(x.market_value) > 0));

    // The money-market fund earned every calendar day up to yesterday: its gain is the sum of
    // the credits, its daily gain (昨日收益) yesterday's credit.
    const mmf = h.find((x) => x.type === 'money_market');
    const bought = orders.find((o) => o.product_id === mmf.product_id);
    assert.equal(mmf.cost, bought.amount);
    const credits = (await srv.sql(`SELECT count(*), total(shares_h), max(income_date),
      (SELECT shares_h FROM mmf_income_credits WHERE product_id = ${mmf.product_id} ORDER BY
      income_date DESC LIMIT 1) FROM mmf_income_credits WHERE product_id = ${mmf.product_id};`))
      .trim().split('|');
    const yesterday = new Date(Date.now() + 8 * 3600000 - 86400000).toISOString().slice(0, 10);
    assert.ok(Number(credits[0]) > 150, `${credits[0]} days of income`);
    assert.equal(credits[2], yesterday);
    assert.equal(mmf.income_date, yesterday);
    assert.equal(fen(mmf.gain), Number(credits[1]), 'income at NAV 1.0000: a share is a yuan');
    assert.equal(fen(mmf.daily_gain), Number(credits[3]));
    assert.match(mmf.yield_7d, /^\d+\.\d{3}$/);
    assert.equal(typeof holdings.daily_gain, 'string');

    // The institution behind the oldest order sees it in its report of that trade date.
    const first = orders.find((o) => o.trade_date === dates[0]);
    let report = null;
    for (const key of ['boshi', 'xingquan', 'tianhong', 'nanfang', 'jianxin']) {
      const admin = (await login(srv.base, `${key}.admin`, pass)).token;
      const r = await get(`/api/v1/inst/trades?date=${dates[0]}`, admin);
      if (r.products.some((p) => p.product_id === first.product_id)) report = r;
    }
    assert.ok(report, `no institution reports the order of ${dates[0]}`);
    const row = report.products.find((p) => p.product_id === first.product_id);
    assert.equal(row.subscriptions.confirmed, 1);
    assert.equal(row.subscriptions.net, first.net);

    const check = await srv.cli(['ledger', 'check']);
    assert.match(check.stdout, /ledger check: ok/);
  });
