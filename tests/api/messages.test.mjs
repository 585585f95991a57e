// Messages from an institution to investors: checked like content, limited per day, stored
// once and resolved when an investor reads; mutes; the inbox with its read marks.
//
// Business clock on Monday 2026-03-02 10:00 (UTC+8), then Tuesday 2026-03-03. Institution A
// has two products; B one; R sends messages that wait for review; S is suspended later.
// Investors, each with one relation to A (or none):
//   F   follows A                       H1  holds A's product 1 (does not follow A)
//   H2  holds A's product 2             HB  follows B and holds B's product
//   M   follows A and muted it          LATE follows A after A's first messages
//   X   nothing at all
// Every response must fit the OpenAPI document.

import assert from 'node:assert/strict';
import { after, afterEach, describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import {
  STAFF_PASSWORD, investorSession, login, operatorSession, setStatus,
} from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import {
  ANSWERS, World, api, checkContract, createProduct, cstMs, institutionWithStaff,
  publishNavOk, readyInvestor, redeem, subscribe,
} from './lib/trading.mjs';

const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

await w.at('2026-03-02');
let base = w.base;
checkContract(await loadOpenApi(base));

const SEND = '/api/v1/inst/messages';
const INBOX = '/api/v1/investor/messages';
const REVIEW = '/api/v1/ops/review';
const LIMIT = 3;
const decisionPath = (id) => `/api/v1/ops/messages/${id}/decision`;
const readPath = (id) => `${INBOX}/${id}/read`;
const mutePath = (inst) => `/api/v1/investor/mutes/${inst.inst.id}`;
const followPath = (inst) => `/api/v1/investor/follows/${inst.inst.id}`;

const A = await institutionWithStaff(w.srv);
const B = await institutionWithStaff(w.srv);
const R = await institutionWithStaff(w.srv);
const S = await institutionWithStaff(w.srv);
const reviewer = await operatorSession(w.srv, 'ops_reviewer');

// What the stories leave for later ones.
const s = { inv: {}, msg: {} };

// ---- requests ----

function send(token, body) {
  return api(base, 'POST', SEND, { token, body });
}

async function sendOk(who, body, status = 'delivered') {
  const m = expectOk(await send(who.token, body), 201).message;
  assert.equal(m.status, status);
  assert.equal(m.title, body.title);
  assert.equal(m.body, body.body);
  assert.equal(m.audience, body.audience);
  assert.equal(m.product_id, body.product_id ?? null);
  assert.equal(m.created_by, who.user.id);
  assert.equal(m.sent_ms === null, status !== 'delivered');
  return m;
}

const followers = (title, body = `${title}：本周净值已更新，详见产品页。`) =>
  ({ audience: 'followers', title, body });
const holders = (title, product, body = `${title}：持有人专属说明。`) =>
  (product ? { audience: 'holders', product_id: product.id, title, body }
    : { audience: 'holders', title, body });

/** The whole inbox of an investor, page by page: {ids, items, unread}. */
async function inbox(who, limit = 200) {
  const items = [];
  let cursor = null;
  let unread = null;
  for (let page = 0; page < 100; page++) {
    const q = cursor ? `?limit=${limit}&cursor=${cursor}` : `?limit=${limit}`;
    const json = expectOk(await api(base, 'GET', INBOX + q, { token: who.token }));
    assert.ok(json.items.length <= limit);
    items.push(...json.items);
    unread ??= json.unread;
    cursor = json.next_cursor;
    if (cursor === null) break;
  }
  const ids = items.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, `duplicates in ${JSON.stringify(ids)}`);
  return { ids, items, unread };
}

async function unreadOf(who) {
  return expectOk(await api(base, 'GET', `${INBOX}/unread`, { token: who.token })).unread;
}

async function expectInbox(who, messages, msg) {
  const box = await inbox(who);
  assert.deepEqual(box.ids, messages.map((m) => m.id), msg);
  return box;
}

