// Content of a zone: articles, announcements and posts through the compliance check, the
// review queue and operator decisions, rendered safely for the public.
//
// Two live institutions, A and B, each with an admin, an operator and a compliance officer;
// a reviewer, an operations admin and a risk officer; an investor. The stories run in order:
// clean content published at once, review terms held then approved or rejected, blocking
// terms refused with their spans, edits while a published version stays up, takedowns,
// evasions inside Markdown, the dry-run check, who may do what, bad input, script as data,
// zone and content versions waiting together, and finally the audit chain and the
// moderation history of everything the file did. Every response must fit the OpenAPI
// document.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import {
  STAFF_PASSWORD, auditAfter, investorSession, login, operatorSession, setStatus,
} from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import { png } from './lib/images.mjs';
import { fileServer, sleep } from './lib/server.mjs';
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

const CONTENTS = '/api/v1/inst/contents';
const CHECK = '/api/v1/inst/contents/check';
const REVIEW = '/api/v1/ops/review';
const publicPath = (id) => `/api/v1/public/contents/${id}`;
const decisionPath = (id, version) => `/api/v1/ops/contents/${id}/versions/${version}/decision`;
const takedownPath = (id) => `/api/v1/ops/contents/${id}/takedown`;

const LINK_ATTRS = 'rel="nofollow noopener noreferrer" target="_blank"';
const NO_MATCH = { lexicon_version: 0, verdict: 'pass', match_count: 0, matches: [] };

// What the stories leave for later tests: every version saved and every decision taken.
const s = { saved: [], decided: [] };

// ---- requests ----

function create(token, body) {
  return api(base, 'POST', CONTENTS, { token, body });
}

/** Creates an item and remembers the version for the audit and moderation checks. */
async function createOk(token, body, inst = A) {
  const res = await create(token, body);
  assert.match(res.headers.get('content-type'), /^application\/json\b/);
  const saved = expectOk(res, 201);
  assert.equal(saved.version, 1);
  s.saved.push({ id: saved.id, version: 1, status: saved.status, kind: body.kind,
    inst: inst.inst.id });
  return saved;
}

function edit(token, id, body) {
  return api(base, 'PUT', `${CONTENTS}/${id}`, { token, body });
}

async function editOk(token, id, body, inst = A) {
  const saved = expectOk(await edit(token, id, body), 200);
  assert.equal(saved.id, id);
  s.saved.push({ id, version: saved.version, status: saved.status, kind: null,
    inst: inst.inst.id });
  return saved;
}

async function dryCheck(token, body) {
  return expectOk(await api(base, 'POST', CHECK, { token, body })).check;
}

function readPublic(id) {
  return api(base, 'GET', publicPath(id));
}

