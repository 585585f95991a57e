// Notifications: when a reviewer decides about something a user wrote, its author learns the
// outcome and the reason, in the same write as the decision. Staff are told about their
// content versions, zone versions, messages and fund manager versions, and about their answers
// and live brands taken down after a report; investors about their questions and comments.
// When reports are resolved, every investor who filed one of them is told the outcome. Nobody
// sees another user's notifications.
//
// Institution A with an admin, an operator and a compliance officer; institution B; a
// reviewer; investors (two from the start, more as the stories need them). Every response
// must fit the OpenAPI document.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { investorSession, operatorSession } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import { fileServer } from './lib/server.mjs';
import { api, checkContract, institutionWithStaff } from './lib/trading.mjs';

const srv = await fileServer();
const base = srv.base;
checkContract(await loadOpenApi(base));

const A = await institutionWithStaff(srv);
const B = await institutionWithStaff(srv);
const reviewer = await operatorSession(srv, 'ops_reviewer');
const investor = await investorSession(base);
const other = await investorSession(base);
for (const who of [investor, other]) who.kind = 'investor';
for (const who of [A.admin, A.operator, A.compliance, B.admin, B.operator, B.compliance]) {
  who.kind = 'inst';
}

const listPath = (who) => `/api/v1/${who.kind}/notifications`;

/** Every notification of `who`, page by page, newest first: {items, unread}. */
async function notes(who, limit = 200) {
  const items = [];
  let cursor = null;
  let unread = null;
  for (let page = 0; page < 100; page++) {
    const q = cursor ? `?limit=${limit}&cursor=${cursor}` : `?limit=${limit}`;
    const json = expectOk(await api(base, 'GET', listPath(who) + q, { token: who.token }));
    items.push(...json.items);
    unread ??= json.unread;
    cursor = json.next_cursor;
    if (cursor === null) break;
  }
  const ids = items.map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length, 'a notification repeated across pages');
  return { items, unread };
}

const counts = new Map(); // user id → notifications expected so far

/** Asserts that `who` got exactly one new notification, newest, and answers it. */
async function expectNew(who, kind, subject, ...words) {
  const want = (counts.get(who.user.id) ?? 0) + 1;
  counts.set(who.user.id, want);
  const { items } = await notes(who);
  assert.equal(items.length, want, `${who.user.login}: ${JSON.stringify(items)}`);
  const n = items[0];
  assert.equal(n.kind, kind);
  assert.equal(n.subject, subject);
  assert.equal(n.read, false);
  assert.equal(n.read_ms, null);
  for (const w of words) assert.ok(n.text.includes(w), `"${w}" not in "${n.text}"`);
  return n;
}

// Everyone whose notifications are checked: the staff, the investors, and every investor a
// story adds with `newInvestor`.
const people = [A.admin, A.operator, A.compliance, B.admin, B.operator, B.compliance, investor,
  other];

async function newInvestor() {
  const who = await investorSession(base);
  who.kind = 'investor';
  people.push(who);
  return who;
}

/** Asserts that nobody but the counted recipients has any notification. */
async function expectOthersUntold() {
  for (const who of people) {
    const { items } = await notes(who);
    assert.equal(items.length, counts.get(who.user.id) ?? 0, `${who.user.login} was told`);
  }
}

function decide(path, decision, reason) {
  return api(base, 'POST', path, { token: reviewer.token, body: { decision, reason } });
}

const s = {};