function decide(token, id, decision, reason) {
  return api(base, 'POST', decisionPath(id), { token, body: { decision, reason } });
}

async function ownList(who) {
  return expectOk(await api(base, 'GET', `${SEND}?limit=200`, { token: who.token })).items;
}

async function reviewMessages() {
  const items = expectOk(await api(base, 'GET', REVIEW, { token: reviewer.token })).items;
  return items.filter((e) => e.kind === 'message').map((e) => e.item);
}

// ---- setup ----

test('setup: investors follow, hold and mute as the header says', async () => {
  s.pA1 = await createProduct(base, A.admin.token, { name: 'A成长混合' });
  s.pA2 = await createProduct(base, A.admin.token, { name: 'A稳健债券' });
  s.pB = await createProduct(base, B.admin.token, { name: 'B价值精选' });
  for (const [staff, p] of [[A, s.pA1], [A, s.pA2], [B, s.pB]]) {
    await publishNavOk(base, staff.admin.token, p.id, '2026-02-27', '1.0000');
  }
  const investor = () => readyInvestor(base, { answers: ANSWERS.C4, cashAmount: '10000' });
  for (const name of ['F', 'H1', 'H2', 'HB', 'M', 'LATE', 'X']) s.inv[name] = await investor();
  const { F, H1, H2, HB, M } = s.inv;
  for (const [who, p] of [[H1, s.pA1], [H2, s.pA2], [HB, s.pB]]) {
    expectOk(await subscribe(base, who.token, p.id, '1000.00'), 201);
  }
  for (const [staff, p] of [[A, s.pA1], [A, s.pA2], [B, s.pB]]) {
    await publishNavOk(base, staff.admin.token, p.id, '2026-03-02', '1.0100');
  }
  assert.equal((await w.confirm('2026-03-02')).processed, 3);
  for (const [who, inst] of [[F, A], [M, A], [HB, B]]) {
    expectOk(await api(base, 'POST', followPath(inst), { token: who.token }));
  }
  const muted = expectOk(await api(base, 'POST', mutePath(A), { token: M.token }));
  assert.deepEqual(muted, { institution_id: A.inst.id, muted: true });
  for (const who of Object.values(s.inv)) {
    assert.deepEqual(await inbox(who), { ids: [], items: [], unread: 0 });
  }
});

// ---- audience ----

