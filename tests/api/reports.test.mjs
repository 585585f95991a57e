// Reports: investors report what they see; reviewers dismiss the reports or take the target
// down.
//
// Two live institutions, A and B; a reviewer, an operations admin and a risk officer;
// investors. Every kind of target is reported (a content, a question, its answer, a comment, a
// zone), a repeat answers the open report instead of filing a second one, the review queue
// shows one entry per target with its texts and the matched spans of its check, and a
// resolution resolves every open report of its target together: a dismissal leaves the target
// up, a takedown removes it from every public answer (the cached zone page and search
// included). Reporters see the outcome; 20 reports a day at most. Every response must fit the
// OpenAPI document.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
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

const REPORTS = '/api/v1/investor/reports';
const REVIEW = '/api/v1/ops/review';
const resolvePath = (id) => `/api/v1/ops/reports/${id}/resolution`;

// What the stories leave for the audit check.
const s = { resolved: [] };

// ---- requests ----

function report(token, kind, id, category = 'misleading_claims', text) {
  const body = { target_kind: kind, target_id: id, category };
  if (text !== undefined) body.text = text;
  return api(base, 'POST', REPORTS, { token, body });
}

async function reportOk(who, kind, id, category, text) {
  const res = await report(who.token, kind, id, category, text);
  const json = expectOk(res, 201);
  assert.equal(json.repeat, false);
  const r = json.report;
  assert.deepEqual([r.target_kind, r.target_id, r.status, r.resolved_ms, r.resolution_reason],
    [kind, id, 'open', null, null]);
  return r;
}

async function ownReports(who) {
  return expectOk(await api(base, 'GET', REPORTS, { token: who.token })).items;
}

function resolve(token, id, decision, reason) {
  return api(base, 'POST', resolvePath(id), { token, body: { decision, reason } });
}

async function resolveOk(who, id, decision, reason, kind, target, resolved) {
  const json = expectOk(await resolve(who.token, id, decision, reason));
  assert.deepEqual(json, { id, decision, target_kind: kind, target_id: target, resolved });
  s.resolved.push({ id, decision, reason, target: `${kind}:${target}`, resolved,
    by: who.user.id });
  return json;
}

async function queued(kind, id) {
  const items = expectOk(await api(base, 'GET', REVIEW, { token: reviewer.token })).items;
  return items.filter((e) => e.kind === 'report' && e.item.target_kind === kind &&
    e.item.target_id === id).map((e) => e.item);
}

async function publish(inst, title, body = '长期投资，理性看待波动。') {
  return expectOk(await api(base, 'POST', '/api/v1/inst/contents',
    { token: inst.admin.token, body: { kind: 'article', title, body } }), 201);
}

async function commentOk(token, contentId, body) {
  return expectOk(await api(base, 'POST', '/api/v1/investor/comments',
    { token, body: { content_id: contentId, body } }), 201).comment;
}

async function comments(contentId) {
  return expectOk(await api(base, 'GET', `/api/v1/public/contents/${contentId}/comments`)).items;
}

async function askOk(token, inst, body) {
  return expectOk(await api(base, 'POST', '/api/v1/investor/questions',
    { token, body: { institution_id: inst.inst.id, body } }), 201).question;
}

async function questions(inst) {
  return expectOk(await api(base, 'GET', `/api/v1/public/zones/${inst.inst.id}/questions`)).items;
}

function randomId() {
  return String((BigInt(randomInt(1, 2 ** 31)) << 31n) + BigInt(randomInt(0, 2 ** 31)));
}

/** Each match's span cuts its text out of the UTF-8 bytes of the field it names. */
function expectSpans(target) {
  assert.ok(target.check.matches.length > 0, JSON.stringify(target));
  for (const m of target.check.matches) {
    const bytes = Buffer.from(target.texts[m.field], 'utf8');
    assert.equal(bytes.subarray(m.start, m.end).toString('utf8'), m.text, JSON.stringify(m));
  }
}

// ---- the world ----

const article = await publish(A, '市场观察', '本周市场**震荡**，请理性投资。');
const asker = await investorSession(base);
const question = await askOk(asker.token, A, '这只基金适合长期持有吗？');
expectOk(await api(base, 'POST', `/api/v1/inst/questions/${question.id}/answer`,
  { token: A.admin.token, body: { answer: '适合长期持有，请结合自身风险承受能力。' } }));