suite('each decision tells its author', () => {
  test('content: approve, reject and take down, each to the version\'s author', async () => {
    // A clean save publishes at once: no reviewer, nobody told.
    const clean = expectOk(await api(base, 'POST', '/api/v1/inst/contents', { token:
      A.admin.token, body: { kind: 'post', title: '日常动态', body: '长期持有。' } }), 201);
    assert.equal(clean.status, 'published');
    await expectOthersUntold();

    const held = expectOk(await api(base, 'POST', '/api/v1/inst/contents', { token:
      A.operator.token, body: { kind: 'article', title: '最好的配置', body: '观点。' } }), 201);
    assert.equal(held.status, 'held');
    const v1 = `/api/v1/ops/contents/${held.id}/versions/1/decision`;
    expectOk(await decide(v1, 'approve', '用语可接受'));
    s.contentApproved = await expectNew(A.operator, 'content_approved',
      `content:${held.id}:1`, '最好的配置', '第1版', '用语可接受');

    const edit = expectOk(await api(base, 'PUT', `/api/v1/inst/contents/${held.id}`, { token:
      A.admin.token, body: { title: '唯一的配置', body: '新版。' } }));
    assert.equal(edit.status, 'held');
    expectOk(await decide(`/api/v1/ops/contents/${held.id}/versions/2/decision`, 'reject',
      '绝对化用语'));
    await expectNew(A.admin, 'content_rejected', `content:${held.id}:2`, '唯一的配置',
      '第2版', '绝对化用语');

    // The takedown acts on the published version 1: its author, the operator, is told.
    expectOk(await api(base, 'POST', `/api/v1/ops/contents/${held.id}/takedown`,
      { token: reviewer.token, body: { reason: '投诉属实' } }));
    await expectNew(A.operator, 'content_taken_down', `content:${held.id}:1`, '最好的配置',
      '投诉属实');
    // A decision that finds nothing to decide tells nobody.
    expectProblem(await decide(v1, 'reject', '再次'), 404, 'not_found');
    await expectOthersUntold();
  });

  test('zone versions: approve and reject, each to the version\'s submitter', async () => {
    const brand = (name) => ({ display_name: name, theme_color: '#1677FF', slogan: '长期投资',
      introduction: '专注长期。', modules: ['featured_products', 'qa'] });
    const first = expectOk(await api(base, 'PUT', '/api/v1/inst/zone',
      { token: A.admin.token, body: brand('A财富号') }), 201).version;
    expectOk(await decide(`/api/v1/ops/zones/${first.version_id}/decision`, 'approve', '通过'));
    await expectNew(A.admin, 'zone_approved', `zone:${first.version_id}`, 'A财富号', '通过');
    const second = expectOk(await api(base, 'PUT', '/api/v1/inst/zone',
      { token: A.operator.token, body: brand('A财富号二') }), 201).version;
    expectOk(await decide(`/api/v1/ops/zones/${second.version_id}/decision`, 'reject',
      'logo 不清晰'));
    await expectNew(A.operator, 'zone_rejected', `zone:${second.version_id}`, 'A财富号二',
      'logo 不清晰');
    await expectOthersUntold();
  });

  test('messages: approve and reject, each to its sender', async () => {
    const sendHeld = async (who, title) => {
      const m = expectOk(await api(base, 'POST', '/api/v1/inst/messages', { token: who.token,
        body: { audience: 'followers', title, body: '说明。' } }), 201).message;
      assert.equal(m.status, 'held');
      return m;
    };
    const m1 = await sendHeld(A.operator, '最好的时机');
    expectOk(await decide(`/api/v1/ops/messages/${m1.id}/decision`, 'approve', '可以发送'));
    await expectNew(A.operator, 'message_approved', `message:${m1.id}`, '最好的时机',
      '可以发送');
    const m2 = await sendHeld(B.admin, '唯一机会');
    expectOk(await decide(`/api/v1/ops/messages/${m2.id}/decision`, 'reject', '诱导性'));
    await expectNew(B.admin, 'message_rejected', `message:${m2.id}`, '唯一机会', '诱导性');
    await expectOthersUntold();
  });

  test('questions: approve and reject, each to the investor who asked', async () => {
    const ask = async (body) => {
      const q = expectOk(await api(base, 'POST', '/api/v1/investor/questions', { token:
        investor.token, body: { institution_id: A.inst.id, body } }), 201).question;
      assert.equal(q.status, 'held');
      return q;
    };
    const long = `哪只基金最好？${'请详细说明'.repeat(40)}`;
    const q1 = await ask(long);
    expectOk(await decide(`/api/v1/ops/questions/${q1.id}/decision`, 'approve', '正常提问'));
    const n = await expectNew(investor, 'question_approved', `question:${q1.id}`,
      '哪只基金最好？请详细说明', '…', '正常提问');
    assert.ok(n.text.length < long.length, 'the question is quoted, not copied whole');
    const q2 = await ask('唯一能买的是哪只？');
    expectOk(await decide(`/api/v1/ops/questions/${q2.id}/decision`, 'reject', '重复提问'));
    await expectNew(investor, 'question_rejected', `question:${q2.id}`, '唯一能买的是哪只？',
      '重复提问');
    await expectOthersUntold();
  });

  test('comments: approve and reject, each to the investor who wrote it', async () => {
    const post = expectOk(await api(base, 'POST', '/api/v1/inst/contents', { token:
      A.admin.token, body: { kind: 'article', title: '评论区', body: '欢迎讨论。' } }), 201);
    assert.equal(post.status, 'published');
    s.post = post;
    const writer = await newInvestor();
    const comment = async (body) => {
      const c = expectOk(await api(base, 'POST', '/api/v1/investor/comments', { token:
        writer.token, body: { content_id: post.id, body } }), 201).comment;
      assert.equal(c.status, 'held');
      return c;
    };
    const long = `这是市面上最好的基金${'，值得长期持有'.repeat(20)}`;
    const c1 = await comment(long);
    expectOk(await decide(`/api/v1/ops/comments/${c1.id}/decision`, 'approve', '观点表达'));
    const n = await expectNew(writer, 'comment_approved', `comment:${c1.id}`,
      '这是市面上最好的基金', '…', '观点表达');
    assert.ok(n.text.length < long.length, 'the comment is quoted, not copied whole');
    const c2 = await comment('唯一值得买的基金');
    expectOk(await decide(`/api/v1/ops/comments/${c2.id}/decision`, 'reject', '绝对化表述'));
    await expectNew(writer, 'comment_rejected', `comment:${c2.id}`, '唯一值得买的基金',
      '绝对化表述');
    // Nothing left to decide: nobody is told again.
    expectProblem(await decide(`/api/v1/ops/comments/${c2.id}/decision`, 'approve', '再议'),
      404, 'not_found');
    await expectOthersUntold();
  });

  test('fund manager versions: approve and reject, each to the staff member who saved it',
    async () => {
      const profile = (who, extra) => ({ name: '王五', title: '基金经理', years_experience: 8,
        bio: '八年投资研究经验。', product_ids: [], ...extra, token: who.token });
      const save = async (method, path, { token, ...body }) => {
        const m = expectOk(await api(base, method, path, { token, body }),
          method === 'POST' ? 201 : 200).manager;
        assert.equal(m.pending?.status, 'pending', JSON.stringify(m));
        return m;
      };
      // The operator saves version 1; the admin saves version 2.
      const m = await save('POST', '/api/v1/inst/managers',
        profile(A.operator, { bio: '管理的产品业绩排名第一，值得信赖。' }));
      const path = (v) => `/api/v1/ops/managers/${m.id}/versions/${v}/decision`;
      expectOk(await decide(path(1), 'approve', '业绩表述有据可查'));
      await expectNew(A.operator, 'manager_approved', `manager:${m.id}:1`, '王五', '第1版',
        '业绩表述有据可查');
      const m2 = await save('PUT', `/api/v1/inst/managers/${m.id}`,
        profile(A.admin, { title: '最好的基金经理' }));
      assert.equal(m2.pending.version, 2);
      expectOk(await decide(path(2), 'reject', '夸大表述'));
      await expectNew(A.admin, 'manager_rejected', `manager:${m.id}:2`, '王五', '第2版',
        '夸大表述');
      await expectOthersUntold();
    });
});

