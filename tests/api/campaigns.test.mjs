// Marketing campaigns: the allowed types through review, the forbidden ones refused with their
// rule (by type and by wording, spaced out or full-width too), the lexicon, other institutions'
// products and campaigns, attribution of orders, the fee discount at confirmation to the fen
// with a budget that is never overspent, the report, the opt-out of personalised marketing and
// the reviewers' notifications.
//
// Business clock on Monday 2026-03-02 10:00 (UTC+8); orders of that day are confirmed by the
// batch at 20:00. Institution A has products A1, A2 and a published article; B has B1. Every
// response must fit the OpenAPI document.

import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { auditAfter, investorSession, operatorSession } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import {
  ANSWERS, CONFIRMED, World, api, checkContract, createProduct, expectLedgerOk, fmt,
  institutionWithStaff, mulDiv, publishNavOk, readyInvestor, redeem, subscribe, units,
} from './lib/trading.mjs';

const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

await w.at('2026-03-02');
const base = w.base;
checkContract(await loadOpenApi(base));

const CAMPAIGNS = '/api/v1/inst/campaigns';
const REVIEW = '/api/v1/ops/review';
const NAV = '1.2345';

const A = await institutionWithStaff(w.srv);
const B = await institutionWithStaff(w.srv);
const reviewer = await operatorSession(w.srv, 'ops_reviewer');
const risk = await operatorSession(w.srv, 'ops_risk');
const A1 = await createProduct(base, A.admin.token, { name: 'A1成长混合' });
const A2 = await createProduct(base, A.admin.token, { name: 'A2价值混合' });
const B1 = await createProduct(base, B.admin.token, { name: 'B1稳健混合' });
const article = expectOk(await api(base, 'POST', '/api/v1/inst/contents', {
  token: A.admin.token,
  body: { kind: 'article', title: '春季投资展望', body: '长期投资，理性看待波动。' },
}), 201);
assert.equal(article.status, 'published');
const articleB = expectOk(await api(base, 'POST', '/api/v1/inst/contents', {
  token: B.admin.token, body: { kind: 'article', title: 'B的文章', body: '理性投资。' },
}), 201);

// ---- requests ----

const discountBody = (products, extra = {}) => ({
  type: 'fee_discount',
  name: '春季申购费率优惠',
  text: '活动期内，指定产品申购费率在平台优惠基础上再享5折。',
  start_date: '2026-03-02',
  end_date: '2026-03-31',
  budget: '1000.00',
  discount: '0.5',
  product_ids: products.map((p) => p.id),
  ...extra,
});
const promotionBody = (extra = {}) => ({
  type: 'content_promotion', name: '春季展望置顶', text: '置顶推荐本季度投资展望。',
  start_date: '2026-03-02', end_date: '2026-03-15', content_id: article.id, ...extra,
});
const messageBody = (extra = {}) => ({
  type: 'segment_message', name: '持有人沟通会', text: '本周五举办线上持有人沟通会，欢迎参加。',
  start_date: '2026-03-02', end_date: '2026-03-06', ...extra,
});

function create(who, body) {
  return api(base, 'POST', CAMPAIGNS, { token: who.token, body });
}

async function draft(who, body) {
  const k = expectOk(await create(who, body), 201).campaign;
  assert.equal(k.status, 'draft');
  assert.equal(k.type, body.type);
  assert.equal(k.name, body.name);
  assert.equal(k.text, body.text);
  assert.equal(k.created_by, who.user.id);
  return k;
}

async function submit(who, k) {
  const out = expectOk(await api(base, 'POST', `${CAMPAIGNS}/${k.id}/submit`,
    { token: who.token }), 200).campaign;
  assert.equal(out.status, 'pending');
  return out;
}

function decide(k, decision, reason = '符合营销规范') {
  return api(base, 'POST', `/api/v1/ops/campaigns/${k.id}/decision`,
    { token: reviewer.token, body: { decision, reason } });
}

/** Created, submitted and approved: answers the campaign as approved. */
async function approved(who, body, status = 'running') {
  const k = await submit(who, await draft(who, body));
  const out = expectOk(await decide(k, 'approve'), 200).campaign;
  assert.equal(out.status, status);
  return out;
}

