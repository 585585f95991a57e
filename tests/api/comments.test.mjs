// Comments: investors comment on published content, checked before anyone sees it.
//
// Two live institutions, A and B, each with an admin, an operator and a compliance officer; a
// reviewer and an operations admin; investors. A clean comment is published at once, one with
// a review term is held (seen only by its author and reviewers) until a reviewer approves or
// rejects it, one with a blocking term is refused with its spans. Content that is not
// published, or taken down, has no comments. An investor writes at most 5 comments a minute
// and 50 in 24 hours (429 with Retry-After), and may delete their own. The public list pages
// newest first. Every response must fit the OpenAPI document.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { auditAfter, investorSession, operatorSession } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import { fileServer } from './lib/server.mjs';
import { api, checkContract, institutionWithStaff } from './lib/trading.mjs';

const srv = await fileServer();
const base = srv.base;
const doc = await loadOpenApi(base);
checkContract(doc);

const A = await institutionWithStaff(srv);
const B = await institutionWithStaff(srv);
const reviewer = await operatorSession(srv, 'ops_reviewer');
const opsAdmin = await operatorSession(srv, 'ops_admin');
const risk = await operatorSession(srv, 'ops_risk');

const OWN = '/api/v1/investor/comments';
const REVIEW = '/api/v1/ops/review';
const listPath = (id) => `/api/v1/public/contents/${id}/comments`;
const decisionPath = (id) => `/api/v1/ops/comments/${id}/decision`;

// What the stories leave for the audit check.
const s = { decided: [] };

// ---- requests ----

async function publish(inst, title, body = '长期投资，理性看待波动。') {
  const res = await api(base, 'POST', '/api/v1/inst/contents',
    { token: inst.admin.token, body: { kind: 'post', title, body } });
  return expectOk(res, 201);
}

function comment(token, contentId, body) {
  return api(base, 'POST', OWN, { token, body: { content_id: contentId, body } });
}

async function commentOk(token, contentId, body) {
  const c = expectOk(await comment(token, contentId, body), 201).comment;
  assert.equal(c.content_id, contentId);
  assert.equal(c.body, body);
  return c;
}

async function publicList(contentId, query = '') {
  return expectOk(await api(base, 'GET', `${listPath(contentId)}${query}`), 200);
}

async function ownList(who) {
  return expectOk(await api(base, 'GET', OWN, { token: who.token }), 200).items;
}

function decide(token, id, decision, reason) {
  return api(base, 'POST', decisionPath(id), { token, body: { decision, reason } });
}

async function decideOk(who, id, decision, reason) {
  const d = expectOk(await decide(who.token, id, decision, reason), 200);
  assert.deepEqual(d, { id, status: decision === 'approve' ? 'published' : 'rejected' });
  s.decided.push({ id, approve: decision === 'approve', reason, by: who.user.id });
  return d;
}

async function reviewComments(who = reviewer) {
  const items = expectOk(await api(base, 'GET', REVIEW, { token: who.token }), 200).items;
  return items.filter((e) => e.kind === 'comment').map((e) => e.item);
}

function expectSpans(check, text) {
  const bytes = Buffer.from(text, 'utf8');
  assert.ok(check.matches.length > 0, JSON.stringify(check));
  for (const m of check.matches) {
    assert.equal(m.field, 'body');
    assert.equal(bytes.subarray(m.start, m.end).toString('utf8'), m.text, JSON.stringify(m));
  }
}

/** A random positive 63-bit id as a decimal string. */
function randomId() {
  return String((BigInt(randomInt(1, 2 ** 31)) << 31n) + BigInt(randomInt(0, 2 ** 31)));
}

/** Inserts `n` comments of `who` on `contentId`, written `agoMs` ago, behind the API's back. */
async function backdate(who, contentId, inst, n, agoMs) {
  const at = Date.now() - agoMs;
  const rows = Array.from({ length: n }, (_, i) => `(${randomId()}, ${contentId}, ${inst}, ` +
    `${who.user.id}, 'old ${i}', 'published', '{}', ${at + i}, ${at + i})`);
  await srv.sql('INSERT INTO comments (id, content_id, institution_id, investor_id, body, ' +
    `status, check_result, created_ms, published_ms) VALUES ${rows.join(', ')};`);
  return at;
}