suite('audience', () => {
  test('followers: only followers who have not muted the zone see it', async () => {
    const { F, H1, H2, HB, M, X } = s.inv;
    const m = await sendOk(A.admin, followers('A周报'));
    assert.equal(m.reach, 1, 'F; M muted the zone'); // counted at the send
    s.msg.followers = m;
    const box = await expectInbox(F, [m]);
    assert.deepEqual(box.items[0], {
      id: m.id, institution_id: A.inst.id, institution_name: A.inst.name, title: m.title,
      body: m.body, sent_ms: m.sent_ms, audience: 'followers', product_id: null, read: false,
    });
    assert.equal(box.unread, 1);
    for (const who of [H1, H2, HB, M, X]) await expectInbox(who, [], 'not a follower of A');
    assert.equal(await unreadOf(M), 0, 'a muted zone counts nothing');
  });

  test('holders of one product: only its holders, following or not', async () => {
    const { F, H1, H2, HB, M, X } = s.inv;
    const m = await sendOk(A.operator, holders('A成长持有人通知', s.pA1));
    assert.equal(m.reach, 1);
    s.msg.holders1 = m;
    await expectInbox(H1, [m]);
    for (const who of [H2, HB, M, X]) await expectInbox(who, []);
    await expectInbox(F, [s.msg.followers], 'F holds nothing');
  });

  test('holders of all products: holders of any of them, newest first', async () => {
    const { F, H1, H2, HB, X } = s.inv;
    const m = await sendOk(A.admin, holders('A全体持有人通知'));
    assert.equal(m.reach, 2);
    s.msg.holdersAll = m;
    await expectInbox(H1, [m, s.msg.holders1]);
    await expectInbox(H2, [m]);
    await expectInbox(F, [s.msg.followers]);
    await expectInbox(HB, [], 'B\'s product is not A\'s');
    await expectInbox(X, []);
    assert.ok(m.sent_ms > s.msg.holders1.sent_ms && s.msg.holders1.sent_ms >
      s.msg.followers.sent_ms, 'delivery times increase');
  });

  test('the 4th message of the day is refused with 429 until midnight UTC+8', async () => {
    const before = (await ownList(A.admin)).length;
    for (const [who, body] of [[A.admin, followers('第四条')], [A.operator, holders('第四条')]]) {
      const res = await send(who.token, body);
      const p = expectProblem(res, 429, 'limit_exceeded');
      assert.equal(p.limit, LIMIT);
      assert.equal(p.resets_ms, cstMs('2026-03-03', '00:00:00'));
      assert.match(p.detail, /3 messages a day/);
      assert.match(p.detail, /2026-03-03T00:00:00\.000\+08:00/);
      // The business clock started at 10:00: a little under 14 hours are left.
      const retry = Number(res.headers.get('retry-after'));
      assert.ok(retry > 13 * 3600 && retry <= 14 * 3600, `Retry-After ${retry}`);
    }
    assert.equal((await ownList(A.admin)).length, before, 'nothing stored');
    // Another institution has its own count.
    const b = await sendOk(B.admin, followers('B周报'));
    s.msg.b = b;
    await expectInbox(s.inv.HB, [b]);
    await expectInbox(s.inv.F, [s.msg.followers], 'F does not follow B');
  });

  test('a later follower does not get earlier messages', async () => {
    const { LATE } = s.inv;
    expectOk(await api(base, 'POST', followPath(A), { token: LATE.token }));
    await expectInbox(LATE, []);
    assert.equal(await unreadOf(LATE), 0);
  });

  test('muting hides a zone\'s messages, of every audience; unmuting shows them again', async () => {
    const { F, H1, M } = s.inv;
    for (const who of [F, H1]) {
      expectOk(await api(base, 'POST', mutePath(A), { token: who.token }));
      await expectInbox(who, []);
      assert.equal(await unreadOf(who), 0);
      // Muting twice changes nothing; following is unaffected.
      expectOk(await api(base, 'POST', mutePath(A), { token: who.token }));
    }
    const follows = expectOk(await api(base, 'GET', '/api/v1/investor/follows',
      { token: F.token })).items;
    assert.ok(follows.some((f) => f.institution_id === A.inst.id), 'muting unfollowed');
    const mutes = expectOk(await api(base, 'GET', '/api/v1/investor/mutes',
      { token: F.token })).items;
    assert.deepEqual(mutes.map((m) => [m.institution_id, m.name]), [[A.inst.id, A.inst.name]]);
    for (const who of [F, H1, M]) {
      const res = await api(base, 'DELETE', mutePath(A), { token: who.token });
      assert.deepEqual(expectOk(res), { institution_id: A.inst.id, muted: false });
    }
    await expectInbox(F, [s.msg.followers]);
    await expectInbox(H1, [s.msg.holdersAll, s.msg.holders1]);
    // M followed before the message: unmuted, it sees it (and it is unread).
    const box = await expectInbox(M, [s.msg.followers]);
    assert.equal(box.unread, 1);
    expectOk(await api(base, 'POST', mutePath(A), { token: M.token }));
    // Muting a zone one does not follow is fine; an unknown zone is not.
    expectOk(await api(base, 'POST', mutePath(B), { token: s.inv.X.token }));
    expectProblem(await api(base, 'POST', '/api/v1/investor/mutes/1234567890123',
      { token: F.token }), 404, 'not_found');
    expectProblem(await api(base, 'DELETE', '/api/v1/investor/mutes/1234567890123',
      { token: F.token }), 404, 'not_found');
  });
});