async function forbidden(body, rule, field) {
  const p = expectProblem(await create(A.admin, body), 422, 'forbidden_campaign', field);
  assert.equal(p.rule, rule);
  assert.ok(p.rule_zh.length > 5 && p.rule_en.length > 5, 'the rule is explained');
  return p;
}

async function ownCampaigns(who) {
  return expectOk(await api(base, 'GET', `${CAMPAIGNS}?limit=200`, { token: who.token })).items;
}

async function queue() {
  return expectOk(await api(base, 'GET', REVIEW, { token: reviewer.token })).items;
}

async function notes(who) {
  return expectOk(await api(base, 'GET', '/api/v1/inst/notifications', { token: who.token }))
    .items;
}

const optOut = (inv, on) => api(base, 'PUT', '/api/v1/investor/marketing',
  { token: inv.token, body: { opted_out: on } });

/** A subscription of A1 through `campaign`, 10,000.00 unless said otherwise. */
function buy(inv, product, campaign, amount = '10000.00') {
  const extra = { ...CONFIRMED };
  if (campaign) extra.campaign_id = campaign.id;
  return subscribe(base, inv.token, product.id, amount, extra);
}

async function refused(inv, product, campaign, reason) {
  const p = expectProblem(await buy(inv, product, campaign), 422, 'campaign_not_applicable',
    'campaign_id');
  assert.equal(p.reason, reason);
}

// ---- the stories ----

const s = {};

test('allowed types are drafted, submitted, reviewed and approved; authors are told', async () => {
  const d = await draft(A.operator, discountBody([A1]));
  assert.equal(d.discount, '0.500000');
  assert.equal(d.budget, '1000.00');
  assert.equal(d.spent, '0.00');
  assert.deepEqual(d.product_ids, [A1.id]);
  assert.deepEqual(d.audience, { segment: 'all', risk_classes: [], product_id: null });
  assert.equal(d.check.verdict, 'pass');
  const p = await draft(A.admin, promotionBody());
  assert.equal(p.content_id, article.id);
  assert.equal(p.discount, null);
  const m = await draft(A.admin, messageBody());
  assert.equal(m.audience.segment, 'followers');
  assert.equal(m.message_id, null);

  // Nothing reaches the queue before it is submitted.
  assert.ok(!(await queue()).some((e) => e.kind === 'campaign' && e.item.id === d.id));
  for (const [who, k] of [[A.operator, d], [A.admin, p], [A.admin, m]]) await submit(who, k);
  const again = await api(base, 'POST', `${CAMPAIGNS}/${d.id}/submit`, { token: A.admin.token });
  assert.equal(expectProblem(again, 409, 'campaign_state').campaign_status, 'pending');

  // Every campaign waits for a reviewer; the segment message's message is not a separate entry.
  const q = await queue();
  for (const k of [d, p, m]) {
    const e = q.find((x) => x.kind === 'campaign' && x.item.id === k.id);
    assert.ok(e, `campaign ${k.name} is in the review queue`);
    assert.equal(e.item.institution_name, A.inst.name);
  }
  const pending = (await ownCampaigns(A.admin)).find((k) => k.id === m.id);
  assert.ok(pending.message_id);
  assert.ok(!q.some((x) => x.kind === 'message' && x.item.id === pending.message_id));
  expectProblem(await api(base, 'POST', `/api/v1/ops/messages/${pending.message_id}/decision`,
    { token: reviewer.token, body: { decision: 'approve', reason: '绕过活动审核' } }), 404);

  // An investor, institution staff and a risk operator cannot decide.
  const inv = await investorSession(base);
  for (const token of [inv.token, A.admin.token, risk.token]) {
    expectProblem(await api(base, 'POST', `/api/v1/ops/campaigns/${d.id}/decision`,
      { token, body: { decision: 'approve', reason: 'x' } }), 403);
  }

  s.discount = expectOk(await decide(d, 'approve', '费率优惠合规'), 200).campaign;
  assert.equal(s.discount.status, 'running');
  s.promotion = expectOk(await decide(p, 'approve'), 200).campaign;
  assert.equal(s.promotion.status, 'running');
  s.message = expectOk(await decide(m, 'approve'), 200).campaign;
  assert.equal(s.message.status, 'running');
  expectProblem(await decide(d, 'reject'), 404);

  // A rejected one never runs, and its author is told why.
  const r = await submit(A.admin, await draft(A.admin, messageBody({ name: '另一条消息' })));
  const rejected = expectOk(await decide(r, 'reject', '与上一条重复'), 200).campaign;
  assert.equal(rejected.status, 'rejected');
  assert.equal(rejected.reason, '与上一条重复');

  const opNotes = await notes(A.operator);
  const ok = opNotes.find((n) => n.subject === `campaign:${d.id}`);
  assert.equal(ok.kind, 'campaign_approved');
  assert.match(ok.text, /费率优惠合规/);
  const adminNotes = await notes(A.admin);
  assert.equal(adminNotes.find((n) => n.subject === `campaign:${r.id}`).kind, 'campaign_rejected');
  assert.match(adminNotes.find((n) => n.subject === `campaign:${r.id}`).text, /与上一条重复/);
  assert.ok(!opNotes.some((n) => n.subject === `campaign:${r.id}`), 'only the author is told');
  assert.ok(!(await notes(B.admin)).some((n) => n.kind.startsWith('campaign_')));

  const got = expectOk(await api(base, 'GET', `${CAMPAIGNS}/${d.id}`,
    { token: A.compliance.token })).campaign;
  assert.equal(got.status, 'running');
  assert.equal(got.reason, '费率优惠合规');

  // Every step is in the audit chain.
  const audit = await auditAfter(base, A.ops.token);
  const steps = audit.filter((e) => e.subject === `campaign:${d.id}`).map((e) => e.action);
  assert.deepEqual(steps, ['campaign.create', 'campaign.submit', 'campaign.decide']);
});

