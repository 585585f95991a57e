// Buying through a campaign, as the investor meets it: the offers listed on a product
// (GET /api/v1/investor/products/{id}/campaigns) are exactly the campaigns an order naming them
// is attributed to, by audience (everyone, risk categories, new investors, holders), never
// another institution's, one not started, ended, stopped, exhausted or not approved, and for an
// investor who opted out of personalised marketing only those open to everyone. The estimate of
// an accepted order placed through a fee discount includes the campaign's discount as
// confirmation would give it now, within the budget left now, and equals the confirmed figures
// when the budget suffices.
//
// Business clock on Monday 2026-03-02 10:00 (UTC+8), then 16:00 (after the cutoff: trade date
// Tuesday), then Tuesday 2026-03-03. A1 has a NAV of 1.2345 on Friday 2026-02-27, so accepted
// orders have an estimate, and the same NAV on the days they are confirmed, so the estimated
// shares are the confirmed ones. Every response must fit the OpenAPI document.

import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import {
  STAFF_PASSWORD, investorSession, login, operatorSession, setStatus,
} from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import {
  ANSWERS, CONFIRMED, World, api, checkContract, createProduct, fmt, institutionWithStaff,
  mulDiv, publishNavOk, readyInvestor, subscribe, units,
} from './lib/trading.mjs';

const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

await w.at('2026-03-02');
let base = w.base;
checkContract(await loadOpenApi(base));

const CAMPAIGNS = '/api/v1/inst/campaigns';
const NAV = '1.2345';

const A = await institutionWithStaff(w.srv);
const B = await institutionWithStaff(w.srv);
const reviewer = await operatorSession(w.srv, 'ops_reviewer');
const A1 = await createProduct(base, A.admin.token, { name: 'A1成长混合' });
const A2 = await createProduct(base, A.admin.token, { name: 'A2价值混合' });
const B1 = await createProduct(base, B.admin.token, { name: 'B1稳健混合' });
const article = expectOk(await api(base, 'POST', '/api/v1/inst/contents', {
  token: A.admin.token,
  body: { kind: 'article', title: '春季投资展望', body: '长期投资，理性看待波动。' },
}), 201);
await publishNavOk(base, A.admin.token, A1.id, '2026-02-27', NAV);

// ---- requests ----

let seq = 0;
const discountBody = (products, extra = {}) => {
  seq += 1;
  return {
    type: 'fee_discount', name: `申购费优惠${seq}`, text: '活动期内，指定产品申购费率再享折扣。',
    start_date: '2026-03-02', end_date: '2026-03-31', budget: '1000.00', discount: '0.5',
    product_ids: products.map((p) => p.id), ...extra,
  };
};

async function draft(who, body) {
  return expectOk(await api(base, 'POST', CAMPAIGNS, { token: who.token, body }), 201).campaign;
}

async function submit(who, k) {
  return expectOk(await api(base, 'POST', `${CAMPAIGNS}/${k.id}/submit`, { token: who.token }))
    .campaign;
}

async function decide(k, decision) {
  return expectOk(await api(base, 'POST', `/api/v1/ops/campaigns/${k.id}/decision`,
    { token: reviewer.token, body: { decision, reason: '审核意见' } })).campaign;
}

/** Created, submitted and approved; answers it with its status now. */
async function approved(who, body, status = 'running') {
  const k = await decide(await submit(who, await draft(who, body)), 'approve');
  assert.equal(k.status, status);
  return k;
}

const offersPath = (product) => `/api/v1/investor/products/${product.id}/campaigns`;

/** The offers the investor is shown on the product. */
async function offers(inv, product) {
  const out = expectOk(await api(base, 'GET', offersPath(product), { token: inv.token }));
  assert.equal(out.product_id, product.id);
  const discounts = out.items.map((k) => units(k.discount, 6));
  assert.deepEqual(discounts, [...discounts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)),
    'best discount first');
  for (const k of out.items) assert.equal(k.has_budget_left, true);
  return out.items;
}

