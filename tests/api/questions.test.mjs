// Q&A: investors ask a zone a question, checked before anyone sees it; the institution
// answers, and the delay from publication to answer is kept.
//
// Two live institutions, A and B, each with an admin, an operator and a compliance officer;
// operators of every role; investors. A clean question is published at once, one with a
// review term is held for a reviewer (seen only by its author and reviewers), one with a
// blocking term is refused with its spans; an investor may ask one zone 10 questions a day.
// A answers its own published questions once, with a clean answer; nobody else can. The audit
// chain records answers and decisions. Every response must fit the OpenAPI document.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import {
  auditAfter, createInstitution, investorSession, operatorSession,
} from './lib/fixtures.mjs';
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
const investor = await investorSession(base);
const other = await investorSession(base);

const ASK = '/api/v1/investor/questions';
const INST = '/api/v1/inst/questions';
const REVIEW = '/api/v1/ops/review';
/** The institution id of a world from institutionWithStaff, or of a bare {id}. */
const idOf = (x) => x.inst?.id ?? x.id;
const publicPath = (inst) => `/api/v1/public/zones/${idOf(inst)}/questions`;
const answerPath = (id) => `/api/v1/inst/questions/${id}/answer`;
const decisionPath = (id) => `/api/v1/ops/questions/${id}/decision`;

// What the stories leave for the audit check.
const s = { answered: [], decided: [] };

// ---- requests ----

function ask(token, inst, body) {
  return api(base, 'POST', ASK, { token, body: { institution_id: idOf(inst), body } });
}

async function askOk(token, inst, body) {
  const q = expectOk(await ask(token, inst, body), 201).question;
  assert.equal(q.institution_id, idOf(inst));
  assert.equal(q.body, body);
  assert.equal(q.answer, null);
  assert.equal(q.answered_ms, null);
  assert.equal(q.response_ms, null);
  return q;
}

function answer(token, id, text) {
  return api(base, 'POST', answerPath(id), { token, body: { answer: text } });
}