const post = await publish(A, '定投的意义');
const postB = await publish(B, '另一家的动态');

// ---- writing and reading ----

suite('writing', () => {
  test('a clean comment is published at once and shown newest first', async () => {
    const inv = await investorSession(base);
    const first = await commentOk(inv.token, post.id, '讲得很清楚，谢谢分享。');
    assert.equal(first.status, 'published');
    assert.equal(first.institution_id, A.inst.id);
    assert.equal(first.published_ms, first.created_ms);
    assert.equal(first.check.verdict, 'pass');
    const second = await commentOk(inv.token, post.id, '第二条评论');
    const page = await publicList(post.id);
    const ids = page.items.map((c) => c.id);
    assert.ok(ids.indexOf(second.id) < ids.indexOf(first.id), 'not newest first');
    const shown = page.items.find((c) => c.id === first.id);
    assert.equal(shown.check, undefined, 'the public sees no check');
    assert.equal(shown.body, first.body);
    assert.ok(!(await publicList(postB.id)).items.some((c) => c.id === first.id));
    const mine = (await ownList(inv)).find((c) => c.id === first.id);
    assert.deepEqual(mine.check, first.check);
  });

  test('a review term holds the comment: invisible until a reviewer approves it', async () => {
    const inv = await investorSession(base);
    const other = await investorSession(base);
    const body = '这只基金是不是最好的？';
    const c = await commentOk(inv.token, post.id, body);
    assert.equal(c.status, 'held');
    assert.equal(c.published_ms, null);
    assert.equal(c.check.verdict, 'review');
    expectSpans(c.check, body);
    assert.ok(!(await publicList(post.id)).items.some((x) => x.id === c.id), 'held is public');
    assert.ok(!(await ownList(other)).some((x) => x.id === c.id));
    assert.equal((await ownList(inv)).find((x) => x.id === c.id).status, 'held');
    for (const who of [reviewer, opsAdmin, risk]) {
      const queued = (await reviewComments(who)).find((x) => x.id === c.id);
      assert.ok(queued, 'not in the review queue');
      assert.deepEqual(queued.check, c.check);
      assert.equal(queued.content_title, '定投的意义');
      assert.equal(queued.institution_name, A.inst.name);
    }
    expectProblem(await decide(risk.token, c.id, 'approve', '可以'), 403, 'forbidden');
    expectProblem(await decide(A.admin.token, c.id, 'approve', '可以'), 403, 'forbidden');
    expectProblem(await decide(reviewer.token, c.id, 'maybe', '?'), 422, 'invalid_field',
      'decision');
    await decideOk(reviewer, c.id, 'approve', '正常提问');
    const shown = (await publicList(post.id)).items.find((x) => x.id === c.id);
    assert.ok(shown, 'approved comment is not public');
    assert.equal(shown.status, 'published');
    assert.ok(shown.published_ms >= c.created_ms);
    assert.ok(!(await reviewComments()).some((x) => x.id === c.id), 'still in the queue');
    expectProblem(await decide(reviewer.token, c.id, 'reject', '再议'), 404, 'not_found');
  });

  test('a rejected comment stays hidden; its author sees why it is not shown', async () => {
    const inv = await investorSession(base);
    const c = await commentOk(inv.token, post.id, '唯一值得买的基金');
    assert.equal(c.status, 'held');
    await decideOk(opsAdmin, c.id, 'reject', '不予展示');
    assert.ok(!(await publicList(post.id)).items.some((x) => x.id === c.id));
    assert.ok(!(await reviewComments()).some((x) => x.id === c.id));
    const mine = (await ownList(inv)).find((x) => x.id === c.id);
    assert.equal(mine.status, 'rejected');
    assert.equal(mine.published_ms, null);
    expectProblem(await decide(reviewer.token, '1234567890123', 'approve', '?'), 404,
      'not_found');
  });

  test('blocking terms are refused with their spans and nothing is stored', async () => {
    const inv = await investorSession(base);
    for (const body of ['稳赚不赔，快买！', '详情加 微 信 abc123']) {
      const res = await comment(inv.token, post.id, body);
      expectProblem(res, 422, 'compliance_blocked');
      assert.equal(res.json.check.verdict, 'block');
      expectSpans(res.json.check, body);
    }
    assert.deepEqual(await ownList(inv), []);
  });

  test('content that is not published, or taken down, has no comments', async () => {
    const inv = await investorSession(base);
    const held = await publish(A, '保本之外', '关于保本的讨论');
    assert.equal(held.status, 'held');
    expectProblem(await comment(inv.token, held.id, '你好'), 404, 'not_found');
    expectProblem(await api(base, 'GET', listPath(held.id)), 404, 'not_found');
    expectProblem(await comment(inv.token, '1234567890123', '你好'), 404, 'not_found');
    expectProblem(await api(base, 'GET', listPath('1234567890123')), 404, 'not_found');

    const gone = await publish(A, '将被下架');
    const c = await commentOk(inv.token, gone.id, '评论一下');
    expectOk(await api(base, 'POST', `/api/v1/ops/contents/${gone.id}/takedown`,
      { token: reviewer.token, body: { reason: '下架' } }));
    expectProblem(await comment(inv.token, gone.id, '还能评论吗'), 404, 'not_found');
    expectProblem(await api(base, 'GET', listPath(gone.id)), 404, 'not_found');
    assert.equal((await ownList(inv)).find((x) => x.id === c.id).status, 'published');
  });

  test('script in a comment is stored and returned as JSON data', async () => {
    const inv = await investorSession(base);
    const body = '<script>alert(1)</script><img src=x onerror="alert(2)">"\'&';
    const c = await commentOk(inv.token, post.id, body);
    const res = await api(base, 'GET', listPath(post.id));
    assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
    assert.equal(res.json.items.find((x) => x.id === c.id).body, body);
  });

  test('bad input and the wrong people are refused', async () => {
    const inv = await investorSession(base);
    const bad = [
      [{ content_id: 'abc', body: '你好' }, 'invalid_field', 'content_id'],
      [{ content_id: post.id }, 'missing_field', 'body'],
      [{ body: '你好' }, 'missing_field', 'content_id'],
      [{ content_id: post.id, body: '' }, 'invalid_field', 'body'],
      [{ content_id: post.id, body: '\u0001' }, 'invalid_field', 'body'],
      [{ content_id: post.id, body: '\u202e你好' }, 'invalid_field', 'body'],
      [{ content_id: post.id, body: '评'.repeat(501) }, 'invalid_field', 'body'],
      [{ content_id: post.id, body: 5 }, 'invalid_field', 'body'],
      [{ content_id: Number(post.id), body: '你好' }, 'invalid_field', 'content_id'],
      [{ content_id: post.id, body: '你好', extra: 1 }, 'unknown_field', undefined],
    ];
    for (const [body, code, field] of bad) {
      expectProblem(await api(base, 'POST', OWN, { token: inv.token, body }), 422, code, field);
    }
    expectProblem(await api(base, 'POST', OWN, { token: inv.token, body: '{' }), 400,
      'bad_json');
    expectProblem(await comment(A.admin.token, post.id, '你好'), 403, 'forbidden');
    expectProblem(await comment(undefined, post.id, '你好'), 401, 'unauthenticated');
    expectProblem(await api(base, 'GET', OWN, { token: reviewer.token }), 403, 'forbidden');
    expectProblem(await api(base, 'GET', listPath('abc')), 400, 'bad_request');
    expectProblem(await api(base, 'GET', `${listPath(post.id)}?limit=0`), 400, 'bad_request');
    expectProblem(await api(base, 'GET', `${listPath(post.id)}?limit=201`), 400, 'bad_request');
    for (const cursor of ['x', '1', '1.0', '-1.5', '1.2.3', `${'9'.repeat(20)}.1`]) {
      expectProblem(await api(base, 'GET', `${listPath(post.id)}?cursor=${cursor}`), 400,
        'bad_request');
    }
    assert.deepEqual(await ownList(inv), []);
  });
});