test('a segment message approved before its period is scheduled, not sent', async () => {
  const later = await submit(A.admin, await draft(A.admin, messageBody({ name: '下周活动',
    start_date: '2026-03-09', end_date: '2026-03-13' })));
  const k = expectOk(await decide(later, 'approve')).campaign;
  assert.equal(k.status, 'approved');
  const m = expectOk(await api(base, 'GET', '/api/v1/inst/messages?limit=200',
    { token: A.admin.token })).items.find((x) => x.id === k.message_id);
  assert.deepEqual([m.status, m.sent_ms], ['held', null]);
  // Stopped before its first day, so it never goes (see campaigns_lifecycle.test.mjs).
  expectOk(await api(base, 'POST', `${CAMPAIGNS}/${k.id}/stop`,
    { token: A.admin.token, body: { reason: '活动取消' } }));
});

test('bad audiences and periods are refused naming the member', async () => {
  const bad = [
    [discountBody([A1], { segment: 'risk' }), 'missing_field', 'risk_classes'],
    [discountBody([A1], { segment: 'risk', risk_classes: ['C6'] }), 'invalid_field',
      'risk_classes'],
    [discountBody([A1], { risk_classes: ['C1'] }), 'invalid_field', 'risk_classes'],
    [discountBody([A1], { segment: 'followers' }), 'invalid_field', 'segment'],
    [discountBody([A1], { segment: 'holders' }), 'missing_field', 'segment_product_id'],
    [messageBody({ segment: 'new_investors' }), 'invalid_field', 'segment'],
    [messageBody({ discount: '0.5' }), 'invalid_field', 'discount'],
    [discountBody([A1], { budget: undefined }), 'missing_field', 'budget'],
    [discountBody([A1], { budget: '0' }), 'invalid_field', 'budget'],
    [discountBody([A1, A1]), 'invalid_field', 'product_ids[1]'],
    [promotionBody({ content_id: undefined }), 'missing_field', 'content_id'],
    [discountBody([A1], { end_date: '2027-03-03' }), 'invalid_field', 'end_date'],
    [discountBody([A1], { start_date: '2026-03-10', end_date: '2026-03-09' }), 'invalid_field',
      'end_date'],
    [discountBody([A1], { name: '第一行\n第二行' }), 'invalid_field', 'name'],
    [discountBody([A1], { colour: 'red' }), 'unknown_field', 'colour'],
  ];
  for (const [body, code, field] of bad) {
    const clean = JSON.parse(JSON.stringify(body));
    expectProblem(await create(A.admin, clean), 422, code, field);
  }
});