const ids = (items) => new Set(items.map((k) => k.id));

function buy(inv, product, campaign, amount = '10000.00') {
  const extra = { ...CONFIRMED };
  if (campaign) extra.campaign_id = campaign.id;
  return subscribe(base, inv.token, product.id, amount, extra);
}

async function cancel(inv, order) {
  expectOk(await api(base, 'POST', `/api/v1/investor/orders/${order.id}/cancel`,
    { token: inv.token }));
}

async function order(inv, id) {
  return expectOk(await api(base, 'GET', `/api/v1/investor/orders/${id}`, { token: inv.token }))
    .order;
}

/**
 * The list and the orders agree: every campaign of `all` is listed exactly when an order of
 * `product` naming it is accepted (the order is cancelled again, so that nothing changes), and
 * the rest are refused with 422 campaign_not_applicable. Promotions are left out: they are not
 * offers of a discount. Answers the ids listed.
 */
async function agrees(inv, product, all) {
  const listed = ids(await offers(inv, product));
  for (const k of all) {
    const res = await buy(inv, product, k, '100.00');
    if (res.status === 201) {
      assert.ok(listed.has(k.id), `${k.name}: an order may name it, so it is listed`);
      await cancel(inv, res.json.order);
    } else {
      const p = expectProblem(res, 422, 'campaign_not_applicable', 'campaign_id');
      assert.ok(!listed.has(k.id), `${k.name}: refused (${p.reason}), so not listed`);
    }
  }
  return listed;
}

/** The confirmed subscription of 10,000.00 at 0.8%, 1折 and NAV 1.2345, given the campaign's
 * discount in fen (see campaigns.test.mjs for the arithmetic: 7.99 without a campaign). */
function confirmedFigures(discountFen) {
  const fee = 799n - discountFen;
  const net = 1000000n - fee;
  return { fee: fmt(fee, 2), net: fmt(net, 2),
    shares: fmt(mulDiv(net, 10000n, units(NAV, 4)), 2) };
}

/** The business clock moved past the sessions' idle limit: everyone signs in again. */
async function signInAgain() {
  for (const who of [A.admin, ...Object.values(inv).flat()]) {
    who.token = (await login(base, who.login ?? who.mobile,
      who.password ?? STAFF_PASSWORD)).token;
  }
  B.ops.token = (await login(base, B.ops.login, B.ops.password)).token;
}

// ---- the stories ----

const k = {};
const inv = {};

test('investors only; an unknown product is 404; a product without offers lists none',
  async () => {
    const someone = await investorSession(base);
    assert.deepEqual(expectOk(await api(base, 'GET', offersPath(A2), { token: someone.token })),
      { product_id: A2.id, items: [] });
    expectProblem(await api(base, 'GET', offersPath({ id: '1234567890123' }),
      { token: someone.token }), 404, 'not_found');
    expectProblem(await api(base, 'GET', '/api/v1/investor/products/abc/campaigns',
      { token: someone.token }), 400);
    for (const token of [A.admin.token, A.operator.token, A.compliance.token, reviewer.token]) {
      expectProblem(await api(base, 'GET', offersPath(A1), { token }), 403);
    }
    expectProblem(await api(base, 'GET', offersPath(A1)), 401);
  });