async function answerOk(who, id, text) {
  const q = expectOk(await answer(who.token, id, text), 200).question;
  s.answered.push({ id, text, by: who.user.id });
  return q;
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

async function publicList(inst) {
  return expectOk(await api(base, 'GET', publicPath(inst)), 200).items;
}

async function instList(who) {
  return expectOk(await api(base, 'GET', INST, { token: who.token }), 200).items;
}

async function ownList(who) {
  return expectOk(await api(base, 'GET', ASK, { token: who.token }), 200).items;
}

async function reviewQuestions(who = reviewer) {
  const items = expectOk(await api(base, 'GET', REVIEW, { token: who.token }), 200).items;
  return items.filter((e) => e.kind === 'question').map((e) => e.item);
}

/** Every match's span must cut exactly its text out of the UTF-8 bytes of `text`. */
function expectSpans(check, field, text) {
  const bytes = Buffer.from(text, 'utf8');
  assert.ok(check.matches.length > 0, JSON.stringify(check));
  assert.equal(check.match_count, check.matches.length);
  for (const m of check.matches) {
    assert.equal(m.field, field);
    assert.equal(bytes.subarray(m.start, m.end).toString('utf8'), m.text, JSON.stringify(m));
  }
}

// ---- asking ----

suite('asking', () => {
  test('a clean question is published at once and shown in the zone', async () => {
    const q = await askOk(investor.token, A, '这只基金的申购费率是多少？');
    assert.equal(q.status, 'published');
    assert.equal(q.published_ms, q.created_ms);
    assert.equal(q.check.verdict, 'pass');
    assert.deepEqual(q.check.matches, []);
    const shown = (await publicList(A)).find((x) => x.id === q.id);
    assert.ok(shown, 'not in the public list');
    assert.equal(shown.check, undefined, 'the public sees no check');
    assert.ok((await instList(A.operator)).some((x) => x.id === q.id));
    assert.ok(!(await instList(B.admin)).some((x) => x.id === q.id), 'B sees A\'s question');
    assert.ok(!(await publicList(B)).some((x) => x.id === q.id));
  });

  test('a review term holds the question: only its author and reviewers see it', async () => {
    const body = '哪只基金收益最好？';
    const q = await askOk(investor.token, A, body);
    assert.equal(q.status, 'held');
    assert.equal(q.published_ms, null);
    assert.equal(q.check.verdict, 'review');
    expectSpans(q.check, 'body', body);
    assert.ok(q.check.matches.some((m) => m.term === '最好' && m.severity === 'review'));

    assert.ok(!(await publicList(A)).some((x) => x.id === q.id), 'held question is public');
    assert.ok(!(await instList(A.admin)).some((x) => x.id === q.id), 'institution sees it');
    assert.ok(!(await ownList(other)).some((x) => x.id === q.id), 'another investor sees it');
    const mine = (await ownList(investor)).find((x) => x.id === q.id);
    assert.equal(mine.status, 'held');
    assert.deepEqual(mine.check, q.check);
    for (const who of [reviewer, opsAdmin, risk]) {
      const queued = (await reviewQuestions(who)).find((x) => x.id === q.id);
      assert.ok(queued, 'not in the review queue');
      assert.deepEqual(queued.check, q.check);
    }
    // Not published: the institution cannot answer it yet.
    expectProblem(await answer(A.admin.token, q.id, '感谢提问。'), 404, 'not_found');
  });

  test('blocking terms are refused with their spans and nothing is stored', async () => {
    const before = (await ownList(investor)).length;
    for (const body of ['想了解详情请加微信 abc123', '这只基金稳赚不赔吗？', '加 微 信聊']) {
      const res = await ask(investor.token, A, body);
      expectProblem(res, 422, 'compliance_blocked');
      const { check } = res.json;
      assert.equal(check.verdict, 'block');
      expectSpans(check, 'body', body);
      assert.ok(check.matches.some((m) => m.severity === 'block'), JSON.stringify(check));
    }
    const wx = (await ask(investor.token, A, '想了解详情请加微信 abc123')).json.check.matches
      .find((m) => m.term === '加微信');
    assert.deepEqual([wx.start, wx.end, wx.text], [18, 27, '加微信']);
    assert.equal((await ownList(investor)).length, before);
    assert.equal((await reviewQuestions()).filter((x) => /加|稳赚/.test(x.body)).length, 0);
  });

  test('a zone that is not public, and bad input, are refused', async () => {
    const applied = await createInstitution(base, A.ops.token);
    expectProblem(await ask(investor.token, applied, '你好'), 404, 'not_found');
    expectProblem(await ask(investor.token, { id: '1234567890123' }, '你好'), 404, 'not_found');
    expectProblem(await ask(investor.token, { id: 'abc' }, '你好'), 422, 'invalid_field',
      'institution_id');
    expectProblem(await ask(investor.token, A, ''), 422, 'invalid_field', 'body');
    expectProblem(await ask(investor.token, A, '\u0001'), 422, 'invalid_field', 'body');
    expectProblem(await ask(investor.token, A, '问'.repeat(501)), 422, 'invalid_field', 'body');
    expectProblem(await api(base, 'POST', ASK, { token: investor.token,
      body: { institution_id: A.inst.id, body: '你好', extra: 1 } }), 422, 'unknown_field');
    expectProblem(await ask(A.admin.token, A, '你好'), 403, 'forbidden');
    expectProblem(await ask(undefined, A, '你好'), 401, 'unauthenticated');
    expectProblem(await api(base, 'GET', INST, { token: investor.token }), 403, 'forbidden');
    expectProblem(await api(base, 'GET', ASK, { token: A.admin.token }), 403, 'forbidden');
    // A zone that is not open to investors has no public questions page, like its zone page.
    expectProblem(await api(base, 'GET', publicPath(applied)), 404, 'not_found');
    expectProblem(await api(base, 'GET', publicPath({ id: '1234567890123' })), 404,
      'not_found');
  });

  test('the 11th question to one zone in a day is refused; other zones are not', async () => {
    const flood = await investorSession(base);
    for (let i = 1; i <= 10; i++) {
      await askOk(flood.token, A, `第${i}个问题：定投多久合适？`);
    }
    const res = await ask(flood.token, A, '第11个问题');
    expectProblem(res, 429, 'rate_limited');
    // The first question leaves the 24-hour window first: about a day from now, never less.
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(retry > 86000 && retry <= 86400, `Retry-After ${retry}`);
    assert.equal((await ownList(flood)).length, 10);
    await askOk(flood.token, B, '另一个财富号的问题');
  });

  test('script in a question is stored and returned as JSON data', async () => {
    const body = '<script>alert(1)</script><img src=x onerror="alert(2)">"\'&';
    const q = await askOk(investor.token, A, body);
    assert.equal(q.status, 'published');
    const res = await api(base, 'GET', publicPath(A));
    assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
    assert.equal(res.json.items.find((x) => x.id === q.id).body, body);
    const a = await answerOk(A.admin, q.id, '<b>不</b><script>alert(3)</script>');
    assert.equal(a.answer, '<b>不</b><script>alert(3)</script>');
    assert.equal((await publicList(A)).find((x) => x.id === q.id).answer, a.answer);
  });
});

// ---- answering ----

suite('answering', () => {
  test('the institution answers once; the response time is kept', async () => {
    const q = await askOk(investor.token, A, '赎回多久到账？');
    await new Promise((r) => { setTimeout(r, 20); });
    const a = await answerOk(A.operator, q.id, '一般T+3个交易日到账。');
    assert.equal(a.id, q.id);
    assert.equal(a.status, 'published');
    assert.equal(a.answer, '一般T+3个交易日到账。');
    assert.equal(a.published_ms, q.published_ms);
    assert.equal(a.response_ms, a.answered_ms - a.published_ms);
    assert.ok(a.response_ms >= 0, String(a.response_ms));
    assert.ok(a.answered_ms >= q.published_ms);
    assert.equal(a.check, undefined);
    const shown = (await publicList(A)).find((x) => x.id === q.id);
    assert.deepEqual(shown, a);
    // Answered questions come after the unanswered ones for the institution.
    const list = await instList(A.compliance);
    const firstAnswered = list.findIndex((x) => x.answer !== null);
    assert.ok(firstAnswered >= 0);
    assert.ok(list.slice(firstAnswered).every((x) => x.answer !== null));

    expectProblem(await answer(A.admin.token, q.id, '再答一次。'), 404, 'not_found');
    assert.equal((await publicList(A)).find((x) => x.id === q.id).answer, a.answer);
  });

  test('nobody else answers: another institution, investors, compliance, operators', async () => {
    const q = await askOk(investor.token, A, '这只基金适合长期持有吗？');
    expectProblem(await answer(B.admin.token, q.id, '适合。'), 404, 'not_found');
    expectProblem(await answer(B.operator.token, q.id, '适合。'), 404, 'not_found');
    expectProblem(await answer(investor.token, q.id, '适合。'), 403, 'forbidden');
    expectProblem(await answer(A.compliance.token, q.id, '适合。'), 403, 'forbidden');
    expectProblem(await answer(reviewer.token, q.id, '适合。'), 403, 'forbidden');
    expectProblem(await answer(A.admin.token, '1234567890123', '适合。'), 404, 'not_found');
    expectProblem(await answer(A.admin.token, 'abc', '适合。'), 400, 'bad_request');
    expectProblem(await api(base, 'POST', answerPath(q.id), { token: A.admin.token,
      body: {} }), 422, 'missing_field', 'answer');
    expectProblem(await answer(A.admin.token, q.id, '\u0001'), 422, 'invalid_field', 'answer');
    assert.equal((await publicList(A)).find((x) => x.id === q.id).answer, null);
  });

  test('an answer with a review or blocking term is refused and nothing is stored', async () => {
    const q = await askOk(investor.token, A, '和同类比怎么样？');
    const auditBefore = (await auditAfter(base, opsAdmin.token)).length;
    const review = await answer(A.admin.token, q.id, '我们的产品是同类最好的。');
    expectProblem(review, 422, 'compliance_review', 'answer');
    const text = '长期来看稳赚不赔，详情加微信。';
    const blocked = await answer(A.admin.token, q.id, text);
    expectProblem(blocked, 422, 'compliance_blocked');
    assert.equal(blocked.json.check.verdict, 'block');
    expectSpans(blocked.json.check, 'answer', text);
    const terms = blocked.json.check.matches.map((m) => m.term);
    assert.ok(terms.includes('稳赚不赔') && terms.includes('加微信'), terms.join());

    const shown = (await publicList(A)).find((x) => x.id === q.id);
    assert.equal(shown.answer, null);
    assert.equal(shown.answered_ms, null);
    assert.equal(shown.response_ms, null);
    assert.equal((await auditAfter(base, opsAdmin.token)).length, auditBefore);
    // A clean answer still goes through afterwards.
    await answerOk(A.admin, q.id, '各有特点，请结合自身风险承受能力选择。');
  });
});

// ---- review ----

suite('review', () => {
  test('a reviewer approves a held question: it becomes public and answerable', async () => {
    const q = await askOk(investor.token, A, '现在是不是最好的买入时机？');
    assert.equal(q.status, 'held');
    expectProblem(await decide(risk.token, q.id, 'approve', '可以'), 403, 'forbidden');
    expectProblem(await decide(A.admin.token, q.id, 'approve', '可以'), 403, 'forbidden');
    expectProblem(await decide(reviewer.token, q.id, 'maybe', '?'), 422, 'invalid_field',
      'decision');
    await decideOk(reviewer, q.id, 'approve', '提问合理');
    expectProblem(await decide(reviewer.token, q.id, 'reject', '重复'), 404, 'not_found');
    const shown = (await publicList(A)).find((x) => x.id === q.id);
    assert.ok(shown, 'approved question is not public');
    assert.equal(shown.status, 'published');
    assert.equal(typeof shown.published_ms, 'number');
    assert.ok(shown.published_ms >= q.created_ms);
    assert.ok(!(await reviewQuestions()).some((x) => x.id === q.id), 'still in the queue');
    const a = await answerOk(A.admin, q.id, '市场难以预测，建议分批投资。');
    assert.equal(a.response_ms, a.answered_ms - shown.published_ms);
  });

  test('a reviewer rejects a held question: it stays hidden', async () => {
    const q = await askOk(investor.token, A, '你们是唯一最好的基金公司吗？');
    assert.equal(q.status, 'held');
    await decideOk(opsAdmin, q.id, 'reject', '不予展示');
    expectProblem(await decide(reviewer.token, q.id, 'approve', '再议'), 404, 'not_found');
    assert.ok(!(await publicList(A)).some((x) => x.id === q.id));
    assert.ok(!(await instList(A.admin)).some((x) => x.id === q.id));
    assert.ok(!(await reviewQuestions()).some((x) => x.id === q.id));
    const mine = (await ownList(investor)).find((x) => x.id === q.id);
    assert.equal(mine.status, 'rejected');
    assert.equal(mine.published_ms, null);
    expectProblem(await answer(A.admin.token, q.id, '感谢。'), 404, 'not_found');
    expectProblem(await decide(reviewer.token, '1234567890123', 'approve', '?'), 404,
      'not_found');
  });
});

// ---- audit ----

suite('audit', () => {
  test('answers and decisions are audited, and the chain verifies', async () => {
    const entries = await auditAfter(base, opsAdmin.token);
    const answers = entries.filter((e) => e.action === 'question.answer');
    assert.deepEqual(answers.map((e) => e.subject), s.answered.map((x) => `question:${x.id}`));
    answers.forEach((e, i) => {
      const x = s.answered[i];
      assert.equal(e.institution_id, A.inst.id);
      assert.equal(e.actor_user_id, x.by);
      assert.deepEqual(e.detail, { answer: x.text });
    });
    const decides = entries.filter((e) => e.action === 'question.decide');
    assert.deepEqual(decides.map((e) => e.subject), s.decided.map((x) => `question:${x.id}`));
    decides.forEach((e, i) => {
      const x = s.decided[i];
      assert.equal(e.institution_id, A.inst.id);
      assert.equal(e.actor_user_id, x.by);
      assert.deepEqual(e.detail, { approve: x.approve, reason: x.reason });
    });
    const verify = expectOk(await api(base, 'GET', '/api/v1/ops/audit/verify',
      { token: risk.token }));
    assert.equal(verify.ok, true);
    assert.equal(verify.checked, entries.length);
  });
});