suite('resolving reports tells each reporter, and on a takedown the author', () => {
  const report = async (who, kind, id) => expectOk(await api(base, 'POST',
    '/api/v1/investor/reports', { token: who.token, body: { target_kind: kind, target_id: id,
      category: 'misleading_claims' } }), 201).report;
  const resolve = async (r, decision, reason) => expectOk(await api(base, 'POST',
    `/api/v1/ops/reports/${r.id}/resolution`, { token: reviewer.token,
    body: { decision, reason } }));

  test('a dismissal tells every reporter of the target, the author nobody', async () => {
    const p = expectOk(await api(base, 'POST', '/api/v1/inst/contents', { token: A.admin.token,
      body: { kind: 'post', title: '季度回顾', body: '平稳运行。' } }), 201);
    const [one, two, bystander] = [await newInvestor(), await newInvestor(), await newInvestor()];
    const r1 = await report(one, 'content', p.id);
    const r2 = await report(two, 'content', p.id);
    // An open report of another target stays open, and its reporter is not told.
    await report(bystander, 'content', s.post.id);
    assert.equal((await resolve(r1, 'dismiss', '内容正常')).resolved, 2);
    for (const [who, r] of [[one, r1], [two, r2]]) {
      await expectNew(who, 'report_dismissed', `report:${r.id}`, '内容', '季度回顾', '保留',
        '内容正常');
    }
    await expectOthersUntold();
  });

  test('a content taken down: the reporter, and the author of the published version',
    async () => {
      const p = expectOk(await api(base, 'POST', '/api/v1/inst/contents', { token:
        A.operator.token, body: { kind: 'post', title: '高息理财', body: '年化收益。' } }), 201);
      const who = await newInvestor();
      const r = await report(who, 'content', p.id);
      await resolve(r, 'take_down', '虚假宣传');
      await expectNew(who, 'report_upheld', `report:${r.id}`, '内容', '高息理财', '已下架',
        '虚假宣传');
      await expectNew(A.operator, 'content_taken_down', `content:${p.id}:1`, '高息理财',
        '虚假宣传');
      await expectOthersUntold();
    });

  test('a comment taken down: every reporter, and the investor who wrote it', async () => {
    const writer = await newInvestor();
    const c = expectOk(await api(base, 'POST', '/api/v1/investor/comments', { token:
      writer.token, body: { content_id: s.post.id, body: '跟着买就对了' } }), 201).comment;
    assert.equal(c.status, 'published');
    const [one, two] = [await newInvestor(), await newInvestor()];
    const r1 = await report(one, 'comment', c.id);
    const r2 = await report(two, 'comment', c.id);
    assert.equal((await resolve(r2, 'take_down', '诱导交易')).resolved, 2);
    for (const [who, r] of [[one, r1], [two, r2]]) {
      await expectNew(who, 'report_upheld', `report:${r.id}`, '评论', '跟着买就对了', '已下架',
        '诱导交易');
    }
    await expectNew(writer, 'comment_taken_down', `comment:${c.id}`, '跟着买就对了', '下架',
      '诱导交易');
    await expectOthersUntold();
  });

  test('a question taken down: the reporter, and the investor who asked', async () => {
    const asker = await newInvestor();
    const q = expectOk(await api(base, 'POST', '/api/v1/investor/questions', { token:
      asker.token, body: { institution_id: A.inst.id, body: '有内部渠道吗？' } }), 201).question;
    assert.equal(q.status, 'published');
    const who = await newInvestor();
    const r = await report(who, 'question', q.id);
    await resolve(r, 'take_down', '不当提问');
    await expectNew(who, 'report_upheld', `report:${r.id}`, '提问', '有内部渠道吗？', '已下架',
      '不当提问');
    await expectNew(asker, 'question_taken_down', `question:${q.id}`, '有内部渠道吗？', '下架',
      '不当提问');
    await expectOthersUntold();
  });

  test('an answer taken down: the reporter, and the staff member who answered, not the asker',
    async () => {
      const asker = await newInvestor();
      const q = expectOk(await api(base, 'POST', '/api/v1/investor/questions', { token:
        asker.token, body: { institution_id: A.inst.id, body: '赎回多久到账？' } }),
      201).question;
      expectOk(await api(base, 'POST', `/api/v1/inst/questions/${q.id}/answer`,
        { token: A.operator.token, body: { answer: '马上到账。' } }));
      const who = await newInvestor();
      const r = await report(who, 'answer', q.id);
      await resolve(r, 'take_down', '答复不准确');
      await expectNew(who, 'report_upheld', `report:${r.id}`, '回答', '马上到账。', '已下架',
        '答复不准确');
      await expectNew(A.operator, 'answer_taken_down', `question:${q.id}:answer`,
        '赎回多久到账？', '马上到账。', '重新回答', '答复不准确');
      await expectOthersUntold();
    });

  test('a zone taken down: the reporter, and the staff member who submitted the live brand',
    async () => {
      const v = expectOk(await api(base, 'PUT', '/api/v1/inst/zone', { token: B.operator.token,
        body: { display_name: 'B财富号', theme_color: '#1677FF', slogan: '稳健',
          introduction: '稳健投资。', modules: ['qa'] } }), 201).version;
      expectOk(await decide(`/api/v1/ops/zones/${v.version_id}/decision`, 'approve', '通过'));
      await expectNew(B.operator, 'zone_approved', `zone:${v.version_id}`, 'B财富号', '通过');
      const who = await newInvestor();
      const r = await report(who, 'zone', B.inst.id);
      await resolve(r, 'take_down', '品牌介绍不实');
      await expectNew(who, 'report_upheld', `report:${r.id}`, '财富号', 'B财富号', '已下架',
        '品牌介绍不实');
      await expectNew(B.operator, 'zone_taken_down', `zone:${v.version_id}`, 'B财富号',
        '品牌介绍不实');
      await expectOthersUntold();
    });
});