// ---- paging and deleting ----

suite('paging and deleting', () => {
  test('the public list pages newest first without repeats or gaps', async () => {
    const p = await publish(A, '分页测试');
    const written = [];
    for (let i = 0; i < 7; i++) {
      const inv = await investorSession(base);
      written.push(await commentOk(inv.token, p.id, `第${i}条`));
    }
    const seen = [];
    let cursor = null;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const page = await publicList(p.id, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.next_cursor;
      if (cursor === null) break;
    }
    assert.equal(cursor, null);
    assert.deepEqual(seen, written.map((c) => c.id).reverse());
    const exact = await publicList(p.id, '?limit=7');
    assert.equal(exact.items.length, 7);
    assert.equal(exact.next_cursor, null, 'a last full page has no next page');
  });

  test('an investor deletes their own comment, nobody else\'s', async () => {
    const inv = await investorSession(base);
    const other = await investorSession(base);
    const c = await commentOk(inv.token, post.id, '写错了，删掉');
    const del = (id, who) => api(base, 'DELETE', `${OWN}/${id}`, { token: who.token });
    expectProblem(await del(c.id, other), 404, 'not_found');
    expectProblem(await del(c.id, A.admin), 403, 'forbidden');
    assert.deepEqual(expectOk(await del(c.id, inv)), { id: c.id, status: 'deleted' });
    assert.ok(!(await publicList(post.id)).items.some((x) => x.id === c.id));
    assert.ok(!(await ownList(inv)).some((x) => x.id === c.id));
    expectProblem(await del(c.id, inv), 404, 'not_found');
    expectProblem(await del('1234567890123', inv), 404, 'not_found');
    expectProblem(await del('abc', inv), 400, 'bad_request');
    // A held comment can be withdrawn before a reviewer sees it.
    const held = await commentOk(inv.token, post.id, '零风险吗');
    assert.equal(held.status, 'held');
    expectOk(await del(held.id, inv));
    assert.ok(!(await reviewComments()).some((x) => x.id === held.id));
  });
});