// ---- reading ----

suite('read marks', () => {
  test('marking one read; again changes nothing; others\' messages are not found', async () => {
    const { F, H1, H2, X } = s.inv;
    assert.equal(await unreadOf(H1), 2);
    const res = await api(base, 'POST', readPath(s.msg.holders1.id), { token: H1.token });
    assert.deepEqual(expectOk(res), { id: s.msg.holders1.id, read: true });
    expectOk(await api(base, 'POST', readPath(s.msg.holders1.id), { token: H1.token }));
    const box = await inbox(H1);
    assert.deepEqual(box.items.map((m) => m.read), [false, true]);
    assert.equal(box.unread, 1);
    assert.equal(await unreadOf(H2), 1, 'H1\'s mark is H1\'s alone');
    // A message meant for others is not found, whoever asks.
    for (const [who, m] of [[F, s.msg.holders1], [H2, s.msg.holders1], [X, s.msg.followers],
      [s.inv.M, s.msg.followers], [F, s.msg.b], [s.inv.LATE, s.msg.followers]]) {
      expectProblem(await api(base, 'POST', readPath(m.id), { token: who.token }), 404,
        'not_found');
    }
    expectProblem(await api(base, 'POST', readPath('1234567890123'), { token: F.token }), 404);
    const bad = await api(base, 'POST', readPath('abc'), { token: F.token });
    expectProblem(bad, 400, 'bad_request');
    assert.equal(await unreadOf(F), 1, 'nothing marked by the refusals');
  });

  test('mark all read: later deliveries stay unread', async () => {
    const { HB } = s.inv;
    assert.equal(await unreadOf(HB), 1);
    assert.deepEqual(expectOk(await api(base, 'POST', `${INBOX}/read-all`,
      { token: HB.token })), { unread: 0 });
    assert.equal(await unreadOf(HB), 0);
    assert.deepEqual((await inbox(HB)).items.map((m) => m.read), [true]);
    const later = await sendOk(B.operator, holders('B持有人通知', s.pB));
    const box = await expectInbox(HB, [later, s.msg.b]);
    assert.deepEqual(box.items.map((m) => m.read), [false, true]);
    assert.equal(box.unread, 1);
    s.msg.bLater = later;
  });

  test('pages: limit and cursor walk the inbox without repeats or gaps', async () => {
    const { HB } = s.inv;
    const all = await inbox(HB);
    const paged = await inbox(HB, 1);
    assert.deepEqual(paged.ids, all.ids);
    const first = expectOk(await api(base, 'GET', `${INBOX}?limit=1`, { token: HB.token }));
    assert.equal(typeof first.next_cursor, 'string');
    for (const q of ['?limit=0', '?limit=201', '?limit=x', '?cursor=abc',
      `?cursor=${'0'.repeat(32)}`, `?cursor=${first.next_cursor.toUpperCase()}`]) {
      const res = await api(base, 'GET', INBOX + q, { token: HB.token });
      expectProblem(res, 400, 'bad_request');
    }
  });
});

// ---- review ----