suite('written together', () => {
  test('each notification was written with its decision, at the same moment', async () => {
    // A reporter's notification goes with the resolution of their own report.
    const rows = (await srv.sql('SELECT n.subject, EXISTS (SELECT 1 FROM moderation_decisions ' +
      'd WHERE d.subject = n.subject AND d.decided_ms = n.created_ms AND d.decided_by IS NOT ' +
      'NULL) OR EXISTS (SELECT 1 FROM reports r WHERE n.subject = \'report:\' || r.id AND ' +
      'r.reporter_id = n.recipient_id AND r.resolved_ms = n.created_ms AND r.resolved_by IS ' +
      'NOT NULL) FROM notifications n ORDER BY n.created_ms;')).trim().split('\n');
    assert.equal(rows.length, [...counts.values()].reduce((a, b) => a + b, 0));
    for (const r of rows) assert.ok(r.endsWith('|1'), r);
  });
});

suite('reading', () => {
  test('marking one read keeps the first time; the unread count follows', async () => {
    const who = A.operator;
    const before = await notes(who);
    assert.equal(before.unread, before.items.length);
    const n = before.items[1];
    const path = `/api/v1/inst/notifications/${n.id}/read`;
    assert.deepEqual(expectOk(await api(base, 'POST', path, { token: who.token })),
      { id: n.id, read: true });
    const once = (await notes(who)).items.find((x) => x.id === n.id);
    assert.equal(once.read, true);
    assert.equal(typeof once.read_ms, 'number');
    expectOk(await api(base, 'POST', path, { token: who.token }));
    const after = await notes(who);
    assert.equal(after.items.find((x) => x.id === n.id).read_ms, once.read_ms);
    assert.equal(after.unread, before.unread - 1);
    assert.deepEqual(after.items.map((x) => x.read), before.items.map((x, i) => i === 1));
  });

  test('pages walk the list newest first without repeats or gaps', async () => {
    const all = await notes(A.operator);
    const paged = await notes(A.operator, 1);
    assert.deepEqual(paged.items, all.items);
    const times = all.items.map((n) => n.created_ms);
    assert.deepEqual(times, [...times].sort((x, y) => y - x));
    for (const q of ['?limit=0', '?limit=201', '?cursor=nope']) {
      expectProblem(await api(base, 'GET', `/api/v1/inst/notifications${q}`,
        { token: A.operator.token }), 400, 'bad_request');
    }
  });

  test('read-all marks every one; nobody else\'s', async () => {
    for (const who of [A.operator, investor]) {
      assert.deepEqual(expectOk(await api(base, 'POST', `${listPath(who)}/read-all`,
        { token: who.token })), { unread: 0 });
      const { items, unread } = await notes(who);
      assert.equal(unread, 0);
      assert.ok(items.every((n) => n.read && n.read_ms !== null));
    }
    const admin = await notes(A.admin);
    assert.ok(admin.unread > 0 && admin.items.every((n) => !n.read), 'A.admin\'s were marked');
    assert.ok((await notes(B.admin)).unread > 0);
  });
});