const writer = await investorSession(base);
// A comment with a review term, approved by a reviewer: visible, yet flagged by the check.
const flagged = await commentOk(writer.token, article.id, '这是市面上最好的基金');
assert.equal(flagged.status, 'held');
expectOk(await api(base, 'POST', `/api/v1/ops/comments/${flagged.id}/decision`,
  { token: reviewer.token, body: { decision: 'approve', reason: '观点表达' } }));

// ---- filing ----

suite('filing', () => {
  test('every kind of visible target can be reported, and the reporter sees them', async () => {
    const inv = await investorSession(base);
    const filed = [
      await reportOk(inv, 'content', article.id, 'misleading_claims', '标题党'),
      await reportOk(inv, 'question', question.id, 'other'),
      await reportOk(inv, 'answer', question.id, 'guaranteed_returns'),
      await reportOk(inv, 'comment', flagged.id, 'harassment', ''),
      await reportOk(inv, 'zone', B.inst.id, 'illegal_fundraising'),
    ];
    assert.equal(filed[0].text, '标题党');
    assert.equal(filed[1].text, '');
    assert.equal(filed[0].institution_id, A.inst.id);
    assert.equal(filed[4].institution_id, B.inst.id);
    const mine = await ownReports(inv);
    assert.deepEqual(mine.map((r) => r.id), filed.map((r) => r.id).reverse());
    assert.deepEqual(await ownReports(writer), []);
  });

  test('reporting again answers the open report; another investor files their own', async () => {
    const p = await publish(A, '重复举报测试');
    const one = await investorSession(base);
    const two = await investorSession(base);
    const first = await reportOk(one, 'content', p.id, 'privacy', '泄露隐私');
    for (const category of ['privacy', 'other']) {
      const again = expectOk(await report(one.token, 'content', p.id, category, '再次'), 200);
      assert.equal(again.repeat, true);
      assert.deepEqual(again.report, first);
    }
    assert.equal((await ownReports(one)).length, 1);
    const second = await reportOk(two, 'content', p.id, 'misleading_claims');
    assert.notEqual(second.id, first.id);
    const entries = await queued('content', p.id);
    assert.equal(entries.length, 1, 'one queue entry per target');
    assert.equal(entries[0].id, first.id);
    assert.equal(entries[0].created_ms, first.created_ms);
    assert.deepEqual(entries[0].reports.map((r) => [r.id, r.category, r.text]),
      [[first.id, 'privacy', '泄露隐私'], [second.id, 'misleading_claims', '']]);
    assert.equal(entries[0].institution_name, A.inst.name);
    assert.deepEqual(entries[0].target.texts,
      { title: '重复举报测试', body_text: '长期投资，理性看待波动。\n' });
    assert.equal(entries[0].target.visible, true);
    assert.equal(entries[0].target.check.verdict, 'pass');
  });

  test('what the public cannot see cannot be reported', async () => {
    const inv = await investorSession(base);
    const heldContent = await publish(A, '保本策略');
    assert.equal(heldContent.status, 'held');
    const heldComment = await commentOk(writer.token, article.id, '零风险的吗');
    assert.equal(heldComment.status, 'held');
    const deleted = await commentOk(writer.token, article.id, '要删的评论');
    expectOk(await api(base, 'DELETE', `/api/v1/investor/comments/${deleted.id}`,
      { token: writer.token }));
    const unanswered = await askOk(asker.token, A, '还没有回答的问题');
    const applied = await createInstitution(base, A.ops.token);
    const refused = [
      ['content', heldContent.id], ['comment', heldComment.id], ['comment', deleted.id],
      ['answer', unanswered.id], ['zone', applied.id], ['content', '1234567890123'],
      ['question', '1234567890123'], ['answer', '1234567890123'], ['comment', '1234567890123'],
      ['zone', '1234567890123'], ['content', question.id], ['question', article.id],
    ];
    for (const [kind, id] of refused) {
      expectProblem(await report(inv.token, kind, id), 404, 'not_found');
    }
    assert.deepEqual(await ownReports(inv), []);
  });

  test('bad input and the wrong people are refused', async () => {
    const inv = await investorSession(base);
    const good = { target_kind: 'content', target_id: article.id, category: 'other' };
    const bad = [
      [{ ...good, target_kind: 'user' }, 'invalid_field', 'target_kind'],
      [{ ...good, target_kind: 'Content' }, 'invalid_field', 'target_kind'],
      [{ ...good, target_id: 'abc' }, 'invalid_field', 'target_id'],
      [{ ...good, target_id: '0' }, 'invalid_field', 'target_id'],
      [{ ...good, target_id: Number(article.id) }, 'invalid_field', 'target_id'],
      [{ ...good, category: 'spam' }, 'invalid_field', 'category'],
      [{ ...good, text: '举'.repeat(501) }, 'invalid_field', 'text'],
      [{ ...good, text: 'a\u0000b' }, ['invalid_field', 'bad_json'], undefined],
      [{ ...good, text: '\u202e反转' }, 'invalid_field', 'text'],
      [{ ...good, text: 5 }, 'invalid_field', 'text'],
      [{ target_kind: 'content', target_id: article.id }, 'missing_field', 'category'],
      [{ ...good, extra: true }, 'unknown_field', undefined],
    ];
    for (const [body, code, field] of bad) {
      const res = await api(base, 'POST', REPORTS, { token: inv.token, body });
      expectProblem(res, [400, 422], code, field);
    }
    expectProblem(await report(A.admin.token, 'content', article.id), 403, 'forbidden');
    expectProblem(await report(reviewer.token, 'content', article.id), 403, 'forbidden');
    expectProblem(await report(undefined, 'content', article.id), 401, 'unauthenticated');
    expectProblem(await api(base, 'GET', REPORTS, { token: A.admin.token }), 403, 'forbidden');
    assert.deepEqual(await ownReports(inv), []);
  });

  test('script in a report is kept as data', async () => {
    const inv = await investorSession(base);
    const text = '<script>alert(1)</script>"\'&';
    const r = await reportOk(inv, 'question', question.id, 'other', text);
    assert.equal(r.text, text);
    const entry = (await queued('question', question.id))[0];
    assert.ok(entry.reports.some((x) => x.text === text));
  });

  test('20 reports a day pass, the 21st is refused with Retry-After', async () => {
    const inv = await investorSession(base);
    const at = Date.now() - 2 * 3600 * 1000;
    const rows = Array.from({ length: 19 }, (_, i) => `(${randomId()}, ${inv.user.id}, ` +
      `'content', ${randomId()}, ${A.inst.id}, 'other', '', 'dismissed', ${at + i})`);
    await srv.sql('INSERT INTO reports (id, reporter_id, target_kind, target_id, ' +
      `institution_id, category, text, status, created_ms) VALUES ${rows.join(', ')};`);
    const p = await publish(A, '第二十篇');
    await reportOk(inv, 'content', p.id, 'other');
    // A repeat is no new report: it is answered even at the limit.
    expectOk(await report(inv.token, 'content', p.id), 200);
    const res = await report(inv.token, 'question', question.id);
    expectProblem(res, 429, 'rate_limited');
    const retry = Number(res.headers.get('retry-after'));
    const want = Math.ceil((at + 86400000 - Date.now()) / 1000);
    assert.ok(Math.abs(retry - want) <= 5, `Retry-After ${retry}, want about ${want}`);
    assert.equal((await ownReports(inv)).length, 20);
  });
});