suite('review', () => {
  test('a held message reaches nobody until approved, then is delivered at approval', async () => {
    const fan = await readyInvestor(base, { answers: ANSWERS.C4 });
    expectOk(await api(base, 'POST', followPath(R), { token: fan.token }));
    const m = await sendOk(R.admin, followers('R：最好的时机', '关注长期。'), 'held');
    assert.equal(m.check.verdict, 'review');
    assert.ok(m.check.matches.some((x) => x.field === 'title' && x.term === '最好'));
    assert.equal(m.reach, 1);
    await expectInbox(fan, []);
    assert.equal(await unreadOf(fan), 0);
    expectProblem(await api(base, 'POST', readPath(m.id), { token: fan.token }), 404);
    const queued = (await reviewMessages()).find((x) => x.id === m.id);
    assert.deepEqual({ ...queued, institution_name: undefined },
      { ...m, institution_name: undefined });
    assert.equal(queued.institution_name, R.inst.name);
    // Someone who follows after the send but before the approval gets it: it is delivered
    // when approved.
    const newcomer = await readyInvestor(base, { answers: ANSWERS.C4 });
    expectOk(await api(base, 'POST', followPath(R), { token: newcomer.token }));
    const d = expectOk(await decide(reviewer.token, m.id, 'approve', '表述可以'));
    assert.deepEqual(d, { id: m.id, status: 'delivered' });
    const [shown] = (await expectInbox(fan, [m])).items;
    assert.ok(shown.sent_ms > m.created_ms);
    await expectInbox(newcomer, [m]);
    assert.ok(!(await reviewMessages()).some((x) => x.id === m.id), 'still in the queue');
    const mine = (await ownList(R.admin)).find((x) => x.id === m.id);
    assert.equal(mine.status, 'delivered');
    assert.equal(mine.reason, '表述可以');
    assert.equal(mine.sent_ms, shown.sent_ms);
    expectProblem(await decide(reviewer.token, m.id, 'reject', '再次'), 404, 'not_found');
    s.fan = fan;
    s.msg.approved = m;
  });

  test('a rejected message is never delivered', async () => {
    const m = await sendOk(R.operator, followers('R：唯一推荐', '请关注。'), 'held');
    expectOk(await decide(reviewer.token, m.id, 'reject', '绝对化用语'));
    await expectInbox(s.fan, [s.msg.approved]);
    expectProblem(await api(base, 'POST', readPath(m.id), { token: s.fan.token }), 404);
    const mine = (await ownList(R.admin)).find((x) => x.id === m.id);
    assert.equal(mine.status, 'rejected');
    assert.equal(mine.sent_ms, null);
    expectProblem(await decide(reviewer.token, m.id, 'approve', '改主意'), 404, 'not_found');
  });

  test('held messages count against the day; a rejection frees its place', async () => {
    // R today: one delivered (approved), one rejected. One more held, one delivered: 3.
    const held = await sendOk(R.admin, followers('R：首只', '新品说明。'), 'held');
    await sendOk(R.admin, followers('R：周报'));
    expectProblem(await send(R.admin.token, followers('R：再来一条')), 429, 'limit_exceeded');
    expectOk(await decide(reviewer.token, held.id, 'reject', '不通过'));
    await sendOk(R.admin, followers('R：更正'));
    expectProblem(await send(R.admin.token, followers('R：又一条')), 429, 'limit_exceeded');
    assert.equal((await inbox(s.fan)).ids.length, 3);
  });

  test('decisions need a reviewer and a good body', async () => {
    const held = (await ownList(R.admin)).find((x) => x.status === 'held');
    assert.equal(held, undefined, 'nothing held left');
    const m = s.msg.approved;
    for (const token of [R.admin.token, s.fan.token]) {
      expectProblem(await decide(token, m.id, 'approve', 'x'), 403, 'forbidden');
    }
    const risk = await operatorSession(w.srv, 'ops_risk');
    expectProblem(await decide(risk.token, m.id, 'approve', 'x'), 403, 'forbidden');
    for (const body of [{}, { decision: 'approve' }, { decision: 'maybe', reason: 'x' },
      { decision: 'approve', reason: '' }, { decision: 'approve', reason: 'x', extra: 1 }]) {
      const res = await api(base, 'POST', decisionPath(m.id), { token: reviewer.token, body });
      expectProblem(res, 422);
    }
    expectProblem(await decide(reviewer.token, '1234567890123', 'approve', 'x'), 404);
    expectProblem(await decide(reviewer.token, 'abc', 'approve', 'x'), 400, 'bad_request');
  });
});