test('each forbidden type is refused with the rule it breaks', async () => {
  const before = (await ownCampaigns(A.admin)).length;
  const types = {
    lottery: 'no_lottery', red_packet: 'no_red_packet', gift: 'no_gift',
    free_shares: 'no_free_shares', below_cost: 'no_below_cost', tying: 'no_tying',
    cashback: 'no_below_cost', lucky_draw: 'no_lottery',
  };
  for (const [type, rule] of Object.entries(types)) {
    const p = await forbidden({ ...discountBody([A1]), type }, rule, 'type');
    assert.equal(p.match, undefined);
  }
  expectProblem(await create(A.admin, { ...discountBody([A1]), type: 'banner' }), 422,
    'invalid_field', 'type');
  assert.equal((await ownCampaigns(A.admin)).length, before, 'nothing was stored');
});

test('forbidden wording is refused too, spaced out or written full-width', async () => {
  const before = (await ownCampaigns(A.admin)).length;
  const cases = [
    ['name', '新春抽奖季', 'no_lottery', '抽奖'],
    ['text', '申购即可领取红 包一个', 'no_red_packet', '红 包'],
    ['text', '申购即可领取红\u3000包', 'no_red_packet', '红\u3000包'],
    ['text', '新客专享 ＲＥＤ ＰＡＣＫＥＴ', 'no_red_packet', 'ＲＥＤ ＰＡＣＫＥＴ'],
    ['name', '开户送精美礼品', 'no_gift', '礼品'],
    ['text', '首购赠送份额100份', 'no_free_shares', '赠送份额'],
    ['text', '0费率再返现', 'no_below_cost', '返现'],
    ['text', '买A基金送B基金', 'no_tying', '买A基金送'],
  ];
  for (const [field, words, rule, span] of cases) {
    const p = await forbidden({ ...discountBody([A1]), [field]: words }, rule, field);
    assert.equal(p.match.field, field);
    assert.equal(p.match.text, span, `${words}: the span of what was written`);
    assert.equal(Buffer.from(words).subarray(p.match.start, p.match.end).toString(), span);
  }
  // A discount beyond 100% of the fee would pay the investor to buy: below cost.
  await forbidden(discountBody([A1], { discount: '1.5' }), 'no_below_cost', 'discount');
  // A discount on A1 for the holders of A2: buying A2 is the condition. 100% is allowed.
  await forbidden(discountBody([A1], { segment: 'holders', segment_product_id: A2.id }),
    'no_tying', 'segment_product_id');
  expectProblem(await create(A.admin, discountBody([A1], { discount: '0' })), 422,
    'invalid_field', 'discount');
  const waived = await draft(A.admin, discountBody([A1], { discount: '1' }));
  assert.equal(waived.discount, '1.000000');
  assert.equal((await ownCampaigns(A.admin)).length, before + 1, 'only the allowed one stored');
});

test('the lexicon blocks some wording and holds other wording for the reviewer', async () => {
  const blocked = expectProblem(await create(A.admin,
    discountBody([A1], { text: '本产品稳赚不赔，费率5折。' })), 422, 'compliance_blocked');
  assert.ok(blocked.check.matches.some((x) => x.field === 'text' && x.text === '稳赚不赔'));
  const held = await draft(A.admin, promotionBody({ text: '申购良机，不容错过。' }));
  assert.equal(held.check.verdict, 'review');
  await submit(A.admin, held);
  const e = (await queue()).find((x) => x.kind === 'campaign' && x.item.id === held.id);
  assert.ok(e.item.check.matches.some((x) => x.text === '申购良机'), 'the reviewer sees the span');
  expectOk(await decide(held, 'reject', '宣传用语不当'), 200);
});

test('another institution\'s product or content is refused naming it', async () => {
  expectProblem(await create(A.admin, discountBody([A1, B1])), 422, 'invalid_field',
    'product_ids[1]');
  const p = expectProblem(await create(A.admin, discountBody([B1])), 422, 'invalid_field',
    'product_ids[0]');
  assert.match(p.detail, new RegExp(B1.id));
  expectProblem(await create(A.admin, promotionBody({ content_id: articleB.id })), 422,
    'invalid_field', 'content_id');
  expectProblem(await create(A.admin, discountBody([A1], { segment: 'holders',
    segment_product_id: B1.id })), 422, 'invalid_field', 'segment_product_id');
  expectProblem(await create(A.admin, messageBody({ segment: 'holders',
    segment_product_id: B1.id })), 422, 'invalid_field', 'segment_product_id');
  expectProblem(await create(A.admin, discountBody([A1], { content_id: article.id })), 422,
    'invalid_field', 'content_id');
  expectProblem(await create(A.admin, discountBody([A1], { end_date: '2026-03-01',
    start_date: '2026-02-01' })), 422, 'invalid_field', 'end_date');
});