suite('tenants and roles', () => {
  test('another user\'s notification is not found, whoever asks', async () => {
    const mine = s.contentApproved; // A.operator's
    for (const who of [A.admin, A.compliance, B.admin]) {
      expectProblem(await api(base, 'POST', `/api/v1/inst/notifications/${mine.id}/read`,
        { token: who.token }), 404, 'not_found');
    }
    for (const who of [investor, other]) {
      expectProblem(await api(base, 'POST', `/api/v1/investor/notifications/${mine.id}/read`,
        { token: who.token }), 404, 'not_found');
    }
    const invNote = (await notes(investor)).items[0];
    expectProblem(await api(base, 'POST', `/api/v1/investor/notifications/${invNote.id}/read`,
      { token: other.token }), 404, 'not_found');
    expectProblem(await api(base, 'POST', '/api/v1/investor/notifications/abc/read',
      { token: other.token }), 400, 'bad_request');
    assert.deepEqual((await notes(other)).items, []);
    assert.deepEqual((await notes(A.compliance)).items, []);
  });

  test('staff read only the staff list, investors only theirs', async () => {
    const staffList = '/api/v1/inst/notifications';
    const invList = '/api/v1/investor/notifications';
    expectProblem(await api(base, 'GET', staffList, { token: investor.token }), 403, 'forbidden');
    expectProblem(await api(base, 'GET', invList, { token: A.admin.token }), 403, 'forbidden');
    for (const path of [staffList, invList]) {
      expectProblem(await api(base, 'GET', path, { token: reviewer.token }), 403, 'forbidden');
      expectProblem(await api(base, 'GET', path), 401, 'unauthenticated');
    }
  });
});