async function publicOk(id) {
  const res = await readPublic(id);
  assert.match(res.headers.get('content-type'), /^application\/json\b/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  return expectOk(res).content;
}

async function expectNotPublic(id) {
  expectProblem(await readPublic(id), 404, 'not_found');
}

async function ownList(token = A.admin.token) {
  return expectOk(await api(base, 'GET', CONTENTS, { token })).items;
}

async function ownItem(id, token = A.admin.token) {
  const found = (await ownList(token)).filter((i) => i.id === id);
  assert.equal(found.length, 1, `item ${id} listed ${found.length} times`);
  return found[0];
}

async function reviewQueue(token = reviewer.token) {
  return expectOk(await api(base, 'GET', REVIEW, { token })).items;
}

/** The queue's entries for content item `id`, as [version, …]. */
async function queuedVersions(id) {
  return (await reviewQueue()).filter((e) => e.kind === 'content' && e.item.id === id)
    .map((e) => e.item.version);
}

function decide(token, id, version, decision, reason) {
  return api(base, 'POST', decisionPath(id, version), { token, body: { decision, reason } });
}

async function decideOk(who, id, version, decision, reason) {
  const json = expectOk(await decide(who.token, id, version, decision, reason));
  assert.deepEqual(json, { id, version, decision });
  s.decided.push({ id, version, decision, reason, by: who.user.id, role: who.user.role });
  return json;
}

function takedown(token, id, reason) {
  return api(base, 'POST', takedownPath(id), { token, body: { reason } });
}

async function takedownOk(who, id, version, reason) {
  const json = expectOk(await takedown(who.token, id, reason));
  assert.deepEqual(json, { id, version, decision: 'take_down' });
  s.decided.push({ id, version, decision: 'take_down', reason, by: who.user.id,
    role: who.user.role });
  return json;
}

/** Rows of moderation_decisions about content, as sorted strings. */
async function moderationRows(where = "subject LIKE 'content:%'") {
  const out = await srv.sql('.mode json\nSELECT subject, decision, reason, ' +
    `CAST(decided_by AS TEXT) AS decider FROM moderation_decisions WHERE ${where};`);
  const rows = out.trim() === '' ? [] : JSON.parse(out);
  return rows.map((r) => `${r.subject} ${r.decision} ${r.decider ?? 'auto'} ${r.reason}`)
    .sort();
}

// ---- checks ----

const match = (field, start, end, text, term, severity = 'review',
  category = 'marketing_claim') => ({ field, start, end, text, term, severity, category });

/** Each match's start..end, taken from the UTF-8 bytes of its field, is its text. */
function expectSpansConsistent(check, title) {
  for (const m of check.matches) {
    const source = m.field === 'title' ? title : check.body_text;
    const bytes = Buffer.from(source, 'utf8');
    assert.equal(bytes.subarray(m.start, m.end).toString('utf8'), m.text, JSON.stringify(m));
  }
}

/** The members a version listed for its institution carries. */
function listed(saved, body, kind, contentStatus = saved.status) {
  return { id: saved.id, version: saved.version, title: body.title, body: body.body,
    status: saved.status, kind, institution_id: A.inst.id, content_status: contentStatus,
    check: saved.check };
}

function withoutTime(item) {
  const { created_ms: createdMs, ...rest } = item;
  assert.equal(typeof createdMs, 'number');
  return rest;
}

// ---- publishing at once ----

suite('clean content is published at once', () => {
  test('an article is published and served as safe HTML', async () => {
    const up = expectOk(await api(base, 'POST', '/api/v1/inst/uploads',
      { token: A.admin.token, body: png(40, 30), contentType: 'image/png' }), 201).upload;
    s.image = up;
    const body = {
      kind: 'article',
      title: '季度投资观察',
      body: [
        '# 市场回顾',
        '',
        '本季度市场**波动**加大，详见[公告](https://example.com/notice?id=1&x=2)。',
        '[点这里](javascript:alert(1)) <script>alert(1)</script>',
        `![净值走势](${up.url}) ![外部图片](https://evil.example/x.png)`,
        '',
        '- 长期持有',
        '- 分散配置',
      ].join('\n'),
    };
    const saved = await createOk(A.operator.token, body);
    assert.equal(saved.status, 'published');
    assert.deepEqual(saved.check, { ...NO_MATCH,
      body_text: '市场回顾\n本季度市场波动加大，详见公告。\n点这里 <script>alert(1)</script>\n' +
        '净值走势 外部图片\n长期持有\n分散配置\n' });

    const c = await publicOk(saved.id);
    assert.equal(c.html, [
      '<h2>市场回顾</h2>',
      '<p>本季度市场<strong>波动</strong>加大，详见<a href="https://example.com/notice?id=1&amp;' +
        `x=2" ${LINK_ATTRS}>公告</a>。`,
      '点这里 &lt;script&gt;alert(1)&lt;/script&gt;',
      `<img src="${up.url}" alt="净值走势" loading="lazy"> 外部图片</p>`,
      '<ul>',
      '<li>长期持有</li>',
      '<li>分散配置</li>',
      '</ul>',
      '',
    ].join('\n'));
    assert.ok(!c.html.includes('<script'), c.html);
    assert.ok(!/javascript:/i.test(c.html), c.html);
    assert.ok(!c.html.includes('evil.example'), c.html);
    const { published_ms: publishedMs, ...rest } = c;
    assert.deepEqual(withoutTime(rest), { id: saved.id, version: 1, title: body.title,
      body: body.body, kind: 'article', institution_id: A.inst.id, html: c.html });
    assert.ok(publishedMs >= c.created_ms);
    assert.equal(c.check, undefined, 'the public carries no review trail');
    assert.equal(c.status, undefined);

    // The institution sees it with its check; so does its compliance officer.
    const item = await ownItem(saved.id, A.compliance.token);
    assert.deepEqual(withoutTime(item), listed(saved, body, 'article'));
    assert.equal(item.created_ms, c.created_ms);
    s.article = { ...saved, body };
  });

  test('announcements and posts too, each kept as written', async () => {
    for (const kind of ['announcement', 'post']) {
      const body = { kind, title: `${kind} 标题`, body: '关于基金经理变更的公告。' };
      const saved = await createOk(A.admin.token, body);
      assert.equal(saved.status, 'published');
      const c = await publicOk(saved.id);
      assert.equal(c.kind, kind);
      assert.equal(c.html, '<p>关于基金经理变更的公告。</p>\n');
      assert.deepEqual(withoutTime(await ownItem(saved.id)), listed(saved, body, kind));
    }
  });

  test('unknown and malformed ids, and a suspended institution\'s content, are not public',
    async () => {
      expectProblem(await readPublic('1234567890123'), 404, 'not_found');
      for (const bad of ['abc', '0', '-1', '1.5']) {
        expectProblem(await readPublic(bad), 400, 'bad_request');
      }
      // An institution that is suspended takes its content with it.
      const C = await institutionWithStaff(srv);
      const saved = expectOk(await create(C.admin.token,
        { kind: 'post', title: '暂停前', body: '内容' }), 201);
      s.saved.push({ id: saved.id, version: 1, status: saved.status, kind: 'post',
        inst: C.inst.id });
      await publicOk(saved.id);
      await setStatus(base, C.ops.token, C.inst.id, 'suspended');
      await expectNotPublic(saved.id);
    });
});

// ---- held for review ----

suite('review terms hold a version for a reviewer', () => {
  test('a held version is not public; the queue shows it with exact spans', async () => {
    const body = { kind: 'article', title: '年度申购良机', body: '我们的*团队*是**最好**的。' };
    const saved = await createOk(A.operator.token, body);
    assert.equal(saved.status, 'held');
    assert.deepEqual(saved.check, {
      lexicon_version: 0,
      verdict: 'review',
      match_count: 2,
      matches: [
        match('title', 6, 18, '申购良机', '申购良机'),
        match('body_text', 18, 24, '最好', '最好'),
      ],
      body_text: '我们的团队是最好的。\n',
    });
    expectSpansConsistent(saved.check, body.title);
    await expectNotPublic(saved.id);

    const item = await ownItem(saved.id);
    assert.deepEqual(withoutTime(item), listed(saved, body, 'article'));
    const queued = (await reviewQueue()).filter((e) => e.kind === 'content' &&
      e.item.id === saved.id);
    assert.equal(queued.length, 1);
    assert.deepEqual(queued[0].item, { ...item, institution_name: A.inst.name });
    // Every operator role reads the queue; nobody else does.
    for (const who of [opsAdmin, risk]) {
      assert.ok((await reviewQueue(who.token)).some((e) => e.item.id === saved.id));
    }
    for (const token of [investor.token, A.admin.token, A.compliance.token]) {
      expectProblem(await api(base, 'GET', REVIEW, { token }), 403, 'forbidden');
    }
    s.held = { ...saved, body };
  });

  test('approving publishes it, once', async () => {
    const { id } = s.held;
    await decideOk(reviewer, id, 1, 'approve', '表述经核实，可以发布');
    const c = await publicOk(id);
    assert.equal(c.version, 1);
    assert.equal(c.title, s.held.body.title);
    assert.equal(c.html, '<p>我们的<em>团队</em>是<strong>最好</strong>的。</p>\n');
    const item = await ownItem(id);
    assert.equal(item.status, 'published');
    assert.equal(item.content_status, 'published');
    assert.deepEqual(item.check, s.held.check, 'the check of the version is kept');
    assert.deepEqual(await queuedVersions(id), []);
    for (const decision of ['approve', 'reject']) {
      expectProblem(await decide(reviewer.token, id, 1, decision, '再议'), 404, 'not_found');
    }
  });

  test('rejecting keeps it private; the item shows the rejection', async () => {
    const body = { kind: 'post', title: '限时活动', body: '欲购从速，名额有限。' };
    const saved = await createOk(A.admin.token, body);
    assert.equal(saved.status, 'held');
    assert.deepEqual(saved.check.matches, [match('body_text', 0, 12, '欲购从速', '欲购从速')]);
    const reason = '含有催促购买的表述，请修改后重新提交';
    await decideOk(opsAdmin, saved.id, 1, 'reject', reason);
    await expectNotPublic(saved.id);
    const item = await ownItem(saved.id);
    assert.equal(item.status, 'rejected');
    assert.equal(item.content_status, 'rejected');
    assert.deepEqual(await queuedVersions(saved.id), []);
    expectProblem(await decide(reviewer.token, saved.id, 1, 'approve', '改判'), 404,
      'not_found');
    // The reason is kept with the decision.
    assert.deepEqual(await moderationRows(`subject = 'content:${saved.id}:1'`), [
      `content:${saved.id}:1 auto_hold auto compliance check`,
      `content:${saved.id}:1 reject ${opsAdmin.user.id} ${reason}`,
    ].sort());
    // Rewritten, it passes and is published.
    const fixed = await editOk(A.admin.token, saved.id, { title: '限时活动',
      body: '活动详情请见公告。' });
    assert.deepEqual([fixed.version, fixed.status], [2, 'published']);
    assert.equal((await publicOk(saved.id)).version, 2);
  });
});

// ---- blocked ----

suite('blocking terms refuse a version at once', () => {
  test('the author sees every blocking match; the version never reaches the queue',
    async () => {
      const body = { kind: 'post', title: '稳健理财', body: '本基金稳赚不赔，欢迎加ＶＸ咨询。' };
      const saved = await createOk(A.operator.token, body);
      assert.equal(saved.status, 'blocked');
      assert.deepEqual(saved.check, {
        lexicon_version: 0,
        verdict: 'block',
        match_count: 3,
        matches: [
          match('body_text', 9, 15, '稳赚', '稳赚', 'block'),
          match('body_text', 9, 21, '稳赚不赔', '稳赚不赔', 'block'),
          match('body_text', 30, 39, '加ＶＸ', '加vx', 'block', 'sensitive'),
        ],
        body_text: '本基金稳赚不赔，欢迎加ＶＸ咨询。\n',
      });
      expectSpansConsistent(saved.check, body.title);
      await expectNotPublic(saved.id);
      assert.deepEqual(await queuedVersions(saved.id), []);
      assert.deepEqual(withoutTime(await ownItem(saved.id)), listed(saved, body, 'post'));
      expectProblem(await decide(reviewer.token, saved.id, 1, 'approve', '放行'), 404,
        'not_found');
      expectProblem(await takedown(reviewer.token, saved.id, '下架'), 404, 'not_found');

      // Rewritten without the claims, it is published.
      const fixed = await editOk(A.operator.token, saved.id, { title: '稳健理财',
        body: '基金有风险，投资需谨慎。' });
      assert.deepEqual([fixed.version, fixed.status], [2, 'published']);
      assert.equal((await publicOk(saved.id)).html, '<p>基金有风险，投资需谨慎。</p>\n');
    });
});

// ---- editing ----

suite('edits', () => {
  test('a held edit leaves the published version public until it is approved', async () => {
    const v1 = { kind: 'article', title: '基金经理访谈', body: '坚持**长期**投资。' };
    const saved = await createOk(A.admin.token, v1);
    assert.equal(saved.status, 'published');
    const first = await publicOk(saved.id);

    const v2 = { title: '基金经理访谈', body: '我们的业绩名列前茅。' };
    const held = await editOk(A.operator.token, saved.id, v2);
    assert.deepEqual([held.version, held.status], [2, 'held']);
    assert.deepEqual(held.check.matches, [match('body_text', 15, 27, '名列前茅', '名列前茅')]);
    assert.deepEqual(await publicOk(saved.id), first);
    const item = await ownItem(saved.id);
    assert.deepEqual([item.version, item.status, item.content_status, item.body],
      [2, 'held', 'held', v2.body]);
    assert.deepEqual(await queuedVersions(saved.id), [2]);
    // Only the held version can be decided.
    expectProblem(await decide(reviewer.token, saved.id, 1, 'approve', '旧版本'), 404,
      'not_found');
    expectProblem(await decide(reviewer.token, saved.id, 3, 'approve', '不存在'), 404,
      'not_found');

    await decideOk(reviewer, saved.id, 2, 'approve', '排名有出处');
    const second = await publicOk(saved.id);
    assert.equal(second.version, 2);
    assert.equal(second.body, v2.body);
    assert.equal(second.published_ms, first.published_ms, 'first published when it was');
    s.edited = { id: saved.id, first, second };
  });

  test('a rejected or blocked edit leaves the published version public', async () => {
    const { id, second } = s.edited;
    const held = await editOk(A.admin.token, id, { title: '唯一之选', body: '正文' });
    assert.deepEqual([held.version, held.status], [3, 'held']);
    await decideOk(reviewer, id, 3, 'reject', '“唯一”无依据');
    assert.deepEqual(await publicOk(id), second);
    assert.deepEqual([(await ownItem(id)).status, (await ownItem(id)).content_status],
      ['rejected', 'rejected']);

    const blocked = await editOk(A.admin.token, id, { title: '访谈', body: '保证收益。' });
    assert.deepEqual([blocked.version, blocked.status], [4, 'blocked']);
    assert.deepEqual(await publicOk(id), second);
    assert.equal((await ownItem(id)).content_status, 'blocked');

    const clean = await editOk(A.admin.token, id, { title: '访谈（修订）', body: '修订后的正文。' });
    assert.deepEqual([clean.version, clean.status], [5, 'published']);
    const c = await publicOk(id);
    assert.deepEqual([c.version, c.title, c.published_ms], [5, '访谈（修订）',
      second.published_ms]);
  });

  test('the kind stays as created; unknown, foreign and malformed ids are refused',
    async () => {
      const { id } = s.edited;
      expectProblem(await edit(A.admin.token, id, { kind: 'post', title: 't', body: 'b' }), 422,
        'unknown_field', 'kind');
      assert.equal((await publicOk(id)).kind, 'article');
      expectProblem(await edit(A.admin.token, '1234567890123', { title: 't', body: 'b' }), 404,
        'not_found');
      expectProblem(await edit(A.admin.token, 'abc', { title: 't', body: 'b' }), 400,
        'bad_request');
      expectProblem(await edit(A.admin.token, 'check', { title: 't', body: 'b' }), 400,
        'bad_request');
    });
});

// ---- takedown ----

suite('takedown', () => {
  test('a taken down item leaves the public view and can no longer be edited', async () => {
    const { id } = s.edited;
    for (const token of [A.admin.token, investor.token, risk.token, A.compliance.token]) {
      expectProblem(await takedown(token, id, '越权'), 403, 'forbidden');
    }
    await takedownOk(reviewer, id, 5, '经核查，内容涉嫌误导投资者');
    await expectNotPublic(id);
    const item = await ownItem(id);
    assert.deepEqual([item.version, item.status, item.content_status],
      [5, 'taken_down', 'taken_down']);
    expectProblem(await takedown(reviewer.token, id, '再次下架'), 404, 'not_found');
    expectProblem(await edit(A.admin.token, id, { title: '申诉', body: '重新发布' }), 404,
      'not_found');
    expectProblem(await decide(reviewer.token, id, 5, 'approve', '恢复'), 404, 'not_found');
    await expectNotPublic(id);
  });

  test('the zone page shows the latest published articles and announcements, nothing else',
    async () => {
      const C = await institutionWithStaff(srv);
      const zone = async () => expectOk(await api(base, 'GET',
        `/api/v1/public/zones/${C.inst.id}`)).modules;
      const art = await createOk(C.admin.token, { kind: 'article', title: '债券基金入门',
        body: '久期与信用。' }, C);
      const note = await createOk(C.admin.token, { kind: 'announcement', title: '分红公告',
        body: '每十份派发0.05元。' }, C);
      const held = await createOk(C.admin.token, { kind: 'article', title: '稳健之选',
        body: '本产品保本。' }, C);
      assert.equal(held.status, 'held');
      await createOk(C.admin.token, { kind: 'post', title: '动态', body: '净值已更新。' }, C);
      let m = await zone();
      assert.deepEqual(m.articles.map((x) => [x.content_id, x.title, x.kind]),
        [[art.id, '债券基金入门', 'article']]);
      assert.deepEqual(m.announcements.map((x) => x.content_id), [note.id]);
      assert.equal(m.articles[0].excerpt, '久期与信用。');
      // A takedown leaves the page at once (the cached page is keyed by the store's commits).
      await takedownOk(reviewer, art.id, 1, '核查下架');
      m = await zone();
      assert.deepEqual(m.articles, []);
      assert.deepEqual(m.announcements.map((x) => x.content_id), [note.id]);
      await decideOk(reviewer, held.id, 1, 'reject', '“保本”无依据');
    });

  test('an operations admin takes down too; an item never published cannot be', async () => {
    const { id } = await createOk(A.admin.token, { kind: 'post', title: '动态',
      body: '今日净值已更新。' });
    await takedownOk(opsAdmin, id, 1, '重复发布');
    await expectNotPublic(id);
    const held = await createOk(A.admin.token, { kind: 'post', title: '首只产品',
      body: '敬请期待。' });
    assert.equal(held.status, 'held');
    expectProblem(await takedown(reviewer.token, held.id, '未发布'), 404, 'not_found');
    expectProblem(await takedown(reviewer.token, '1234567890123', '不存在'), 404, 'not_found');
    await decideOk(reviewer, held.id, 1, 'reject', '“首只”无依据');
  });
});

// ---- evasion ----

suite('evasion inside Markdown', () => {
  test('spaced, zero-width and full-width review terms in bold, link texts and image alts ' +
    'are held, their spans pointing at what a reader sees', async () => {
    const body = {
      kind: 'article',
      title: '目标１００％收益',
      body: `**保\u200b本**设计，详见[零 风 险说明](https://example.com/a)。\n\n` +
        `![无\u3000风险](${s.image.url})`,
    };
    const saved = await createOk(A.admin.token, body);
    assert.equal(saved.status, 'held');
    assert.deepEqual(saved.check, {
      lexicon_version: 0,
      verdict: 'review',
      match_count: 4,
      matches: [
        match('title', 6, 24, '１００％收益', '100%收益'),
        match('body_text', 0, 9, '保\u200b本', '保本'),
        match('body_text', 24, 35, '零 风 险', '零风险'),
        match('body_text', 45, 57, '无\u3000风险', '无风险'),
      ],
      body_text: `保\u200b本设计，详见零 风 险说明。\n无\u3000风险\n`,
    });
    expectSpansConsistent(saved.check, body.title);
    const queued = (await reviewQueue()).find((e) => e.item.id === saved.id);
    assert.deepEqual(queued.item.check, saved.check);
    await expectNotPublic(saved.id);
    await decideOk(reviewer, saved.id, 1, 'reject', '含保本、零风险等承诺');
  });

  test('blocking terms split by markup, spaced or in other scripts are blocked', async () => {
    const cases = [
      // [body, [text, term, category] of each match]
      ['稳**赚**不赔！', [['稳赚', '稳赚'], ['稳赚不赔', '稳赚不赔']]],
      ['![加 Ｗ Ｘ](https://evil.example/qr.png)', [['加 Ｗ Ｘ', '加wx', 'sensitive']]],
      ['[加w\u0445](mailto:a@example.com)领取资料', [['加w\u0445', '加wx', 'sensitive']]],
      ['穩\u200b賺，`只涨不跌`', [['穩\u200b賺', '穩賺'], ['只涨不跌', '只涨不跌']]],
      ['> 稳 赢', [['稳 赢', '稳赢']]],
      ['- 绝对\u00a0安全', [['绝对\u00a0安全', '绝对安全']]],
    ];
    for (const [md, want] of cases) {
      const body = { kind: 'post', title: '理财小贴士', body: md };
      const check = await dryCheck(A.compliance.token, { title: body.title, body: md });
      assert.equal(check.verdict, 'block', md);
      assert.deepEqual(check.matches.map((m) => [m.field, m.text, m.term, m.severity,
        m.category]), want.map(([text, term, category = 'marketing_claim']) =>
        ['body_text', text, term, 'block', category]), md);
      expectSpansConsistent(check, body.title);
      const saved = await createOk(A.operator.token, body);
      assert.equal(saved.status, 'blocked', md);
      assert.deepEqual(saved.check, check, md);
      await expectNotPublic(saved.id);
    }
  });
});

// ---- the dry-run check ----

suite('the dry-run check', () => {
  test('answers what a save would, and stores nothing', async () => {
    const before = {
      list: await ownList(),
      queue: await reviewQueue(),
      audit: (await auditAfter(base, opsAdmin.token)).length,
      moderation: await moderationRows('1 = 1'),
    };
    const texts = [
      { title: '稳健', body: '长期持有。' },
      { title: '最佳', body: '业绩*稳健*。' },
      { title: '标题', body: '稳赚不赔' },
    ];
    const checks = [];
    for (const t of texts) {
      for (const token of [A.admin.token, A.operator.token, A.compliance.token]) {
        checks.push(await dryCheck(token, t));
      }
    }
    assert.deepEqual(checks.map((c) => c.verdict), ['pass', 'pass', 'pass', 'review', 'review',
      'review', 'block', 'block', 'block']);
    assert.deepEqual(checks[0], { ...NO_MATCH, body_text: '长期持有。\n' });
    // Bad bodies are refused as on a save.
    for (const bad of ['a\u0001b', '> > > > > 五层引用']) {
      expectProblem(await api(base, 'POST', CHECK, { token: A.admin.token,
        body: { title: 't', body: bad } }), 422, 'invalid_field', 'body');
    }
    expectProblem(await api(base, 'POST', CHECK, { token: A.admin.token,
      body: { kind: 'post', title: 't', body: 'b' } }), 422, 'unknown_field', 'kind');
    for (const token of [investor.token, reviewer.token, opsAdmin.token]) {
      expectProblem(await api(base, 'POST', CHECK, { token, body: texts[0] }), 403,
        'forbidden');
    }
    assert.deepEqual(await ownList(), before.list);
    assert.deepEqual(await reviewQueue(), before.queue);
    assert.equal((await auditAfter(base, opsAdmin.token)).length, before.audit);
    assert.deepEqual(await moderationRows('1 = 1'), before.moderation);

    // Saved, the same texts get the same checks.
    const saved = await createOk(A.admin.token, { kind: 'post', ...texts[1] });
    assert.deepEqual(saved.check, checks[3]);
    await decideOk(reviewer, saved.id, 1, 'reject', '试查后清理');
  });
});

// ---- who may ----

suite('who may write, read and decide', () => {
  test('another institution\'s staff can neither edit nor see an item', async () => {
    const { id, body } = s.article;
    const bIds = new Set();
    for (const token of [B.admin.token, B.operator.token]) {
      expectProblem(await edit(token, id, { title: '篡改', body: '篡改' }), 404, 'not_found');
    }
    const own = await createOk(B.admin.token, { kind: 'post', title: 'B 的动态', body: 'B' }, B);
    for (const token of [B.admin.token, B.compliance.token]) {
      for (const item of await ownList(token)) {
        assert.equal(item.institution_id, B.inst.id);
        bIds.add(item.id);
      }
    }
    assert.deepEqual([...bIds], [own.id]);
    assert.ok(!(await ownList()).some((i) => i.id === own.id));
    // Asking for A's items by name changes nothing.
    const asked = expectOk(await api(base, 'GET', `${CONTENTS}?institution_id=${A.inst.id}`,
      { token: B.compliance.token })).items;
    assert.deepEqual(asked.map((i) => i.id), [own.id]);
    const c = await publicOk(id);
    assert.deepEqual([c.version, c.title, c.body], [1, body.title, body.body]);
  });

  test('only the institution\'s admins and operators write', async () => {
    const body = { kind: 'post', title: '越权', body: '越权' };
    for (const token of [investor.token, A.compliance.token, B.compliance.token,
      reviewer.token, opsAdmin.token, risk.token]) {
      expectProblem(await create(token, body), 403, 'forbidden');
      expectProblem(await edit(token, s.article.id, { title: 't', body: 'b' }), 403,
        'forbidden');
    }
    for (const token of [investor.token, reviewer.token]) {
      expectProblem(await api(base, 'GET', CONTENTS, { token }), 403, 'forbidden');
    }
    expectProblem(await create(undefined, body), 401, 'unauthenticated');
    expectProblem(await api(base, 'GET', CONTENTS), 401, 'unauthenticated');
    expectProblem(await api(base, 'POST', CHECK, { body }), 401, 'unauthenticated');
    // A cookie session needs the CSRF header.
    const cookie = await login(base, A.admin.login, STAFF_PASSWORD);
    expectProblem(await api(base, 'POST', CONTENTS, { session: cookie, csrf: false, body }), 403,
      'csrf_failed');
    expectProblem(await api(base, 'POST', CHECK, { session: cookie, csrf: false,
      body: { title: 't', body: 'b' } }), 403, 'csrf_failed');
    assert.ok(!(await ownList()).some((i) => i.title === '越权'));
  });

  test('only reviewers and operations admins decide, and only held versions', async () => {
    const held = await createOk(A.admin.token, { kind: 'post', title: '最强组合', body: '组合' });
    assert.equal(held.status, 'held');
    for (const token of [A.admin.token, A.compliance.token, B.admin.token, investor.token,
      risk.token]) {
      expectProblem(await decide(token, held.id, 1, 'approve', '越权'), 403, 'forbidden');
    }
    expectProblem(await decide(undefined, held.id, 1, 'approve', '越权'), 401,
      'unauthenticated');
    // Published, blocked and unknown versions are not held.
    const published = s.article.id;
    expectProblem(await decide(reviewer.token, published, 1, 'reject', '已发布'), 404,
      'not_found');
    expectProblem(await decide(reviewer.token, held.id, 2, 'approve', '无此版本'), 404,
      'not_found');
    expectProblem(await decide(reviewer.token, '1234567890123', 1, 'approve', '无此内容'), 404,
      'not_found');
    for (const [id, version] of [['abc', 1], [held.id, 'abc'], [held.id, 0], [held.id, -1]]) {
      expectProblem(await decide(reviewer.token, id, version, 'approve', '格式'), 400,
        'bad_request');
    }
    // Bad decisions.
    expectProblem(await decide(reviewer.token, held.id, 1, 'maybe', '不确定'), 422,
      'invalid_field', 'decision');
    expectProblem(await decide(reviewer.token, held.id, 1, 'take_down', '不确定'), 422,
      'invalid_field', 'decision');
    expectProblem(await decide(reviewer.token, held.id, 1, 'approve', ''), 422,
      'invalid_field', 'reason');
    expectProblem(await decide(reviewer.token, held.id, 1, 'approve', '理'.repeat(501)), 422,
      'invalid_field', 'reason');
    expectProblem(await api(base, 'POST', decisionPath(held.id, 1),
      { token: reviewer.token, body: { decision: 'approve' } }), 422, 'missing_field', 'reason');
    expectProblem(await api(base, 'POST', decisionPath(held.id, 1),
      { token: reviewer.token, body: { decision: 'approve', reason: '好', version: 2 } }), 422,
    'unknown_field', 'version');
    expectProblem(await api(base, 'POST', takedownPath(published),
      { token: reviewer.token, body: {} }), 422, 'missing_field', 'reason');
    expectProblem(await api(base, 'POST', takedownPath(published),
      { token: reviewer.token, body: { reason: '下架', decision: 'approve' } }), 422,
    'unknown_field', 'decision');
    expectProblem(await takedown(reviewer.token, published, '理'.repeat(501)), 422,
      'invalid_field', 'reason');
    await publicOk(published);
    assert.deepEqual(await queuedVersions(held.id), [1]);
    await decideOk(reviewer, held.id, 1, 'approve', '理'.repeat(500));
    assert.equal((await publicOk(held.id)).title, '最强组合');
  });
});

// ---- bad input ----

suite('bad input', () => {
  test('bad kinds, titles and bodies are 422 and store nothing', async () => {
    const good = { kind: 'article', title: '标题', body: '正文' };
    const before = await ownList();
    const auditBefore = (await auditAfter(base, opsAdmin.token)).length;
    const cases = [
      [{ kind: 'news' }, 'invalid_field', 'kind'],
      [{ kind: 'Article' }, 'invalid_field', 'kind'],
      [{ kind: '' }, 'invalid_field', 'kind'],
      [{ kind: 1 }, 'invalid_field', 'kind'],
      [{ kind: null }, 'invalid_field', 'kind'],
      [{ kind: undefined }, 'missing_field', 'kind'],
      [{ title: '' }, 'invalid_field', 'title'],
      [{ title: '题'.repeat(101) }, 'invalid_field', 'title'],
      [{ title: ['标题'] }, 'invalid_field', 'title'],
      [{ title: undefined }, 'missing_field', 'title'],
      [{ body: '' }, 'invalid_field', 'body'],
      [{ body: 'a'.repeat(61441) }, 'invalid_field', 'body'],
      [{ body: 42 }, 'invalid_field', 'body'],
      [{ body: undefined }, 'missing_field', 'body'],
      [{ body: '控制\u0001字符' }, 'invalid_field', 'body'],
      [{ body: '删除\u007f字符' }, 'invalid_field', 'body'],
      [{ body: 'C1\u0085字符' }, 'invalid_field', 'body'],
      [{ body: '行\n'.repeat(4097) }, 'invalid_field', 'body'],
      [{ body: '> > > > > 五层引用' }, 'invalid_field', 'body'],
      [{ body: '*a **b *c **d *e **f *g **h *i 九层* h** g* f** e* d** c* b** a*' },
        'invalid_field', 'body'],
      [{ status: 'published' }, 'unknown_field', 'status'],
      [{ institution_id: B.inst.id }, 'unknown_field', 'institution_id'],
    ];
    for (const [overrides, code, field] of cases) { // undefined members are not sent
      const body = { ...good, ...overrides };
      expectProblem(await create(A.admin.token, body), 422, code, field);
      if (code !== 'unknown_field' && field !== 'kind') {
        const { kind: _, ...texts } = body;
        expectProblem(await edit(A.admin.token, s.article.id, texts), 422, code, field);
      }
    }
    expectProblem(await api(base, 'POST', CONTENTS, { token: A.admin.token, body: '{' }), 400,
      'bad_json');
    expectProblem(await api(base, 'POST', CONTENTS, { token: A.admin.token, body: '[]' }), 422);
    expectProblem(await api(base, 'POST', CONTENTS, { token: A.admin.token, body: good,
      contentType: 'text/plain' }), 415, 'unsupported_media_type');
    expectProblem(await api(base, 'POST', CONTENTS, { token: A.admin.token,
      body: { ...good, body: 'a'.repeat(64 * 1024) } }), 413, 'body_too_large');
    assert.deepEqual(await ownList(), before);
    assert.equal((await auditAfter(base, opsAdmin.token)).length, auditBefore);
  });

  test('the limits themselves are accepted', async () => {
    const longest = await createOk(A.admin.token, { kind: 'article', title: '题'.repeat(100),
      body: 'a'.repeat(61440) });
    assert.equal(longest.status, 'published');
    assert.equal(longest.check.body_text, `${'a'.repeat(61440)}\n`);
    const c = await publicOk(longest.id);
    assert.equal(c.html, `<p>${'a'.repeat(61440)}</p>\n`);
    const lines = await createOk(A.admin.token, { kind: 'article', title: '四千行',
      body: '行\n'.repeat(4095) + '行' });
    assert.equal(lines.status, 'published');
    const deep = await createOk(A.admin.token, { kind: 'article', title: '四层引用',
      body: '> > > > 四层引用' });
    assert.equal((await publicOk(deep.id)).html, `${'<blockquote>\n'.repeat(4)}<p>四层引用</p>\n` +
      '</blockquote>\n'.repeat(4));
  });

  test('script in the title and body is data: JSON strings and escaped HTML', async () => {
    const script = '<script>alert(1)</script>';
    const body = {
      kind: 'article',
      title: `${script}"'&`,
      body: [
        `${script}<img src=x onerror="alert(2)">&lt;b&gt;`,
        '[a](javascript:alert(3)) [b](JAVASCRIPT:alert(4)) [c](java\tscript:alert(5))',
        '[d](data:text/html,alert(6)) [e](//evil.example) [f](vbscript:msgbox) [g](/relative)',
        '![h](javascript:alert(7)) ![i](/uploads/../etc/passwd) `<b>code</b>`',
        '[j](https://example.com/"onmouseover="alert(8))',
      ].join('\n'),
    };
    const res = await create(A.admin.token, body);
    assert.equal(res.status, 201, res.text);
    assert.match(res.headers.get('content-type'), /^application\/json\b/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    s.saved.push({ id: res.json.id, version: 1, status: res.json.status, kind: 'article',
      inst: A.inst.id });
    assert.equal(res.json.status, 'published');
    const c = await publicOk(res.json.id);
    assert.equal(c.title, body.title);
    assert.equal(c.body, body.body);
    assert.equal(c.html, '<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=' +
      '&quot;alert(2)&quot;&gt;&amp;lt;b&amp;gt;\n' +
      'a b c\n' +
      'd e f g\n' +
      'h i <code>&lt;b&gt;code&lt;/b&gt;</code>\n' +
      '<a href="https://example.com/&quot;onmouseover=&quot;alert(8)" ' +
      `${LINK_ATTRS}>j</a></p>\n`);
    for (const bad of ['<script', '<img', 'javascript:', 'data:', 'vbscript:', '//evil',
      'href="/']) {
      assert.ok(!c.html.toLowerCase().includes(bad), `${bad} in ${c.html}`);
    }
    const item = await ownItem(res.json.id);
    assert.equal(item.title, body.title);
    assert.equal(item.body, body.body);
  });
});

// ---- the review queue ----

suite('review queue', () => {
  function brand(slogan) {
    return { display_name: '排队财富号', theme_color: '#1677FF', slogan,
      introduction: '测试排队顺序。', modules: ['articles'] };
  }

  test('zone versions and held content wait together, oldest first', async () => {
    const order = [];
    const zoneB = expectOk(await api(base, 'PUT', '/api/v1/inst/zone',
      { token: B.admin.token, body: brand('B 的口号') }), 201).version;
    order.push(['zone', zoneB.version_id]);
    await sleep(5);
    const contentA = await createOk(A.admin.token, { kind: 'post', title: '抢购开始', body: '一' });
    order.push(['content', contentA.id]);
    await sleep(5);
    const zoneA = expectOk(await api(base, 'PUT', '/api/v1/inst/zone',
      { token: A.admin.token, body: brand('A 的口号') }), 201).version;
    order.push(['zone', zoneA.version_id]);
    await sleep(5);
    const contentB = await createOk(B.operator.token, { kind: 'post', title: '业绩第一',
      body: '二' }, B);
    order.push(['content', contentB.id]);

    const queue = await reviewQueue(risk.token);
    const key = (e) => [e.kind, e.kind === 'zone' ? e.item.version_id : e.item.id];
    const positions = order.map((o) => queue.findIndex((e) =>
      JSON.stringify(key(e)) === JSON.stringify(o)));
    assert.ok(positions.every((p) => p >= 0), JSON.stringify(positions));
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'oldest first');
    const waited = queue.map((e) => e.item.submitted_ms ?? e.item.created_ms);
    assert.deepEqual([...waited].sort((a, b) => a - b), waited, JSON.stringify(waited));
    for (const e of queue) {
      if (e.kind === 'content') assert.equal(e.item.status, 'held');
      else assert.equal(e.item.status, 'pending');
    }
    const entryB = queue[positions[3]].item;
    assert.deepEqual([entryB.institution_id, entryB.institution_name, entryB.kind],
      [B.inst.id, B.inst.name, 'post']);

    await decideOk(reviewer, contentA.id, 1, 'reject', '催促购买');
    await decideOk(reviewer, contentB.id, 1, 'reject', '排名无出处');
    for (const v of [zoneA, zoneB]) {
      expectOk(await api(base, 'POST', `/api/v1/ops/zones/${v.version_id}/decision`,
        { token: reviewer.token, body: { decision: 'reject', reason: '测试后清理' } }));
    }
    const after = (await reviewQueue()).map(key).map((k) => JSON.stringify(k));
    for (const o of order) assert.ok(!after.includes(JSON.stringify(o)), JSON.stringify(o));
  });
});

// ---- audit and moderation history ----

suite('audit and moderation history', () => {
  test('every save and decision is audited and kept, and the chain verifies', async () => {
    const entries = await auditAfter(base, opsAdmin.token);
    const saves = entries.filter((e) => e.action === 'content.save');
    const decides = entries.filter((e) => e.action === 'content.decide');
    assert.deepEqual(saves.map((e) => e.subject),
      s.saved.map((x) => `content:${x.id}:${x.version}`));
    saves.forEach((e, i) => {
      const x = s.saved[i];
      assert.equal(e.institution_id, x.inst);
      assert.ok(['inst_admin', 'inst_operator'].includes(e.actor_role), e.actor_role);
      assert.equal(e.detail.status, x.status, e.subject);
      if (x.kind !== null) assert.equal(e.detail.kind, x.kind, e.subject);
    });
    assert.deepEqual(decides.map((e) => e.subject),
      s.decided.map((x) => `content:${x.id}:${x.version}`));
    decides.forEach((e, i) => {
      const x = s.decided[i];
      assert.equal(e.actor_user_id, x.by);
      assert.equal(e.actor_role, x.role);
      assert.deepEqual(e.detail, { decision: x.decision, reason: x.reason });
    });

    const auto = { published: 'auto_pass', held: 'auto_hold', blocked: 'auto_block' };
    const want = [
      ...s.saved.map((x) => `content:${x.id}:${x.version} ${auto[x.status]} auto ` +
        'compliance check'),
      ...s.decided.map((x) => `content:${x.id}:${x.version} ${x.decision} ${x.by} ${x.reason}`),
    ].sort();
    assert.deepEqual(await moderationRows(), want);

    const verify = expectOk(await api(base, 'GET', '/api/v1/ops/audit/verify',
      { token: risk.token }));
    assert.equal(verify.ok, true);
    assert.equal(verify.checked, entries.length);
  });
});