test('institutions see and act on their own campaigns only', async () => {
  const k = s.discount;
  for (const path of [`${CAMPAIGNS}/${k.id}`, `${CAMPAIGNS}/${k.id}/report`]) {
    expectProblem(await api(base, 'GET', path, { token: B.admin.token }), 404, 'not_found');
  }
  const d = await draft(A.admin, discountBody([A1]));
  expectProblem(await api(base, 'POST', `${CAMPAIGNS}/${d.id}/submit`,
    { token: B.admin.token }), 404, 'not_found');
  assert.ok(!(await ownCampaigns(B.admin)).some((x) => x.institution_id === A.inst.id));
  // Compliance officers read but do not create; investors do neither.
  expectProblem(await create(A.compliance, discountBody([A1])), 403);
  const inv = await investorSession(base);
  expectProblem(await api(base, 'GET', CAMPAIGNS, { token: inv.token }), 403);
});

test('an order is attributed only to a running campaign that applies to it', async () => {
  const c2 = await readyInvestor(base, { cashAmount: '100000' });
  const c4 = await readyInvestor(base, { answers: ANSWERS.C4, cashAmount: '100000' });
  const fresh = await readyInvestor(base, { cashAmount: '100000' });
  const bRisk = await approved(B.admin, discountBody([B1]));
  const pending = await submit(A.admin, await draft(A.admin, discountBody([A1])));
  const future = await approved(A.admin, discountBody([A1], { start_date: '2026-03-03' }),
    'approved');
  const forRisk = await approved(A.admin, discountBody([A1], { segment: 'risk',
    risk_classes: ['C4', 'C5'] }));
  const forNew = await approved(A.admin, discountBody([A1], { segment: 'new_investors' }));
  const forHolders = await approved(A.admin, discountBody([A1], { segment: 'holders',
    segment_product_id: A1.id }));
  s.forRisk = forRisk;

  await refused(c2, A1, pending, 'not_approved');
  await refused(c2, A1, future, 'not_running');
  await refused(c2, A2, s.discount, 'product_not_covered');
  await refused(c2, B1, s.discount, 'other_institution');
  await refused(c2, A1, bRisk, 'other_institution');
  await refused(c2, A1, s.message, 'product_not_covered');
  await refused(c2, A1, forRisk, 'not_in_audience');
  await refused(c2, A1, forHolders, 'not_in_audience');
  await refused(c2, A1, { id: '1234567890123' }, 'not_found');
  expectProblem(await redeem(base, c2.token, A1.id, '1.00', { campaign_id: s.discount.id }),
    422, 'invalid_field', 'campaign_id');

  const viaRisk = expectOk(await buy(c4, A1, forRisk), 201).order;
  assert.equal(viaRisk.campaign_id, forRisk.id);
  assert.equal(viaRisk.discount, null);
  const stored = expectOk(await api(base, 'GET', `/api/v1/investor/orders/${viaRisk.id}`,
    { token: c4.token })).order;
  delete stored.estimate;
  assert.deepEqual(stored, viaRisk, 'the answer to placing it is the order as stored');
  // New investors: the first order with the institution only.
  expectOk(await buy(fresh, A1, forNew), 201);
  await refused(fresh, A1, forNew, 'not_in_audience');
  await refused(c4, A1, forNew, 'not_in_audience');
  const plain = expectOk(await buy(c2, A1, null, '1000.00'), 201).order;
  assert.equal(plain.campaign_id, null);

  // Opted out of personalised marketing: out of every segment, not out of an open campaign.
  const set = expectOk(await optOut(c4, true)).marketing;
  assert.equal(set.opted_out, true);
  assert.equal(typeof set.updated_ms, 'number');
  assert.deepEqual(expectOk(await api(base, 'GET', '/api/v1/investor/marketing',
    { token: c4.token })).marketing, set);
  await refused(c4, A1, forRisk, 'opted_out');
  expectOk(await buy(c4, A1, s.discount), 201);
  expectOk(await optOut(c4, false));
  expectOk(await buy(c4, A1, forRisk), 201);
});

