// Campaigns after they are created: a draft or a rejected campaign edited (same body, same checks
// as creating it), a pending one withdrawn from review (its held message deleted, so that it no
// longer counts against the daily limit of messages), and an approved one stopped early with a
// reason (no order may name it any more, orders placed through it before keep their discount at
// confirmation within the budget, a promotion is no longer pinned, a sent message cannot be
// stopped). Every change of state is refused with 409 campaign_state where it is not allowed,
// another institution's campaign is 404, compliance officers may read but not act, and each
// change is in the audit chain.
//
// Business clock on Monday 2026-03-02 10:00 (UTC+8), moved to 2026-03-05 at the end. Institution
// A has products A1, A2 and a published article; B has B1; C only sends segment messages, for
// the daily limit. Every response must fit the OpenAPI document.

import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import {
  STAFF_PASSWORD, auditAfter, investorSession, login, operatorSession, register,
} from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import {
  CONFIRMED, World, api, checkContract, createProduct, expectLedgerOk, fmt,
  institutionWithStaff, mulDiv, publishNavOk, readyInvestor, subscribe, units,
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
const C = await institutionWithStaff(w.srv);
const reviewer = await operatorSession(w.srv, 'ops_reviewer');
const A1 = await createProduct(base, A.admin.token, { name: 'A1成长混合' });
const A2 = await createProduct(base, A.admin.token, { name: 'A2价值混合' });
const B1 = await createProduct(base, B.admin.token, { name: 'B1稳健混合' });
const article = expectOk(await api(base, 'POST', '/api/v1/inst/contents', {
  token: A.admin.token,
  body: { kind: 'article', title: '春季投资展望', body: '长期投资，理性看待波动。' },
}), 201);

// ---- requests ----

const discountBody = (products, extra = {}) => ({
  type: 'fee_discount', name: '春季申购费率优惠', text: '活动期内，指定产品申购费率再享5折。',
  start_date: '2026-03-02', end_date: '2026-03-31', budget: '1000.00', discount: '0.5',
  product_ids: products.map((p) => p.id), ...extra,
});
const promotionBody = (extra = {}) => ({
  type: 'content_promotion', name: '春季展望置顶', text: '置顶推荐本季度投资展望。',
  start_date: '2026-03-02', end_date: '2026-03-15', content_id: article.id, ...extra,
});
const messageBody = (extra = {}) => ({
  type: 'segment_message', name: '持有人沟通会', text: '本周五举办线上持有人沟通会，欢迎参加。',
  start_date: '2026-03-02', end_date: '2026-03-06', ...extra,
});

const path = (k, action = '') => `${CAMPAIGNS}/${k.id}${action ? `/${action}` : ''}`;
const edit = (who, k, body) => api(base, 'PUT', path(k), { token: who.token, body });
const withdraw = (who, k) => api(base, 'POST', path(k, 'withdraw'), { token: who.token });
const stop = (who, k, body = { reason: '产品调整，提前结束活动' }) =>
  api(base, 'POST', path(k, 'stop'), { token: who.token, body });

async function draft(who, body) {
  const k = expectOk(await api(base, 'POST', CAMPAIGNS, { token: who.token, body }), 201).campaign;
  assert.equal(k.status, 'draft');
  return k;
}

async function submit(who, k) {
  const out = expectOk(await api(base, 'POST', path(k, 'submit'), { token: who.token }))
    .campaign;
  assert.equal(out.status, 'pending');
  return out;
}

function decide(k, decision, reason = '符合营销规范') {
  return api(base, 'POST', `/api/v1/ops/campaigns/${k.id}/decision`,
    { token: reviewer.token, body: { decision, reason } });
}

async function approved(who, body, status = 'running') {
  const out = expectOk(await decide(await submit(who, await draft(who, body)), 'approve'))
    .campaign;
  assert.equal(out.status, status);
  return out;
}

async function rejected(who, body, reason = '宣传用语不够清楚') {
  const out = expectOk(await decide(await submit(who, await draft(who, body)), 'reject', reason))
    .campaign;
  assert.equal(out.status, 'rejected');
  return out;
}

async function get(who, k) {
  return expectOk(await api(base, 'GET', path(k), { token: who.token })).campaign;
}

/** 409 campaign_state naming the state that refused it; the campaign is left as it was. */
async function refusedInState(res, who, k, status) {
  const before = await get(who, k);
  const p = expectProblem(await res(), 409, 'campaign_state');
  assert.equal(p.campaign_status, status);
  assert.match(p.detail, new RegExp(status));
  assert.deepEqual(await get(who, k), before, 'nothing changed');
  return p;
}

async function queue() {
  return expectOk(await api(base, 'GET', '/api/v1/ops/review', { token: reviewer.token })).items
    .filter((e) => e.kind === 'campaign').map((e) => e.item.id);
}

async function auditOf(k) {
  return (await auditAfter(base, A.ops.token)).filter((e) => e.subject === `campaign:${k.id}`);
}

async function instMessages(who) {
  return expectOk(await api(base, 'GET', '/api/v1/inst/messages?limit=200',
    { token: who.token })).items;
}

function buy(inv, product, campaign, amount = '10000.00') {
  const extra = { ...CONFIRMED };
  if (campaign) extra.campaign_id = campaign.id;
  return subscribe(base, inv.token, product.id, amount, extra);
}

const s = {};

// ---- edit ----

test('a draft is edited with the same body as creating it, and answers as GET does', async () => {
  const d = await draft(A.operator, discountBody([A1]));
  const res = await edit(A.admin, d, discountBody([A1, A2], { name: '春季费率优惠（修订）',
    discount: '0.3', budget: '500.00', end_date: '2026-03-20', segment: 'risk',
    risk_classes: ['C3', 'C4'] }));
  const e = expectOk(res).campaign;
  assert.equal(e.id, d.id);
  assert.equal(e.status, 'draft');
  assert.equal(e.name, '春季费率优惠（修订）');
  assert.equal(e.discount, '0.300000');
  assert.equal(e.budget, '500.00');
  assert.equal(e.end_date, '2026-03-20');
  assert.deepEqual([...e.product_ids].sort(), [A1.id, A2.id].sort());
  assert.deepEqual(e.audience, { segment: 'risk', risk_classes: ['C3', 'C4'], product_id: null });
  assert.equal(e.created_by, A.operator.user.id, 'the author stays the author');
  assert.equal(e.created_ms, d.created_ms);
  assert.deepEqual(await get(A.compliance, d), e, 'the answer is the campaign as GET reads it');

  // Another type altogether, and back to fewer products: the old members are gone.
  const p = expectOk(await edit(A.operator, d, promotionBody())).campaign;
  assert.equal(p.type, 'content_promotion');
  assert.equal(p.discount, null);
  assert.equal(p.budget, '0.00');
  assert.equal(p.content_id, article.id);
  assert.deepEqual(p.product_ids, []);
  assert.deepEqual(p.audience, { segment: 'all', risk_classes: [], product_id: null });

  const steps = await auditOf(d);
  assert.deepEqual(steps.map((x) => x.action), ['campaign.create', 'campaign.edit',
    'campaign.edit']);
  assert.equal(steps[1].detail.from, 'draft');
  assert.equal(steps[1].actor_user_id, A.admin.user.id);
  assert.equal(steps[2].detail.type, 'content_promotion');
  s.draft = p;
});

test('an edit is checked as a creation is: bad bodies and forbidden wording change nothing',
  async () => {
    const d = s.draft;
    const before = await get(A.admin, d);
    const bad = [
      [{ ...discountBody([A1]), name: undefined }, 422, 'missing_field', 'name'],
      [discountBody([A1], { colour: 'red' }), 422, 'unknown_field', 'colour'],
      [discountBody([A1], { discount: '0' }), 422, 'invalid_field', 'discount'],
      [discountBody([A1], { budget: '-1' }), 422, 'invalid_field', 'budget'],
      [discountBody([B1]), 422, 'invalid_field', 'product_ids[0]'],
      [discountBody([A1, A1]), 422, 'invalid_field', 'product_ids[1]'],
      [discountBody([A1], { start_date: '2026-02-01', end_date: '2026-03-01' }), 422,
        'invalid_field', 'end_date'],
      [discountBody([A1], { end_date: '2027-03-03' }), 422, 'invalid_field', 'end_date'],
      [discountBody([A1], { segment: 'holders' }), 422, 'missing_field', 'segment_product_id'],
      [messageBody({ segment: 'holders', segment_product_id: B1.id }), 422, 'invalid_field',
        'segment_product_id'],
      [{ ...discountBody([A1]), type: 'banner' }, 422, 'invalid_field', 'type'],
      [discountBody([A1], { name: 42 }), 422, 'invalid_field', 'name'],
      [discountBody([A1], { name: 'x'.repeat(61) }), 422, 'invalid_field', 'name'],
    ];
    for (const [body, status, code, field] of bad) {
      expectProblem(await edit(A.admin, d, JSON.parse(JSON.stringify(body))), status, code, field);
    }
    // An edit that adds forbidden wording, or a forbidden type, is refused citing the rule.
    const cases = [
      [discountBody([A1], { text: '申购即可抽奖，费率5折。' }), 'no_lottery', 'text'],
      [discountBody([A1], { name: '春季申购送红 包' }), 'no_red_packet', 'name'],
      [discountBody([A1], { discount: '1.2' }), 'no_below_cost', 'discount'],
      [discountBody([A1], { segment: 'holders', segment_product_id: A2.id }), 'no_tying',
        'segment_product_id'],
      [{ ...discountBody([A1]), type: 'gift' }, 'no_gift', 'type'],
    ];
    for (const [body, rule, field] of cases) {
      const p = expectProblem(await edit(A.admin, d, body), 422, 'forbidden_campaign', field);
      assert.equal(p.rule, rule);
    }
    const blocked = expectProblem(await edit(A.admin, d, discountBody([A1],
      { text: '本产品稳赚不赔，费率5折。' })), 422, 'compliance_blocked');
    assert.ok(blocked.check.matches.some((m) => m.field === 'text' && m.text === '稳赚不赔'));
    // Not JSON, or not an object, or no body: 4xx problems, never a 500.
    expectProblem(await api(base, 'PUT', path(d), { token: A.admin.token, body: '{' }), 400,
      'bad_json');
    expectProblem(await api(base, 'PUT', path(d), { token: A.admin.token, body: '[]' }), [400, 422]);
    expectProblem(await api(base, 'PUT', path(d), { token: A.admin.token, body: '{}',
      contentType: 'text/plain' }), 415);
    expectProblem(await api(base, 'PUT', `${CAMPAIGNS}/abc`, { token: A.admin.token,
      body: discountBody([A1]) }), 400);
    assert.deepEqual(await get(A.admin, d), before, 'no refused edit changed anything');
    assert.equal((await auditOf(d)).length, 3, 'and none was audited');
  });

test('a rejected campaign edited becomes a draft again; its decision stays on record',
  async () => {
    const r = await rejected(A.admin, messageBody({ name: '三月沟通会' }), '时间地点不明确');
    assert.ok(r.message_id, 'a rejected segment message keeps its rejected message');
    const e = expectOk(await edit(A.operator, r, messageBody({ name: '三月沟通会（周五20点）',
      text: '本周五20:00举办线上持有人沟通会，欢迎参加。' }))).campaign;
    assert.equal(e.status, 'draft');
    assert.equal(e.reason, '时间地点不明确', 'the last decision is kept until the next one');
    assert.equal(e.decided_ms, r.decided_ms);
    assert.equal(e.message_id, null, 'a draft has no message');
    const steps = await auditOf(r);
    assert.deepEqual(steps.map((x) => x.action), ['campaign.create', 'campaign.submit',
      'campaign.decide', 'campaign.edit']);
    assert.equal(steps[2].detail.approve, false);
    assert.equal(steps[3].detail.from, 'rejected');

    // Submitted again: a new held message, the rejected one stays rejected.
    const again = await submit(A.admin, e);
    assert.ok(again.message_id && again.message_id !== r.message_id);
    const msgs = await instMessages(A.admin);
    assert.equal(msgs.find((m) => m.id === r.message_id).status, 'rejected');
    const held = msgs.find((m) => m.id === again.message_id);
    assert.equal(held.status, 'held');
    assert.equal(held.title, '三月沟通会（周五20点）');
    assert.ok((await queue()).includes(r.id));
    s.pendingMessage = again;
  });

test('only a draft or a rejected campaign can be edited', async () => {
  const pending = await submit(A.admin, await draft(A.admin, discountBody([A1])));
  const running = await approved(A.admin, discountBody([A1]));
  for (const [k, status] of [[pending, 'pending'], [running, 'running']]) {
    await refusedInState(() => edit(A.admin, k, discountBody([A2])), A.admin, k, status);
  }
  // The state is checked before the body: a bad body on a pending campaign is still 409.
  expectProblem(await edit(A.admin, pending, { type: 'lottery' }), 409, 'campaign_state');
  s.pending = pending;
  s.running = running;
});

test('another institution\'s campaign is 404 to edit, withdraw and stop; its data never shows',
  async () => {
    const targets = [s.draft, s.pending, s.running];
    for (const k of targets) {
      const before = await get(A.admin, k);
      for (const res of [await edit(B.admin, k, discountBody([B1])), await withdraw(B.admin, k),
        await stop(B.admin, k)]) {
        const p = expectProblem(res, 404, 'not_found');
        assert.ok(!res.text.includes(before.name), 'the problem names nothing of the campaign');
        assert.equal(p.campaign_status, undefined);
      }
      assert.deepEqual(await get(A.admin, k), before);
    }
    expectProblem(await edit(A.admin, { id: '1234567890123' }, discountBody([A1])), 404);
    expectProblem(await withdraw(A.admin, { id: '1234567890123' }), 404);
    expectProblem(await stop(A.admin, { id: '1234567890123' }), 404);
  });

test('compliance officers read campaigns but cannot edit, withdraw or stop them', async () => {
  const inv = await investorSession(base);
  for (const who of [A.compliance, inv]) {
    expectProblem(await edit(who, s.draft, discountBody([A1])), 403, 'forbidden');
    expectProblem(await withdraw(who, s.pending), 403, 'forbidden');
    expectProblem(await stop(who, s.running), 403, 'forbidden');
  }
  expectProblem(await stop(reviewer, s.running), 403, 'forbidden');
  assert.equal((await get(A.compliance, s.pending)).status, 'pending');
  assert.equal((await get(A.compliance, s.running)).status, 'running');
});

// ---- withdraw ----

test('a pending campaign is withdrawn to a draft and leaves the review queue', async () => {
  const k = s.pending;
  assert.ok((await queue()).includes(k.id));
  const out = expectOk(await withdraw(A.operator, k)).campaign;
  assert.equal(out.status, 'draft');
  assert.equal(out.submitted_ms, k.submitted_ms, 'the latest submission stays on record');
  assert.deepEqual(await get(A.admin, k), out);
  assert.ok(!(await queue()).includes(k.id), 'out of the review queue');
  // The reviewer can no longer decide it; it can be edited and submitted again.
  expectProblem(await decide(k, 'approve'), 404);
  await refusedInState(() => withdraw(A.admin, k), A.admin, k, 'draft');
  expectOk(await edit(A.admin, k, discountBody([A2])));
  await submit(A.admin, k);
  assert.ok((await queue()).includes(k.id));
  const steps = (await auditOf(k)).map((x) => x.action);
  assert.deepEqual(steps, ['campaign.create', 'campaign.submit', 'campaign.withdraw',
    'campaign.edit', 'campaign.submit']);
});

test('only a pending campaign can be withdrawn; a decision first wins', async () => {
  const r = await rejected(A.admin, discountBody([A1]));
  for (const [k, status] of [[s.draft, 'draft'], [s.running, 'running'], [r, 'rejected']]) {
    await refusedInState(() => withdraw(A.admin, k), A.admin, k, status);
  }
  // Approved while staff were about to withdraw it: the withdrawal finds it approved.
  const k = await submit(A.admin, await draft(A.admin, discountBody([A1])));
  expectOk(await decide(k, 'approve'));
  await refusedInState(() => withdraw(A.admin, k), A.admin, k, 'running');
});

test('withdrawing a segment message deletes its held message, which stops counting against '
  + 'the daily limit', async () => {
  const sendPlain = (title) => api(base, 'POST', '/api/v1/inst/messages', { token: C.admin.token,
    body: { audience: 'followers', title, body: '本周市场回顾。' } });
  const ks = [];
  for (const name of ['C沟通会一', 'C沟通会二', 'C沟通会三']) {
    ks.push(await submit(C.admin, await draft(C.admin, messageBody({ name }))));
  }
  // Three held: the institution's limit of 3 a day is reached.
  expectProblem(await sendPlain('C周报'), 429, 'limit_exceeded');
  const fourth = await draft(C.admin, messageBody({ name: 'C沟通会四' }));
  expectProblem(await api(base, 'POST', path(fourth, 'submit'), { token: C.admin.token }), 429,
    'limit_exceeded');

  const k = ks[1];
  const out = expectOk(await withdraw(C.operator, k)).campaign;
  assert.equal(out.status, 'draft');
  assert.equal(out.message_id, null);
  const msgs = await instMessages(C.admin);
  assert.ok(!msgs.some((m) => m.id === k.message_id), 'the held message is gone');
  assert.equal(msgs.filter((m) => m.status === 'held').length, 2);
  const entry = (await auditAfter(base, C.ops.token)).find((e) => e.subject === `campaign:${k.id}`
    && e.action === 'campaign.withdraw');
  assert.equal(entry.detail.message_id, k.message_id, 'the audit names the message deleted');

  // One slot is free again: exactly one more message fits today.
  const sent = expectOk(await sendPlain('C周报'), 201).message;
  assert.equal(sent.status, 'delivered');
  expectProblem(await api(base, 'POST', path(k, 'submit'), { token: C.admin.token }), 429,
    'limit_exceeded');
  assert.equal((await get(C.admin, k)).status, 'draft');
  // Approving one of the other two still sends it: withdrawing touched only its own message.
  const sentK = expectOk(await decide(ks[0], 'approve')).campaign;
  assert.equal(sentK.message_id, ks[0].message_id);
  const delivered = (await instMessages(C.admin)).find((m) => m.id === ks[0].message_id);
  assert.equal(delivered.status, 'delivered');
  s.sentMessage = sentK;
});

// ---- stop ----

test('the stop reason is required, 1 to 200 characters that show something', async () => {
  const k = await approved(A.admin, promotionBody({ name: '置顶（停止理由）' }));
  const bad = [
    [{}, 'missing_field', 'reason'],
    [{ reason: '' }, 'invalid_field', 'reason'],
    [{ reason: '   ' }, 'invalid_field', 'reason'],
    [{ reason: '\u200b' }, 'invalid_field', 'reason'],
    [{ reason: 'x'.repeat(201) }, 'invalid_field', 'reason'],
    [{ reason: 12 }, 'invalid_field', 'reason'],
    [{ reason: '改期', why: 'x' }, 'unknown_field', 'why'],
  ];
  for (const [body, code, field] of bad) expectProblem(await stop(A.admin, k, body), 422, code, field);
  expectProblem(await api(base, 'POST', path(k, 'stop'), { token: A.admin.token }), [415, 422]);
  expectProblem(await api(base, 'POST', path(k, 'stop'), { token: A.admin.token, body: '{' }),
    400, 'bad_json');
  assert.equal((await get(A.admin, k)).status, 'running', 'nothing was stopped');
  const reason = '停'.repeat(200);
  const out = expectOk(await stop(A.admin, k, { reason })).campaign;
  assert.equal(out.stop_reason, reason, '200 characters fit');
  s.stoppedPromotion = out;
});

test('a promotion stopped is no longer pinned; stopped shows with its reason, time and author',
  async () => {
    const f = await investorSession(base);
    await api(base, 'POST', `/api/v1/investor/follows/${A.inst.id}`, { token: f.token });
    const pinned = async () => expectOk(await api(base, 'GET', '/api/v1/investor/feed',
      { token: f.token })).pinned.map((p) => p.campaign_id);
    const k = await approved(A.admin, promotionBody({ name: '置顶（将停止）' }));
    assert.ok((await pinned()).includes(k.id));
    const out = expectOk(await stop(A.operator, k, { reason: '内容已过时' })).campaign;
    assert.equal(out.status, 'stopped');
    assert.equal(out.stop_reason, '内容已过时');
    assert.equal(out.stopped_by, A.operator.user.id);
    assert.equal(typeof out.stopped_ms, 'number');
    assert.ok(out.stopped_ms >= out.decided_ms);
    assert.ok(!(await pinned()).includes(k.id), 'no longer pinned');
    const listed = expectOk(await api(base, 'GET', `${CAMPAIGNS}?limit=200`,
      { token: A.compliance.token })).items.find((x) => x.id === k.id);
    assert.deepEqual(listed, out);
    await refusedInState(() => stop(A.admin, k), A.admin, k, 'stopped');
    await refusedInState(() => edit(A.admin, k, promotionBody()), A.admin, k, 'stopped');
    const steps = await auditOf(k);
    assert.deepEqual(steps.map((x) => x.action), ['campaign.create', 'campaign.submit',
      'campaign.decide', 'campaign.stop']);
    assert.deepEqual(steps[3].detail, { reason: '内容已过时', from: 'running' });
    assert.equal(steps[3].actor_user_id, A.operator.user.id);
  });

test('only an approved campaign can be stopped, and never a segment message once sent',
  async () => {
    const r = await rejected(A.admin, discountBody([A1]));
    const pending = await submit(A.admin, await draft(A.admin, discountBody([A1])));
    for (const [k, status] of [[s.draft, 'draft'], [pending, 'pending'], [r, 'rejected']]) {
      await refusedInState(() => stop(A.admin, k), A.admin, k, status);
    }
    const m = s.sentMessage;
    const p = await refusedInState(() => stop(C.admin, m), C.admin, m, 'running');
    assert.match(p.detail, /segment message/);
    assert.equal((await instMessages(C.admin)).find((x) => x.id === m.message_id).status,
      'delivered', 'what was sent stays sent');
    // Before its period it may be stopped: it never runs.
    const future = await approved(A.admin, discountBody([A1], { start_date: '2026-03-09' }),
      'approved');
    const out = expectOk(await stop(A.admin, future)).campaign;
    assert.equal(out.status, 'stopped');
    s.stoppedFuture = out;
    s.endsSoon = await approved(A.admin, discountBody([A1], { end_date: '2026-03-03' }));
    const short = await approved(A.admin, promotionBody({ name: '短期置顶', end_date: '2026-03-03' }));
    s.stoppedShort = expectOk(await stop(A.admin, short)).campaign;
  });

// Worked by hand, as in campaigns.test.mjs: 10,000.00 of A1 (list rate 0.8%, the platform's 1折
// = 800 ppm) costs 7.99 without the campaign and 4.00 with all of its 50% (400 ppm), so the
// campaign takes 3.99 off an order. A budget of 5.00 covers the first order's 3.99 and 1.01 of
// the second's. Both are placed before the stop; the third investor's order through it, after
// the stop, is refused, and placed without it pays the full 7.99.
test('after a stop no order may name the campaign; orders placed before keep their discount '
  + 'at confirmation, within the budget', async () => {
  const k = await approved(A.admin, discountBody([A1], { budget: '5.00' }));
  const [x, y, z] = [await readyInvestor(base, { cashAmount: '20000' }),
    await readyInvestor(base, { cashAmount: '20000' }),
    await readyInvestor(base, { cashAmount: '20000' })];
  const before = [expectOk(await buy(x, A1, k), 201).order, expectOk(await buy(y, A1, k), 201)
    .order].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  for (const o of before) assert.equal(o.campaign_id, k.id);

  const out = expectOk(await stop(A.admin, k, { reason: '预算调整' })).campaign;
  assert.equal(out.status, 'stopped');
  for (const inv of [z, x]) {
    const p = expectProblem(await buy(inv, A1, k), 422, 'campaign_not_applicable', 'campaign_id');
    assert.equal(p.reason, 'stopped');
  }
  for (const old of [s.stoppedFuture, s.stoppedPromotion]) {
    const p = expectProblem(await buy(z, A1, old), 422, 'campaign_not_applicable');
    assert.equal(p.reason, 'stopped', 'a stopped campaign is refused whatever the clock says');
  }
  const plain = expectOk(await buy(z, A1, null), 201).order;
  assert.equal(plain.campaign_id, null);

  await publishNavOk(base, A.admin.token, A1.id, '2026-03-02', NAV);
  await publishNavOk(base, A.admin.token, A2.id, '2026-03-02', NAV);
  await publishNavOk(base, B.admin.token, B1.id, '2026-03-02', NAV);
  const rep = await w.confirm('2026-03-02');
  assert.equal(rep.failed, 0);

  const order = async (inv, id) => expectOk(await api(base, 'GET', `/api/v1/investor/orders/${id}`,
    { token: inv.token })).order;
  const owner = new Map([[before[0].id, null], [before[1].id, null]]);
  for (const inv of [x, y]) {
    const items = expectOk(await api(base, 'GET', '/api/v1/investor/orders?limit=10',
      { token: inv.token })).items;
    for (const o of items) if (owner.has(o.id)) owner.set(o.id, inv);
  }
  const want = (discountFen) => {
    const fee = 799n - discountFen;
    const net = 1000000n - fee;
    return { status: 'confirmed', fee: fmt(fee, 2), discount: fmt(discountFen, 2),
      confirmed_shares: fmt(mulDiv(net, 10000n, units(NAV, 4)), 2) };
  };
  const got = [];
  for (const o of before) {
    const c = await order(owner.get(o.id), o.id);
    got.push({ status: c.status, fee: c.fee, discount: c.discount,
      confirmed_shares: c.confirmed_shares });
  }
  assert.deepEqual(got, [want(399n), want(101n)]);
  assert.deepEqual(got[0], { status: 'confirmed', fee: '4.00', discount: '3.99',
    confirmed_shares: '8097.21' });
  const full = await order(z, plain.id);
  assert.equal(full.fee, '7.99');
  assert.equal(full.discount, null);

  const after = await get(A.admin, k);
  assert.equal(after.status, 'stopped', 'stopped, though its budget is spent too');
  assert.equal(after.spent, '5.00');
  assert.equal(after.budget_left, '0.00');
  const r = expectOk(await api(base, 'GET', path(k, 'report'), { token: A.compliance.token }))
    .report;
  assert.equal(r.orders.confirmed, 2);
  assert.equal(r.discount_given, '5.00');
  assert.equal((await w.confirm('2026-03-02')).processed, 0);
  assert.equal((await get(A.admin, k)).spent, '5.00', 'a rerun spends nothing more');
  await expectLedgerOk(w.db);
});

test('withdrawing and submitting again is one submission to the fair rule\'s compliance record',
  async () => {
    // D's only texts: one campaign, submitted and withdrawn five times, then rejected.
    const D = await institutionWithStaff(w.srv);
    const D1 = await createProduct(base, D.admin.token, { name: 'D1均衡混合' });
    const k = await draft(D.admin, discountBody([D1]));
    for (let i = 0; i < 5; i++) {
      await submit(D.admin, k);
      expectOk(await withdraw(D.admin, k));
    }
    expectOk(await decide(await submit(D.admin, k), 'reject', '优惠说明不完整'));
    await w.cliOk(['batch', 'rollup', '--date', '2026-03-02'], '2026-03-03', '01:00:00');
    const d = expectOk(await api(base, 'GET', '/api/v1/inst/dashboard?from=2026-03-02&to=2026-03-02',
      { token: D.admin.token }));
    const m = d.metrics.find((x) => x.metric === 'compliance_record');
    // Counted by decision, it would read 5 of 6 submissions clean; it is 0 of 1.
    assert.deepEqual([m.numerator, m.denominator, m.value], [0, 1, 0]);
  });

test('a segment message approved before its first day waits for it; stopped, it never goes',
  async () => {
    const E = await institutionWithStaff(w.srv);
    const fr = await register(base);
    const F = { ...fr, ...(await login(base, fr.mobile, fr.password)) };
    expectOk(await api(base, 'POST', `/api/v1/investor/follows/${E.inst.id}`, { token: F.token }));
    const later = { start_date: '2026-03-04', end_date: '2026-03-06' };
    const m1 = await approved(E.admin, messageBody({ name: '周四线上说明会', ...later }), 'approved');
    const held = (await instMessages(E.admin)).find((m) => m.id === m1.message_id);
    assert.equal(held.status, 'held', 'scheduled: not delivered before its first day');
    assert.equal(m1.message_sent_ms, null);
    const inbox = expectOk(await api(base, 'GET', '/api/v1/investor/messages', { token: F.token }));
    assert.ok(!inbox.items.some((m) => m.id === m1.message_id));
    // Not delivered yet, so it may still be stopped; its message goes with the stop.
    const m2 = await approved(E.admin, messageBody({ name: '周四第二场说明会', ...later }),
      'approved');
    const stopped = expectOk(await stop(E.admin, m2)).campaign;
    assert.equal(stopped.status, 'stopped');
    assert.ok(m2.message_id);
    assert.ok(!(await instMessages(E.admin)).some((m) => m.id === m2.message_id));
    // One still pending when its period ends: too late to approve then (see below).
    const m3 = await submit(E.admin, await draft(E.admin, messageBody({ name: '本周说明会',
      start_date: '2026-03-02', end_date: '2026-03-04' })));
    s.scheduled = { E, F, m1, m2, m3 };
  });

test('days later: stopped stays stopped, and an ended campaign can no longer be stopped',
  async () => {
    await w.at('2026-03-05');
    base = w.base;
    A.admin.token = (await login(base, A.admin.login, STAFF_PASSWORD)).token;
    const future = await get(A.admin, s.stoppedFuture);
    assert.equal(future.status, 'stopped', 'stopped before its period: never runs');
    assert.equal((await get(A.admin, s.endsSoon)).status, 'ended');
    await refusedInState(() => stop(A.admin, s.endsSoon), A.admin, s.endsSoon, 'ended');
    // Ended is read from the clock; a stopped campaign past its period still reads stopped.
    assert.equal((await get(A.admin, s.stoppedShort)).status, 'stopped');
    assert.equal((await get(A.admin, s.stoppedPromotion)).status, 'stopped');
  });

test('on its first day the scheduler delivers the waiting message, once; a stopped one never',
  async () => {
    const { E, F, m1, m2, m3 } = s.scheduled;
    await w.at('2026-03-05', '10:00:00', { CAIFUHAO_SCHEDULER_INTERVAL_S: '1' });
    base = w.base;
    E.admin.token = (await login(base, E.admin.login, STAFF_PASSWORD)).token;
    const token = (await login(base, F.mobile, F.password)).token;
    let got = null;
    for (let i = 0; i < 100 && !got; i++) {
      const inbox = expectOk(await api(base, 'GET', '/api/v1/investor/messages', { token }));
      got = inbox.items.find((m) => m.id === m1.message_id);
      if (!got) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(got, 'delivered by the scheduler');
    const all = await instMessages(E.admin);
    const mine = all.filter((m) => m.id === m1.message_id);
    assert.deepEqual(mine.map((m) => m.status), ['delivered']);
    assert.ok(mine[0].sent_ms >= Date.parse('2026-03-04T00:00:00+08:00'));
    assert.equal((await get(E.admin, m1)).message_sent_ms, mine[0].sent_ms);
    assert.ok(!all.some((m) => m.id === m2.message_id), 'the stopped one never went');
    // A delivered message cannot be stopped.
    expectProblem(await stop(E.admin, m1), 409, 'campaign_state');
    // Approving one whose period is over is refused; it can still be rejected.
    const ops = await operatorSession(w.srv, 'ops_reviewer');
    const late = await api(base, 'POST', `/api/v1/ops/campaigns/${m3.id}/decision`,
      { token: ops.token, body: { decision: 'approve', reason: '符合营销规范' } });
    assert.match(expectProblem(late, 409, 'conflict').detail, /over/);
    expectOk(await api(base, 'POST', `/api/v1/ops/campaigns/${m3.id}/decision`,
      { token: ops.token, body: { decision: 'reject', reason: '活动期已过' } }));
  });