// ---- resolving ----

suite('resolving', () => {
  test('the queue shows a flagged target\'s texts and spans; a takedown resolves every ' +
    'report of it and the comment disappears', async () => {
    const one = await investorSession(base);
    const two = await investorSession(base);
    const r1 = await reportOk(one, 'comment', flagged.id, 'misleading_claims');
    const r2 = await reportOk(two, 'comment', flagged.id, 'other', '夸大宣传');
    const entry = (await queued('comment', flagged.id))[0];
    assert.deepEqual(entry.target.texts, { body: '这是市面上最好的基金' });
    assert.equal(entry.target.check.verdict, 'review');
    expectSpans(entry.target);
    assert.ok(entry.target.check.matches.some((m) => m.term === '最好'));
    assert.ok(entry.reports.length >= 2);
    const all = entry.reports.length;

    expectProblem(await resolve(risk.token, r2.id, 'take_down', '违规'), 403, 'forbidden');
    expectProblem(await resolve(A.admin.token, r2.id, 'take_down', '违规'), 403, 'forbidden');
    expectProblem(await resolve(reviewer.token, r2.id, 'delete', '违规'), 422, 'invalid_field',
      'decision');
    expectProblem(await api(base, 'POST', resolvePath(r2.id),
      { token: reviewer.token, body: { decision: 'take_down' } }), 422, 'missing_field',
    'reason');
    // Any open report of the target resolves them all.
    await resolveOk(reviewer, r2.id, 'take_down', '夸大宣传，已下架', 'comment', flagged.id, all);
    assert.ok(!(await comments(article.id)).some((c) => c.id === flagged.id));
    assert.deepEqual(await queued('comment', flagged.id), []);
    for (const [who, r] of [[one, r1], [two, r2]]) {
      const mine = (await ownReports(who)).find((x) => x.id === r.id);
      assert.equal(mine.status, 'taken_down');
      assert.equal(mine.resolution_reason, '夸大宣传，已下架');
      assert.equal(typeof mine.resolved_ms, 'number');
    }
    const own = expectOk(await api(base, 'GET', '/api/v1/investor/comments',
      { token: writer.token })).items.find((c) => c.id === flagged.id);
    assert.equal(own.status, 'taken_down');
    expectProblem(await resolve(reviewer.token, r1.id, 'dismiss', '再议'), 404, 'not_found');
    expectProblem(await report(one.token, 'comment', flagged.id), 404, 'not_found');
    expectProblem(await resolve(reviewer.token, '1234567890123', 'dismiss', '?'), 404,
      'not_found');
    expectProblem(await resolve(reviewer.token, 'abc', 'dismiss', '?'), 400, 'bad_request');
  });

  test('a dismissal leaves the target up; it may be reported again', async () => {
    const inv = await investorSession(base);
    const p = await publish(A, '被驳回的举报');
    const r = await reportOk(inv, 'content', p.id, 'other');
    await resolveOk(opsAdmin, r.id, 'dismiss', '内容正常', 'content', p.id, 1);
    expectOk(await api(base, 'GET', `/api/v1/public/contents/${p.id}`));
    const mine = (await ownReports(inv)).find((x) => x.id === r.id);
    assert.equal(mine.status, 'dismissed');
    assert.equal(mine.resolution_reason, '内容正常');
    assert.deepEqual(await queued('content', p.id), []);
    const again = await reportOk(inv, 'content', p.id, 'privacy');
    assert.notEqual(again.id, r.id);
  });

  test('taking a content down hides it, its comments and its search result', async () => {
    const inv = await investorSession(base);
    const p = await publish(A, '震荡行情文章甲', '正文');
    await commentOk(writer.token, p.id, '好文');
    const search = `/api/v1/public/search?type=contents&q=${encodeURIComponent('震荡行情文章甲')}`;
    assert.equal(expectOk(await api(base, 'GET', search)).items.length, 1);
    const r = await reportOk(inv, 'content', p.id, 'illegal_fundraising');
    await resolveOk(reviewer, r.id, 'take_down', '违规内容', 'content', p.id, 1);
    expectProblem(await api(base, 'GET', `/api/v1/public/contents/${p.id}`), 404, 'not_found');
    expectProblem(await api(base, 'GET', `/api/v1/public/contents/${p.id}/comments`), 404,
      'not_found');
    assert.deepEqual(expectOk(await api(base, 'GET', search)).items, []);
    const own = expectOk(await api(base, 'GET', '/api/v1/inst/contents',
      { token: A.admin.token })).items.find((c) => c.id === p.id);
    assert.equal(own.content_status, 'taken_down');
  });

  test('taking an answer down keeps the question; the institution may answer again',
    async () => {
      const inv = await investorSession(base);
      const q = await askOk(asker.token, A, '赎回多久到账？');
      expectOk(await api(base, 'POST', `/api/v1/inst/questions/${q.id}/answer`,
        { token: A.admin.token, body: { answer: '很快到账。' } }));
      const r = await reportOk(inv, 'answer', q.id, 'misleading_claims');
      await resolveOk(reviewer, r.id, 'take_down', '答复不准确', 'answer', q.id, 1);
      const shown = (await questions(A)).find((x) => x.id === q.id);
      assert.ok(shown, 'the question went too');
      assert.deepEqual([shown.answer, shown.answered_ms, shown.response_ms], [null, null, null]);
      expectProblem(await report(inv.token, 'answer', q.id), 404, 'not_found');
      const a = expectOk(await api(base, 'POST', `/api/v1/inst/questions/${q.id}/answer`,
        { token: A.admin.token, body: { answer: '一般T+3个交易日到账。' } })).question;
      assert.equal(a.answer, '一般T+3个交易日到账。');
      assert.equal((await questions(A)).find((x) => x.id === q.id).answer, a.answer);
    });

  test('taking a question down hides it with its answer', async () => {
    const inv = await investorSession(base);
    const q = await askOk(asker.token, A, '有没有内部渠道买入？');
    const r = await reportOk(inv, 'question', q.id, 'illegal_fundraising');
    await resolveOk(reviewer, r.id, 'take_down', '不当提问', 'question', q.id, 1);
    assert.ok(!(await questions(A)).some((x) => x.id === q.id));
    const inst = expectOk(await api(base, 'GET', '/api/v1/inst/questions',
      { token: A.admin.token })).items;
    assert.ok(!inst.some((x) => x.id === q.id));
  });

  test('taking a zone down removes its live brand from the cached page and search',
    async () => {
      const inv = await investorSession(base);
      const v = expectOk(await api(base, 'PUT', '/api/v1/inst/zone', { token: B.admin.token,
        body: { display_name: '集资财富号', theme_color: '#1677FF', slogan: '高息集资',
          introduction: '保 本高息，欢迎加入。', modules: ['featured_products', 'qa'] } }),
      201).version;
      assert.equal(v.check.verdict, 'review');
      expectOk(await api(base, 'POST', `/api/v1/ops/zones/${v.version_id}/decision`,
        { token: reviewer.token, body: { decision: 'approve', reason: '误放行' } }));
      const page = `/api/v1/public/zones/${B.inst.id}`;
      assert.equal(expectOk(await api(base, 'GET', page)).brand.version_id, v.version_id);
      assert.equal(expectOk(await api(base, 'GET', page)).brand.display_name, '集资财富号');
      const search = `/api/v1/public/search?type=zones&q=${encodeURIComponent('集资财富')}`;
      assert.equal(expectOk(await api(base, 'GET', search)).items.length, 1);

      const r = await reportOk(inv, 'zone', B.inst.id, 'illegal_fundraising', '非法集资');
      const entry = (await queued('zone', B.inst.id))[0];
      assert.equal(entry.target.texts.display_name, '集资财富号');
      assert.equal(entry.target.texts.introduction, '保 本高息，欢迎加入。');
      expectSpans(entry.target);
      // The earlier report of B's zone is resolved with this one.
      await resolveOk(reviewer, r.id, 'take_down', '涉嫌非法集资', 'zone', B.inst.id,
        entry.reports.length);
      const after = expectOk(await api(base, 'GET', page));
      assert.equal(after.brand.version_id, null);
      assert.equal(after.brand.display_name, B.inst.name);
      assert.deepEqual(expectOk(await api(base, 'GET', search)).items, []);
      const own = expectOk(await api(base, 'GET', '/api/v1/inst/zone', { token: B.admin.token }));
      assert.equal(own.live, null);
      assert.equal(own.last_rejected.version_id, v.version_id);
      assert.equal(own.last_rejected.reason, 'taken down after a report: 涉嫌非法集资');
    });
});

// ---- audit ----

suite('audit', () => {
  test('resolutions and takedowns are audited, and the chain verifies', async () => {
    const entries = await auditAfter(base, opsAdmin.token);
    const resolves = entries.filter((e) => e.action === 'report.resolve');
    assert.deepEqual(resolves.map((e) => e.subject), s.resolved.map((x) => `report:${x.id}`));
    resolves.forEach((e, i) => {
      const x = s.resolved[i];
      assert.equal(e.actor_user_id, x.by);
      assert.deepEqual(e.detail, { decision: x.decision, reason: x.reason, target: x.target,
        reports: x.resolved });
    });
    assert.ok(entries.some((e) => e.action === 'content.decide' &&
      e.detail.decision === 'take_down' && e.detail.reason === '违规内容'));
    const verify = expectOk(await api(base, 'GET', '/api/v1/ops/audit/verify',
      { token: risk.token }));
    assert.equal(verify.ok, true);
  });
});