// Worked by hand: 10,000.00 of A1 (list rate 0.8%, the platform's 1折, i.e. it charges 10% of
// the list rate), the campaign takes 50% off what is left, NAV(T) 1.2345.
//   platform rate r1 = 8000 ppm × 0.1 = 800 ppm
//   without the campaign: net = 1,000,000 fen × 10^6 / 1,000,800 = 999,200.64 → 999,201 fen,
//     fee = 799 fen (7.99)
//   campaign rate r2 = 800 × (1 − 0.5) = 400 ppm
//   with it: net = 10^12 / 1,000,400 = 999,600.16 → 999,600 fen, fee = 400 fen (4.00)
//   discount = 7.99 − 4.00 = 3.99; net 9,996.00; shares = 999,600 × 10^4 / 12,345 =
//     809,720.53 → 8,097.21 (half-up)
// A budget of 10.00 covers 3.99 + 3.99 and then 2.02 of the third order's 3.99; a fourth gets
// nothing. The four orders are confirmed in one run, in one chunk.
test('the discount applies at confirmation to the fen, and the budget is never overspent',
  async () => {
    const k = await approved(A.admin, discountBody([A1], { budget: '10.00' }));
    const investors = [];
    for (let i = 0; i < 4; i++) investors.push(await readyInvestor(base, { cashAmount: '20000' }));
    const placed = await Promise.all(investors.map((inv) => buy(inv, A1, k)));
    const orders = placed.map((res) => expectOk(res, 201).order)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const other = expectOk(await buy(investors[0], A1, null), 201).order;
    await publishNavOk(base, A.admin.token, A1.id, '2026-03-02', NAV);
    await publishNavOk(base, A.admin.token, A2.id, '2026-03-02', NAV);
    await publishNavOk(base, B.admin.token, B1.id, '2026-03-02', NAV);
    const rep = await w.confirm('2026-03-02');
    assert.equal(rep.failed, 0);

    const expected = (discountFen) => {
      const fee = 799n - discountFen;
      const net = 1000000n - fee;
      return { fee: fmt(fee, 2), net: fmt(net, 2), discount: fmt(discountFen, 2),
        confirmed_shares: fmt(mulDiv(net, 10000n, units(NAV, 4)), 2) };
    };
    const want = [399n, 399n, 202n, 0n].map(expected);
    assert.deepEqual(want[0], { fee: '4.00', net: '9996.00', discount: '3.99',
      confirmed_shares: '8097.21' });
    const byId = new Map();
    for (const inv of investors) {
      const list = expectOk(await api(base, 'GET', '/api/v1/investor/orders?limit=10',
        { token: inv.token })).items;
      for (const o of list) byId.set(o.id, o);
    }
    orders.forEach((placedOrder, i) => {
      const o = byId.get(placedOrder.id);
      assert.equal(o.status, 'confirmed');
      assert.equal(o.campaign_id, k.id);
      assert.deepEqual({ fee: o.fee, net: o.net, discount: o.discount,
        confirmed_shares: o.confirmed_shares }, want[i], `order ${i + 1}`);
    });
    const plain = byId.get(other.id);
    assert.equal(plain.fee, '7.99');
    assert.equal(plain.discount, null);

    const after = expectOk(await api(base, 'GET', `${CAMPAIGNS}/${k.id}`,
      { token: A.admin.token })).campaign;
    assert.equal(after.spent, '10.00');
    assert.equal(after.budget_left, '0.00');
    assert.equal(after.status, 'exhausted');
    await refused(investors[1], A1, k, 'budget_spent');

    // The report: four orders, the amounts and exactly the budget given.
    const r = expectOk(await api(base, 'GET', `${CAMPAIGNS}/${k.id}/report`,
      { token: A.compliance.token }));
    assert.deepEqual(r.report.orders, { placed: 4, accepted: 0, confirmed: 4, cancelled: 0,
      failed: 0 });
    assert.equal(r.report.investors, 4);
    assert.equal(r.report.amount, '40000.00');
    assert.equal(r.report.fee, fmt(4n * 799n - 1000n, 2));
    assert.equal(r.report.discount_given, '10.00');
    assert.equal(r.report.budget, '10.00');
    assert.equal(r.report.spent, '10.00');
    assert.equal(r.report.budget_left, '0.00');
    assert.deepEqual(r.report.products.map((p) => [p.product_id, p.orders, p.discount_given]),
      [[A1.id, 4, '10.00']]);

    // Run again: nothing more is confirmed and nothing more is spent.
    const again = await w.confirm('2026-03-02');
    assert.equal(again.processed, 0);
    const still = expectOk(await api(base, 'GET', `${CAMPAIGNS}/${k.id}`,
      { token: A.admin.token })).campaign;
    assert.equal(still.spent, '10.00');
    await expectLedgerOk(w.db);

    // The table itself refuses spending past the budget.
    await assert.rejects(w.sql(`UPDATE campaigns SET spent_fen = budget_fen + 1 WHERE id = ${k.id};`),
      /CHECK constraint failed/);
  });