test('the offers follow the audience, and are exactly those an order may name', async () => {
  k.all = await approved(A.admin, discountBody([A1, A2]));
  k.risk = await approved(A.admin, discountBody([A1], { discount: '0.6', segment: 'risk',
    risk_classes: ['C4', 'C5'] }));
  k.fresh = await approved(A.admin, discountBody([A1], { discount: '0.7',
    segment: 'new_investors' }));
  k.holders = await approved(A.admin, discountBody([A1], { discount: '0.8', segment: 'holders',
    segment_product_id: A1.id }));
  k.oneDay = await approved(A.admin, discountBody([A1], { discount: '0.25',
    end_date: '2026-03-02' }));
  k.tight = await approved(A.admin, discountBody([A1], { budget: '5.00', discount: '0.5' }));
  k.cent = await approved(A.admin, discountBody([A1], { budget: '1.00', discount: '0.5' }));
  // Not offers now: not started, pending, a draft, rejected, stopped, another institution's.
  k.future = await approved(A.admin, discountBody([A1], { discount: '0.9',
    start_date: '2026-03-03' }), 'approved');
  k.pending = await submit(A.admin, await draft(A.admin, discountBody([A1], { discount: '0.9' })));
  k.draft = await draft(A.admin, discountBody([A1], { discount: '0.9' }));
  k.rejected = await decide(await submit(A.admin, await draft(A.admin,
    discountBody([A1], { discount: '0.9' }))), 'reject');
  k.stopped = await approved(A.admin, discountBody([A1], { discount: '0.9' }));
  expectOk(await api(base, 'POST', `${CAMPAIGNS}/${k.stopped.id}/stop`,
    { token: A.admin.token, body: { reason: '提前结束' } }));
  k.b = await approved(B.admin, discountBody([B1], { discount: '0.9' }));
  // A promotion naming A1: an order may name it, but it takes nothing off the fee.
  k.promo = await approved(A.admin, { type: 'content_promotion', name: '展望置顶',
    text: '置顶推荐本季度投资展望。', start_date: '2026-03-02', end_date: '2026-03-15',
    content_id: article.id, product_ids: [A1.id] });
  const candidates = Object.values(k).filter((x) => x !== k.promo);

  inv.c2 = await readyInvestor(base, { cashAmount: '100000' });
  inv.c4 = await readyInvestor(base, { answers: ANSWERS.C4, cashAmount: '100000' });
  const c2 = await offers(inv.c2, A1);
  // Best discount first; equal ones (0.5, all ending on 03-31) by id.
  const byId = (a, b) => (BigInt(a) < BigInt(b) ? -1 : 1);
  assert.deepEqual(c2.map((x) => x.id),
    [k.fresh.id, ...[k.all.id, k.tight.id, k.cent.id].sort(byId), k.oneDay.id],
    'C2, new to A: all and new investors');
  const shown = c2.find((x) => x.id === k.all.id);
  assert.deepEqual(shown, { id: k.all.id, name: k.all.name, text: k.all.text,
    discount: '0.500000', start_date: '2026-03-02', end_date: '2026-03-31',
    institution_id: A.inst.id, institution_name: A.inst.name, has_budget_left: true });
  assert.equal(c2[0].id, k.fresh.id, 'the best discount first');
  assert.deepEqual(ids(await offers(inv.c4, A1)),
    new Set([k.fresh.id, k.risk.id, k.all.id, k.tight.id, k.cent.id, k.oneDay.id]),
    'C4: the risk segment too');
  // The same offers as the orders accept, campaign by campaign.
  assert.deepEqual(await agrees(inv.c2, A1, candidates), ids(c2));
  await agrees(inv.c4, A1, candidates);
  // A2 is covered by one campaign only; B1 by B's only, shown with B's name.
  assert.deepEqual([...ids(await offers(inv.c2, A2))], [k.all.id]);
  const b1 = await offers(inv.c2, B1);
  assert.deepEqual(b1.map((x) => [x.id, x.institution_id, x.institution_name]),
    [[k.b.id, B.inst.id, B.inst.name]]);
  await agrees(inv.c2, B1, candidates);

  // The promotion is attributed, but it is no offer of a discount.
  const viaPromo = expectOk(await buy(inv.c2, A1, k.promo, '100.00'), 201).order;
  assert.equal(viaPromo.campaign_id, k.promo.id);
  assert.ok(!ids(await offers(inv.c2, A1)).has(k.promo.id));
  await cancel(inv.c2, viaPromo);

  // An accepted order of the institution's makes the investor no longer new.
  const plain = expectOk(await buy(inv.c2, A1, null, '100.00'), 201).order;
  assert.ok(!ids(await offers(inv.c2, A1)).has(k.fresh.id));
  await agrees(inv.c2, A1, candidates);
  await cancel(inv.c2, plain);
  assert.ok(ids(await offers(inv.c2, A1)).has(k.fresh.id), 'new again once it is cancelled');
});