// ---- rate limits ----

suite('rate limits', () => {
  test('5 comments a minute pass, the 6th is refused with Retry-After', async () => {
    const inv = await investorSession(base);
    const other = await investorSession(base);
    for (let i = 1; i <= 5; i++) await commentOk(inv.token, post.id, `第${i}条`);
    const res = await comment(inv.token, postB.id, '第6条');
    expectProblem(res, 429, 'rate_limited');
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    assert.equal((await ownList(inv)).length, 5);
    // Held and deleted comments count too; another investor is not affected.
    await commentOk(other.token, post.id, '别人的评论');
  });

  test('50 comments in 24 hours pass, the 51st is refused until the oldest is a day old',
    async () => {
      const inv = await investorSession(base);
      const at = await backdate(inv, post.id, A.inst.id, 49, 2 * 3600 * 1000);
      await commentOk(inv.token, post.id, '第50条');
      const res = await comment(inv.token, post.id, '第51条');
      expectProblem(res, 429, 'rate_limited');
      const retry = Number(res.headers.get('retry-after'));
      const want = Math.ceil((at + 86400000 - Date.now()) / 1000);
      assert.ok(Math.abs(retry - want) <= 5, `Retry-After ${retry}, want about ${want}`);
      // Comments older than 24 hours do not count.
      const old = await investorSession(base);
      await backdate(old, post.id, A.inst.id, 60, 25 * 3600 * 1000);
      await commentOk(old.token, post.id, '昨天之前的不算');
    });
});

// ---- audit ----

suite('audit', () => {
  test('decisions are audited, and the chain verifies', async () => {
    const entries = await auditAfter(base, opsAdmin.token);
    const decides = entries.filter((e) => e.action === 'comment.decide');
    assert.deepEqual(decides.map((e) => e.subject), s.decided.map((x) => `comment:${x.id}`));
    decides.forEach((e, i) => {
      const x = s.decided[i];
      assert.equal(e.institution_id, A.inst.id);
      assert.equal(e.actor_user_id, x.by);
      assert.deepEqual(e.detail, { approve: x.approve, reason: x.reason });
    });
    const verify = expectOk(await api(base, 'GET', '/api/v1/ops/audit/verify',
      { token: risk.token }));
    assert.equal(verify.ok, true);
  });
});