test('a segment message is delivered, but not to investors who opted out', async () => {
  const f = await investorSession(base);
  const g = await investorSession(base);
  await api(base, 'POST', `/api/v1/investor/follows/${A.inst.id}`, { token: f.token });
  await api(base, 'POST', `/api/v1/investor/follows/${A.inst.id}`, { token: g.token });
  // Followed after delivery: as for any follower message, they would not get it; so send now.
  const k = await approved(A.admin, messageBody({ name: '分红说明会' }));
  const inbox = async (inv) => expectOk(await api(base, 'GET', '/api/v1/investor/messages',
    { token: inv.token }));
  assert.ok((await inbox(f)).items.some((m) => m.id === k.message_id));
  expectOk(await optOut(g, true));
  const hidden = await inbox(g);
  assert.ok(!hidden.items.some((m) => m.id === k.message_id));
  assert.equal(hidden.unread, 0);
  expectProblem(await api(base, 'POST', `/api/v1/investor/messages/${k.message_id}/read`,
    { token: g.token }), 404);
  expectOk(await optOut(g, false));
  assert.ok((await inbox(g)).items.some((m) => m.id === k.message_id));
});

test('a segment message\'s reach leaves out who opted out; a plain message\'s does not',
  async () => {
    // A fresh institution with three followers, one of whom opted out of personalised marketing.
    const X = await institutionWithStaff(w.srv);
    const people = [];
    for (let i = 0; i < 3; i++) {
      const inv = await investorSession(base);
      expectOk(await api(base, 'POST', `/api/v1/investor/follows/${X.inst.id}`,
        { token: inv.token }));
      people.push(inv);
    }
    expectOk(await optOut(people[2], true));
    const k = await approved(X.admin, messageBody({ name: '季度持有人沟通会' }));
    const messages = expectOk(await api(base, 'GET', '/api/v1/inst/messages?limit=50',
      { token: X.admin.token })).items;
    assert.equal(messages.find((m) => m.id === k.message_id).reach, 2);
    const plain = expectOk(await api(base, 'POST', '/api/v1/inst/messages', { token: X.admin.token,
      body: { audience: 'followers', title: '基金经理变更公告', body: '本基金基金经理自下周起变更。' } }),
    201).message;
    assert.equal(plain.reach, 3);
    expectOk(await optOut(people[2], false));
  });

test('a promotion is pinned in followers\' feeds; a segment one skips those who opted out',
  async () => {
    const feed = async (inv) => expectOk(await api(base, 'GET', '/api/v1/investor/feed',
      { token: inv.token }));
    const f = await readyInvestor(base, { answers: ANSWERS.C4 });
    const stranger = await investorSession(base);
    await api(base, 'POST', `/api/v1/investor/follows/${A.inst.id}`, { token: f.token });
    const pins = (await feed(f)).pinned;
    assert.ok(pins.some((p) => p.campaign_id === s.promotion.id && p.content_id === article.id));
    assert.deepEqual((await feed(stranger)).pinned, []);

    const forRisk = await approved(A.admin, promotionBody({ segment: 'risk',
      risk_classes: ['C4'] }));
    assert.ok((await feed(f)).pinned.some((p) => p.campaign_id === forRisk.id));
    expectOk(await optOut(f, true));
    const out = (await feed(f)).pinned;
    assert.ok(!out.some((p) => p.campaign_id === forRisk.id), 'a segment promotion is gone');
    assert.ok(out.some((p) => p.campaign_id === s.promotion.id), 'the open one stays');
    const c2 = await readyInvestor(base);
    await api(base, 'POST', `/api/v1/investor/follows/${A.inst.id}`, { token: c2.token });
    assert.ok(!(await feed(c2)).pinned.some((p) => p.campaign_id === forRisk.id));
  });