test('opted out of personalised marketing: only the offers open to everyone', async () => {
  const optOut = async (on) => expectOk(await api(base, 'PUT', '/api/v1/investor/marketing',
    { token: inv.c4.token, body: { opted_out: on } }));
  await optOut(true);
  const out = await agrees(inv.c4, A1, [k.all, k.risk, k.fresh, k.tight, k.cent, k.oneDay]);
  assert.deepEqual(out, new Set([k.all.id, k.tight.id, k.cent.id, k.oneDay.id]));
  const refused = expectProblem(await buy(inv.c4, A1, k.risk, '100.00'), 422,
    'campaign_not_applicable');
  assert.equal(refused.reason, 'opted_out');
  await optOut(false);
  assert.ok(ids(await offers(inv.c4, A1)).has(k.risk.id), 'back in: the segments again');
});

test('the estimate includes the campaign discount within the budget left now', async () => {
  const e = [];
  for (let i = 0; i < 4; i++) e.push(await readyInvestor(base, { cashAmount: '50000' }));
  inv.e = e;
  // Worked by hand (campaigns.test.mjs): 10,000.00 at 0.8% with the platform's 1折 pays 7.99;
  // half of that rate pays 4.00, so the campaign takes 3.99. NAV 1.2345: 8,097.21 shares.
  const viaAll = expectOk(await buy(e[0], A1, k.all), 201).order;
  assert.equal(viaAll.estimate, undefined, 'the answer to placing it has no estimate');
  const est = (await order(e[0], viaAll.id)).estimate;
  assert.deepEqual(est, { fee: '4.00', net: '9996.00', shares: '8097.21',
    campaign_discount: '3.99', nav: NAV, nav_date: '2026-02-27' });
  // 5.00 left covers each of two orders' 3.99 now; confirmation will give 3.99 and 1.01.
  const tight = [];
  for (const who of [e[1], e[2]]) tight.push(expectOk(await buy(who, A1, k.tight), 201).order);
  for (const [i, o] of tight.entries()) {
    const t = (await order([e[1], e[2]][i], o.id)).estimate;
    assert.deepEqual([t.fee, t.campaign_discount], ['4.00', '3.99']);
  }
  // 1.00 left is less than the 3.99: the estimate gives 1.00 (fee 6.99), as confirmation would.
  const viaCent = expectOk(await buy(e[3], A1, k.cent), 201).order;
  const c = (await order(e[3], viaCent.id)).estimate;
  assert.deepEqual([c.fee, c.net, c.campaign_discount], ['6.99', '9993.01', '1.00']);
  // No campaign, or one that takes nothing off the fee: no campaign_discount at all.
  const plain = expectOk(await buy(e[0], A1, null), 201).order;
  const p = (await order(e[0], plain.id)).estimate;
  assert.equal(p.fee, '7.99');
  assert.ok(!('campaign_discount' in p));
  const viaPromo = expectOk(await buy(e[3], A1, k.promo, '1000.00'), 201).order;
  assert.ok(!('campaign_discount' in (await order(e[3], viaPromo.id)).estimate));
  // A holder-to-be: a plain order, confirmed tonight.
  inv.holder = await readyInvestor(base, { cashAmount: '20000' });
  expectOk(await buy(inv.holder, A1, null, '1000.00'), 201);
  // The list of orders carries the same estimate.
  const listed = expectOk(await api(base, 'GET', '/api/v1/investor/orders?status=accepted',
    { token: e[0].token })).items.find((o) => o.id === viaAll.id);
  assert.deepEqual(listed.estimate, est);
  Object.assign(k, { orders: { viaAll, tight, viaCent, plain } });
});