// ---- bad input and other tenants ----

suite('bad input', () => {
  test('a blocking term is refused with its spans and nothing is stored', async () => {
    const before = (await ownList(B.admin)).length;
    const body = '这只基金稳赚不赔，加 微 信详聊。';
    const p = expectProblem(await send(B.admin.token, followers('B提醒', body)), 422,
      'compliance_blocked');
    assert.equal(p.check.verdict, 'block');
    const bytes = Buffer.from(body, 'utf8');
    for (const m of p.check.matches.filter((x) => x.field === 'body')) {
      assert.equal(bytes.subarray(m.start, m.end).toString('utf8'), m.text);
    }
    assert.ok(p.check.matches.some((m) => m.term === '稳赚不赔'));
    assert.equal((await ownList(B.admin)).length, before);
    assert.ok(!(await reviewMessages()).some((m) => m.institution_id === B.inst.id));
  });

  test('missing, oversized, mistyped and unknown fields answer 422 naming the field', async () => {
    const ok = followers('标题', '正文');
    const cases = [
      [{ title: 'x', body: 'y' }, 'audience'],
      [{ ...ok, audience: 'everyone' }, 'audience'],
      [{ ...ok, audience: 1 }, 'audience'],
      [{ audience: 'followers', body: 'y' }, 'title'],
      [{ ...ok, title: '' }, 'title'],
      [{ ...ok, title: 'x'.repeat(61) }, 'title'],
      [{ ...ok, title: '两行\n标题' }, 'title'],
      [{ ...ok, title: '\u202e反向' }, 'title'],
      [{ ...ok, title: '\u200b ' }, 'title'],
      [{ ...ok, body: '' }, 'body'],
      [{ ...ok, body: '字'.repeat(1001) }, 'body'],
      [{ ...ok, body: ['y'] }, 'body'],
      [{ ...ok, body: 'a\u0000b' }, undefined],
      [{ ...ok, product_id: s.pB.id }, 'product_id'],
      [{ ...holders('x', s.pA1) }, 'product_id'],
      [{ ...holders('x'), product_id: 'abc' }, 'product_id'],
      [{ ...holders('x'), product_id: 1234567890123 }, 'product_id'],
      [{ ...holders('x'), product_id: '1234567890123' }, 'product_id'],
      [{ ...ok, to: 'all' }, 'to'],
    ];
    const before = (await ownList(B.admin)).length;
    for (const [body, field] of cases) {
      const res = await send(B.admin.token, body);
      assert.ok(res.status === 422 || (field === undefined && res.status === 400),
        `${JSON.stringify(body).slice(0, 80)}: ${res.status} ${res.text}`);
      expectProblem(res, [400, 422], undefined, field);
    }
    expectProblem(await api(base, 'POST', SEND, { token: B.admin.token, body: '{' }), 400,
      'bad_json');
    expectProblem(await api(base, 'POST', SEND, { token: B.admin.token, body: '{}',
      contentType: 'text/plain' }), 415);
    assert.equal((await ownList(B.admin)).length, before, 'nothing stored');
    // 60 characters and 1000 are fine (B has room for one more today).
    await sendOk(B.admin, { audience: 'followers', title: '题'.repeat(60), body: '文'.repeat(1000) });
  });

  test('script in a message is stored and returned as JSON data', async () => {
    const title = '<img src=x onerror=alert(1)>';
    const body = '<script>alert("x")</script>\n第二行 & "引号"';
    const res = await send(S.admin.token, { audience: 'followers', title, body });
    const m = expectOk(res, 201).message;
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal(m.title, title);
    assert.equal(m.body, body);
    const fan = await investorSession(base);
    expectOk(await api(base, 'POST', followPath(S), { token: fan.token }));
    // Followed after the message: not in the inbox. The list shows it as sent.
    assert.equal((await ownList(S.admin))[0].body, body);
    const m2 = await sendOk(S.admin, { audience: 'followers', title, body });
    const box = await inbox(fan);
    assert.deepEqual(box.ids, [m2.id]);
    assert.equal(box.items[0].title, title);
    assert.equal(box.items[0].body, body);
    s.suspendedFan = fan;
    s.msg.s = m2;
  });
});