test('after the cutoff an order estimated with budget left gets none once it is spent',
  async () => {
    await w.at('2026-03-02', '16:00:00');
    base = w.base;
    await signInAgain();
    const late = expectOk(await buy(inv.e[0], A1, k.tight), 201).order;
    assert.equal(late.trade_date, '2026-03-03');
    assert.equal((await order(inv.e[0], late.id)).estimate.campaign_discount, '3.99');

    await publishNavOk(base, A.admin.token, A1.id, '2026-03-02', NAV);
    const rep = await w.confirm('2026-03-02');
    assert.equal(rep.failed, 0);

    // Where the budget sufficed, the estimate was the confirmation to the fen.
    const { viaAll, tight, viaCent } = k.orders;
    const conf = await order(inv.e[0], viaAll.id);
    assert.equal(conf.status, 'confirmed');
    assert.deepEqual({ ...confirmedFigures(399n), discount: '3.99' },
      { fee: conf.fee, net: conf.net, shares: conf.confirmed_shares, discount: conf.discount });
    const cent = await order(inv.e[3], viaCent.id);
    assert.deepEqual([cent.fee, cent.net, cent.discount], ['6.99', '9993.01', '1.00']);
    // Two orders estimated at 3.99 each from 5.00: one got it all, the other what was left.
    const got = [await order(inv.e[1], tight[0].id), await order(inv.e[2], tight[1].id)];
    assert.deepEqual(got.map((o) => o.discount).sort(), ['1.01', '3.99']);
    const full = got.find((o) => o.discount === '3.99');
    assert.deepEqual([full.fee, full.net, full.confirmed_shares], ['4.00', '9996.00', '8097.21']);

    // The late order was estimated at 3.99; the budget is spent now, and its estimate says so.
    const spent = (await order(inv.e[0], late.id)).estimate;
    assert.deepEqual([spent.fee, spent.net, spent.campaign_discount], ['7.99', '9992.01', '0.00']);
    assert.ok(!ids(await offers(inv.e[0], A1)).has(k.tight.id), 'an exhausted offer is gone');
    assert.ok(!ids(await offers(inv.e[0], A1)).has(k.cent.id));
    k.late = late;
  });

test('the next day: ended, exhausted and stopped offers are gone; holders see theirs',
  async () => {
    await w.at('2026-03-03');
    base = w.base;
    await signInAgain();
    const all = [k.all, k.risk, k.fresh, k.holders, k.oneDay, k.tight, k.cent, k.future,
      k.stopped, k.pending, k.draft, k.rejected, k.b];
    const holder = await agrees(inv.holder, A1, all);
    assert.deepEqual(holder, new Set([k.holders.id, k.future.id, k.all.id]),
      'a holder with a confirmed order: holders, not new; the one that started today');
    const c4 = await agrees(inv.c4, A1, all);
    assert.deepEqual(c4, new Set([k.future.id, k.fresh.id, k.risk.id, k.all.id]));

    // The late order is confirmed without a discount, as its estimate said the night before.
    await publishNavOk(base, A.admin.token, A1.id, '2026-03-03', NAV);
    assert.equal((await w.confirm('2026-03-03')).failed, 0);
    const late = await order(inv.e[0], k.late.id);
    assert.deepEqual([late.fee, late.discount], ['7.99', '0.00']);
  });

test('a product whose institution is suspended is not found', async () => {
  await setStatus(base, B.ops.token, B.inst.id, 'suspended');
  expectProblem(await api(base, 'GET', offersPath(B1), { token: inv.c2.token }), 404,
    'not_found');
});