suite('tenants and roles', () => {
  test('each institution lists its own messages only', async () => {
    const a = (await ownList(A.admin)).map((m) => m.id);
    assert.deepEqual(new Set(a), new Set([s.msg.followers.id, s.msg.holders1.id,
      s.msg.holdersAll.id]));
    for (const who of [A.operator, A.compliance]) {
      assert.deepEqual((await ownList(who)).map((m) => m.id), a);
    }
    const b = await ownList(B.admin);
    assert.ok(b.every((m) => m.institution_id === B.inst.id), JSON.stringify(b));
    assert.ok(!b.some((m) => a.includes(m.id)));
  });

  test('compliance staff, investors and operators cannot send', async () => {
    const body = followers('越权');
    expectProblem(await send(A.compliance.token, body), 403, 'forbidden');
    expectProblem(await send(s.inv.F.token, body), 403, 'forbidden');
    expectProblem(await send(reviewer.token, body), 403, 'forbidden');
    assert.equal((await api(base, 'POST', SEND, { body })).status, 401);
    for (const token of [A.admin.token, reviewer.token]) {
      expectProblem(await api(base, 'GET', INBOX, { token }), 403, 'forbidden');
      expectProblem(await api(base, 'POST', mutePath(A), { token }), 403, 'forbidden');
    }
    expectProblem(await api(base, 'GET', SEND, { token: s.inv.F.token }), 403, 'forbidden');
  });

  test('a suspended institution\'s messages leave every inbox; it cannot send', async () => {
    await setStatus(base, A.ops.token, S.inst.id, 'suspended');
    await expectInbox(s.suspendedFan, []);
    assert.equal(await unreadOf(s.suspendedFan), 0);
    expectProblem(await send(S.admin.token, followers('停牌期间')), 409, 'conflict');
    await setStatus(base, A.ops.token, S.inst.id, 'live');
    await expectInbox(s.suspendedFan, [s.msg.s]);
  });
});

// ---- the next day ----

suite('the next day', () => {
  test('the count starts again; later followers get later messages only', async () => {
    await w.at('2026-03-03');
    base = w.base;
    // A day later every session has ended: sign in again.
    A.admin.token = (await login(base, A.admin.login, STAFF_PASSWORD)).token;
    for (const who of Object.values(s.inv)) {
      who.token = (await login(base, who.mobile, who.password)).token;
    }
    const { LATE, F } = s.inv;
    const m = await sendOk(A.admin, followers('A次日周报'));
    await expectInbox(LATE, [m]);
    await expectInbox(F, [m, s.msg.followers]);
    await sendOk(A.admin, followers('A次日二'));
    await sendOk(A.admin, followers('A次日三'));
    expectProblem(await send(A.admin.token, followers('A次日四')), 429, 'limit_exceeded');
  });

  test('holders messages follow the holding: a holder who sold no longer sees them', async () => {
    const { H1 } = s.inv;
    await expectInbox(H1, [s.msg.holdersAll, s.msg.holders1]);
    const shares = (await api(base, 'GET', '/api/v1/investor/holdings', { token: H1.token }))
      .json.items.find((h) => h.product_id === s.pA1.id).available_shares;
    expectOk(await redeem(base, H1.token, s.pA1.id, shares), 201);
    await publishNavOk(base, A.admin.token, s.pA1.id, '2026-03-03', '1.0200');
    assert.equal((await w.confirm('2026-03-03')).processed, 1);
    await expectInbox(H1, []);
    assert.equal(await unreadOf(H1), 0);
  });
});
