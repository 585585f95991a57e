// Fund managers: institution staff keep the profiles of their fund managers, checked before
// they are public, shown on the zone page in the module order the institution chose.
//
// Two live institutions, A and B, each with an admin, an operator and a compliance officer,
// products and an uploaded photo; a reviewer; an investor. A clean profile is live at once, one
// with a review term waits for a reviewer (the live version staying up), one with a blocking
// term is refused with its spans. The zone page carries the live profiles with their products
// and shows every change on the next request, though it is served from a cache. Nobody works on
// another institution's managers, photos or products. Every response must fit the OpenAPI
// document.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { auditAfter, investorSession, operatorSession } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import { png } from './lib/images.mjs';
import { fileServer } from './lib/server.mjs';
import { api, checkContract, createProduct, institutionWithStaff } from './lib/trading.mjs';

const srv = await fileServer();
const base = srv.base;
const doc = await loadOpenApi(base);
checkContract(doc);

const A = await institutionWithStaff(srv);
const B = await institutionWithStaff(srv);
const reviewer = await operatorSession(srv, 'ops_reviewer');
const opsAdmin = await operatorSession(srv, 'ops_admin');
const investor = await investorSession(base);

const MANAGERS = '/api/v1/inst/managers';
const REVIEW = '/api/v1/ops/review';
const publicPath = (id) => `/api/v1/public/managers/${id}`;
const zonePath = (inst) => `/api/v1/public/zones/${inst.inst.id}`;
const decisionPath = (id, v) => `/api/v1/ops/managers/${id}/versions/${v}/decision`;

async function upload(inst, w) {
  return expectOk(await api(base, 'POST', '/api/v1/inst/uploads',
    { token: inst.admin.token, body: png(w, w), contentType: 'image/png' }), 201).upload;
}

const photoA = await upload(A, 40);
const photoB = await upload(B, 41);
const p1 = await createProduct(base, A.admin.token, { name: '长盈成长混合A', risk_level: 'R3' });
const p2 = await createProduct(base, A.admin.token, { name: '长盈稳健债券A', risk_level: 'R2' });
const p3 = await createProduct(base, A.admin.token, { name: '长盈将清盘混合', risk_level: 'R4' });
const pB = await createProduct(base, B.admin.token, { name: '别家的基金' });

const brief = (p) => ({ id: p.id, code: p.code, name: p.name, risk_level: p.risk_level,
  risk_name: p.risk_name });

// What the stories leave for the audit check.
const s = { saved: [], decided: [], removed: [] };

function profile(overrides = {}) {
  return {
    name: '张三',
    photo_upload_id: photoA.id,
    title: '基金经理、研究部总监',
    years_experience: 12,
    bio: '复旦大学经济学硕士，十二年投资研究经验，擅长成长股投资。',
    product_ids: [p1.id, p2.id],
    ...overrides,
  };
}

function create(token, body) {
  return api(base, 'POST', MANAGERS, { token, body });
}

function update(token, id, body) {
  return api(base, 'PUT', `${MANAGERS}/${id}`, { token, body });
}

async function saveOk(res, status, who, inst = A) {
  const m = expectOk(res, status).manager;
  const v = m.pending && (!m.live || m.pending.version > m.live.version) ? m.pending : m.live;
  s.saved.push({ id: m.id, version: v.version, inst: inst.inst.id, by: who.user.id,
    status: v.status, name: v.name });
  return m;
}

async function createOk(who, body, inst = A) {
  return saveOk(await create(who.token, body), 201, who, inst);
}

async function updateOk(who, id, body) {
  return saveOk(await update(who.token, id, body), 200, who);
}

async function zonePage(inst = A) {
  return expectOk(await api(base, 'GET', zonePath(inst)));
}

async function ownList(who = A.admin) {
  return expectOk(await api(base, 'GET', MANAGERS, { token: who.token })).items;
}

async function reviewManagers() {
  const items = expectOk(await api(base, 'GET', REVIEW, { token: reviewer.token })).items;
  return items.filter((e) => e.kind === 'manager').map((e) => e.item);
}

function decide(token, id, v, decision, reason) {
  return api(base, 'POST', decisionPath(id, v), { token, body: { decision, reason } });
}

async function decideOk(id, v, decision, reason) {
  const d = expectOk(await decide(reviewer.token, id, v, decision, reason));
  assert.deepEqual(d, { id, version: v, status: decision === 'approve' ? 'approved' : 'rejected' });
  s.decided.push({ id, version: v, approve: decision === 'approve', reason });
}

async function brand(inst, modules) {
  const v = expectOk(await api(base, 'PUT', '/api/v1/inst/zone', { token: inst.admin.token,
    body: { display_name: '长盈财富号', theme_color: '#1677FF', slogan: '长期投资',
      introduction: '专注长期投资。', modules } }), 201).version;
  expectOk(await api(base, 'POST', `/api/v1/ops/zones/${v.version_id}/decision`,
    { token: reviewer.token, body: { decision: 'approve', reason: '合规' } }));
}

/** The public profile a saved body should give. */
function shown(id, body, products) {
  return { id, institution_id: A.inst.id, name: body.name,
    photo_url: body.photo_upload_id ? `/uploads/${body.photo_upload_id}` : null,
    title: body.title, years_experience: body.years_experience, bio: body.bio,
    products: products.map(brief) };
}

// ---- the story of one manager ----

suite('profiles', () => {
  test('a clean profile is live at once, public and on the zone page in module order',
    async () => {
      await brand(A, ['fund_managers', 'articles', 'featured_products']);
      const before = await zonePage();
      assert.deepEqual(Object.keys(before.modules),
        ['fund_managers', 'articles', 'featured_products']);
      assert.deepEqual(before.modules.fund_managers, []);

      const body = profile();
      const m = await createOk(A.operator, body);
      assert.equal(m.status, 'active');
      assert.equal(m.pending, null);
      assert.equal(m.live.version, 1);
      assert.equal(m.live.status, 'approved');
      assert.equal(m.live.check.verdict, 'pass');
      assert.deepEqual(m.live.products, [brief(p1), brief(p2)]);
      s.zhang = { id: m.id, body };

      const pub = expectOk(await api(base, 'GET', publicPath(m.id))).manager;
      assert.deepEqual(pub, shown(m.id, body, [p1, p2]));
      const page = await zonePage();
      assert.deepEqual(Object.keys(page.modules),
        ['fund_managers', 'articles', 'featured_products']);
      assert.deepEqual(page.modules.fund_managers, [pub]);
      const logo = await fetch(base + pub.photo_url);
      assert.equal(logo.status, 200);
      assert.deepEqual(await ownList(A.compliance), [m]);
    });

  test('every change shows on the cached zone page at once', async () => {
    const { id } = s.zhang;
    await zonePage();
    await zonePage(); // the second answer comes from the cache
    const body = profile({ title: '首席投资官', years_experience: 13, product_ids: [p2.id, p3.id],
      photo_upload_id: undefined });
    const m = await updateOk(A.admin, id, body);
    assert.equal(m.live.version, 2);
    assert.deepEqual((await zonePage()).modules.fund_managers, [shown(id, body, [p2, p3])]);
    // A product that closes leaves the public profile; the institution still sees it named.
    expectOk(await api(base, 'POST', `/api/v1/inst/products/${p3.id}/status`,
      { token: A.admin.token, body: { status: 'closed' } }));
    assert.deepEqual((await zonePage()).modules.fund_managers[0].products, [brief(p2)]);
    assert.deepEqual(expectOk(await api(base, 'GET', publicPath(id))).manager.products,
      [brief(p2)]);
    assert.deepEqual((await ownList())[0].live.products.map((p) => p.id), [p2.id, p3.id]);
    s.zhang.body = body;
  });

  test('the module order the institution chooses is the page\'s order', async () => {
    await brand(A, ['featured_products', 'qa', 'fund_managers']);
    const page = await zonePage();
    assert.deepEqual(Object.keys(page.modules), ['featured_products', 'fund_managers']);
    assert.equal(page.modules.fund_managers.length, 1);
    await brand(A, ['articles', 'qa']);
    assert.deepEqual(Object.keys((await zonePage()).modules), ['articles', 'featured_products']);
    await brand(A, ['fund_managers', 'featured_products']);
    assert.deepEqual(Object.keys((await zonePage()).modules),
      ['fund_managers', 'featured_products']);
  });

  test('a review term holds a new profile until a reviewer approves it', async () => {
    const body = profile({ name: '李四', bio: '管理的产品业绩排名第一，值得信赖。', product_ids: [p1.id] });
    const m = await createOk(A.admin, body);
    assert.equal(m.live, null);
    assert.equal(m.pending.status, 'pending');
    assert.equal(m.pending.check.verdict, 'review');
    const bytes = Buffer.from(body.bio, 'utf8');
    for (const x of m.pending.check.matches) {
      assert.equal(x.field, 'bio');
      assert.equal(bytes.subarray(x.start, x.end).toString('utf8'), x.text);
    }
    expectProblem(await api(base, 'GET', publicPath(m.id)), 404, 'not_found');
    assert.ok(!(await zonePage()).modules.fund_managers.some((x) => x.id === m.id));
    const queued = (await reviewManagers()).find((x) => x.id === m.id);
    assert.ok(queued, 'not in the review queue');
    assert.deepEqual(queued, { ...m.pending, id: m.id, institution_id: A.inst.id,
      institution_name: A.inst.name });

    expectProblem(await decide(A.admin.token, m.id, 1, 'approve', '好'), 403, 'forbidden');
    expectProblem(await decide(reviewer.token, m.id, 2, 'approve', '好'), 404, 'not_found');
    expectProblem(await decide(reviewer.token, m.id, 'x', 'approve', '好'), 400, 'bad_request');
    await decideOk(m.id, 1, 'approve', '业绩表述有据可查');
    expectProblem(await decide(reviewer.token, m.id, 1, 'reject', '再议'), 404, 'not_found');
    const pub = expectOk(await api(base, 'GET', publicPath(m.id))).manager;
    assert.deepEqual(pub, shown(m.id, body, [p1]));
    const order = (await zonePage()).modules.fund_managers.map((x) => x.id);
    assert.deepEqual(order, [s.zhang.id, m.id], 'managers are not oldest first');
    s.li = { id: m.id, body };
  });

  test('an edit held for review leaves the live version up; a rejection keeps it', async () => {
    const { id, body } = s.li;
    const next = { ...body, title: '最好的基金经理' };
    const m = await updateOk(A.operator, id, next);
    assert.equal(m.live.version, 1);
    assert.equal(m.pending.version, 2);
    assert.equal(expectOk(await api(base, 'GET', publicPath(id))).manager.title, body.title);
    // A newer edit replaces the one waiting.
    const newer = await updateOk(A.operator, id, { ...body, title: '唯一的明星经理' });
    assert.equal(newer.pending.version, 3);
    assert.ok(!(await reviewManagers()).some((x) => x.id === id && x.version === 2));
    expectProblem(await decide(reviewer.token, id, 2, 'approve', '旧版本'), 404, 'not_found');
    await decideOk(id, 3, 'reject', '夸大表述');
    const own = (await ownList()).find((x) => x.id === id);
    assert.equal(own.live.version, 1);
    assert.equal(own.pending, null);
    assert.equal(own.last_rejected.version, 3);
    assert.equal(own.last_rejected.reason, '夸大表述');
    assert.equal(expectOk(await api(base, 'GET', publicPath(id))).manager.title, body.title);
  });

  test('a blocking term is refused with its spans and nothing is stored', async () => {
    const before = await ownList();
    const body = profile({ name: '王五', bio: '跟着我买稳赚不赔，详情加微信。' });
    const res = await create(A.admin.token, body);
    expectProblem(res, 422, 'compliance_blocked');
    const bytes = Buffer.from(body.bio, 'utf8');
    assert.ok(res.json.check.matches.some((x) => x.severity === 'block'));
    for (const x of res.json.check.matches) {
      assert.equal(bytes.subarray(x.start, x.end).toString('utf8'), x.text);
    }
    expectProblem(await update(A.admin.token, s.li.id, { ...s.li.body, title: '保证收益' }), 422,
      'compliance_blocked');
    assert.deepEqual(await ownList(), before);
  });

  test('a removed manager leaves the page, the public profile and the queue', async () => {
    const m = await createOk(A.admin, profile({ name: '赵六', title: '唯一的经理' }));
    assert.ok((await reviewManagers()).some((x) => x.id === m.id));
    const gone = await createOk(A.admin, profile({ name: '钱七' }));
    assert.ok((await zonePage()).modules.fund_managers.some((x) => x.id === gone.id));
    for (const id of [m.id, gone.id]) {
      assert.deepEqual(expectOk(await api(base, 'DELETE', `${MANAGERS}/${id}`,
        { token: A.operator.token })), { id, status: 'removed' });
      s.removed.push({ id, by: A.operator.user.id });
    }
    assert.ok(!(await reviewManagers()).some((x) => x.id === m.id));
    assert.ok(!(await zonePage()).modules.fund_managers.some((x) => x.id === gone.id));
    expectProblem(await api(base, 'GET', publicPath(gone.id)), 404, 'not_found');
    assert.ok(!(await ownList()).some((x) => x.id === gone.id));
    expectProblem(await api(base, 'DELETE', `${MANAGERS}/${gone.id}`,
      { token: A.operator.token }), 404, 'not_found');
    expectProblem(await update(A.admin.token, gone.id, profile()), 404, 'not_found');
    expectProblem(await decide(reviewer.token, m.id, 1, 'approve', '好'), 404, 'not_found');
  });

  test('script in a profile is stored and returned as JSON data', async () => {
    const body = profile({ name: '<b>x</b>', title: '"><script>alert(1)</script>',
      bio: '<img src=x onerror=alert(2)> & \'quoted\'' });
    const m = await createOk(A.admin, body);
    const res = await api(base, 'GET', publicPath(m.id));
    assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
    assert.deepEqual(res.json.manager, shown(m.id, body, [p1, p2]));
  });
});

// ---- tenants and bad input ----

suite('who may do what', () => {
  test('nobody works on another institution\'s managers, photos or products', async () => {
    const { id } = s.zhang;
    expectProblem(await update(B.admin.token, id, profile({ photo_upload_id: photoB.id,
      product_ids: [pB.id] })), 404, 'not_found');
    expectProblem(await api(base, 'DELETE', `${MANAGERS}/${id}`, { token: B.operator.token }),
      404, 'not_found');
    assert.ok(!(await ownList(B.admin)).some((x) => x.id === id));
    // A names B's product or photo: refused, naming the member.
    let res = await update(A.admin.token, id, profile({ product_ids: [p1.id, pB.id] }));
    expectProblem(res, 422, 'invalid_field', 'product_ids[1]');
    assert.match(res.json.detail, new RegExp(pB.id));
    res = await create(A.admin.token, profile({ product_ids: ['1234567890123'] }));
    expectProblem(res, 422, 'invalid_field', 'product_ids[0]');
    expectProblem(await create(A.admin.token, profile({ photo_upload_id: photoB.id })), 422,
      'invalid_field', 'photo_upload_id');
    expectProblem(await create(B.admin.token, profile({ photo_upload_id: photoA.id,
      product_ids: [] })), 422, 'invalid_field', 'photo_upload_id');
    expectProblem(await create(B.admin.token, profile({ photo_upload_id: undefined })), 422,
      'invalid_field', 'product_ids[0]');
    // B's own manager is B's alone.
    const own = await createOk(B.admin, profile({ photo_upload_id: photoB.id,
      product_ids: [pB.id] }), B);
    expectProblem(await api(base, 'DELETE', `${MANAGERS}/${own.id}`, { token: A.admin.token }),
      404, 'not_found');
    assert.ok(!(await zonePage()).modules.fund_managers.some((x) => x.id === own.id));
    assert.equal(expectOk(await api(base, 'GET', publicPath(own.id))).manager.institution_id,
      B.inst.id);
    assert.deepEqual(expectOk(await api(base, 'GET', publicPath(id))).manager,
      shown(id, s.zhang.body, [p2]));
  });

  test('roles: editors save, compliance reads, others are refused', async () => {
    expectProblem(await create(A.compliance.token, profile()), 403, 'forbidden');
    expectProblem(await create(investor.token, profile()), 403, 'forbidden');
    expectProblem(await create(reviewer.token, profile()), 403, 'forbidden');
    expectProblem(await create(undefined, profile()), 401, 'unauthenticated');
    expectProblem(await api(base, 'DELETE', `${MANAGERS}/${s.zhang.id}`,
      { token: A.compliance.token }), 403, 'forbidden');
    expectProblem(await api(base, 'GET', MANAGERS, { token: investor.token }), 403, 'forbidden');
    await ownList(A.compliance);
  });

  test('bad input is refused naming the member', async () => {
    const before = await ownList();
    const bad = [
      [{ name: '' }, 'invalid_field', 'name'],
      [{ name: '名'.repeat(33) }, 'invalid_field', 'name'],
      [{ name: '张\n三' }, 'invalid_field', 'name'],
      [{ name: '\u200b' }, 'invalid_field', 'name'],
      [{ title: '\u202e经理' }, 'invalid_field', 'title'],
      [{ bio: '简'.repeat(2001) }, 'invalid_field', 'bio'],
      [{ bio: 5 }, 'invalid_field', 'bio'],
      [{ years_experience: -1 }, 'invalid_field', 'years_experience'],
      [{ years_experience: 71 }, 'invalid_field', 'years_experience'],
      [{ years_experience: '5' }, 'invalid_field', 'years_experience'],
      [{ years_experience: 1.5 }, 'invalid_field', 'years_experience'],
      [{ photo_upload_id: 'abc' }, 'invalid_field', 'photo_upload_id'],
      [{ photo_upload_id: '0'.repeat(64) }, 'invalid_field', 'photo_upload_id'],
      [{ product_ids: p1.id }, 'invalid_field', 'product_ids'],
      [{ product_ids: [Number(p1.id)] }, 'invalid_field', 'product_ids[0]'],
      [{ product_ids: ['x'] }, 'invalid_field', 'product_ids[0]'],
      [{ product_ids: [p1.id, p1.id] }, 'invalid_field', 'product_ids[1]'],
      [{ product_ids: Array.from({ length: 21 }, () => p1.id) }, 'invalid_field', 'product_ids'],
      [{ product_ids: undefined }, 'missing_field', 'product_ids'],
      [{ name: undefined }, 'missing_field', 'name'],
      [{ extra: 1 }, 'unknown_field', undefined],
    ];
    for (const [o, code, field] of bad) {
      expectProblem(await create(A.admin.token, profile(o)), 422, code, field);
    }
    expectProblem(await update(A.admin.token, 'abc', profile()), 400, 'bad_request');
    expectProblem(await update(A.admin.token, '1234567890123', profile()), 404, 'not_found');
    expectProblem(await api(base, 'GET', publicPath('abc')), 400, 'bad_request');
    expectProblem(await api(base, 'GET', publicPath('1234567890123')), 404, 'not_found');
    assert.deepEqual(await ownList(), before);
  });

  test('at most 50 managers in a zone', async () => {
    const C = await institutionWithStaff(srv);
    for (let i = 0; i < 50; i++) {
      expectOk(await create(C.admin.token, profile({ name: `经理${i}`,
        photo_upload_id: undefined, product_ids: [] })), 201);
    }
    expectProblem(await create(C.admin.token, profile({ photo_upload_id: undefined,
      product_ids: [] })), 422, 'limit_exceeded');
    assert.equal((await ownList(C.admin)).length, 50);
  });
});

// ---- audit ----

suite('audit', () => {
  test('saves, decisions and removals are audited, and the chain verifies', async () => {
    const entries = await auditAfter(base, opsAdmin.token);
    const saves = entries.filter((e) => e.action === 'manager.save' &&
      (e.institution_id === A.inst.id || e.institution_id === B.inst.id));
    assert.deepEqual(saves.map((e) => e.subject),
      s.saved.map((x) => `manager:${x.id}:${x.version}`));
    saves.forEach((e, i) => {
      const x = s.saved[i];
      assert.equal(e.actor_user_id, x.by);
      assert.equal(e.institution_id, x.inst);
      assert.deepEqual(e.detail, { name: x.name, status: x.status });
    });
    const decides = entries.filter((e) => e.action === 'manager.decide');
    assert.deepEqual(decides.map((e) => [e.subject, e.detail]), s.decided.map((x) =>
      [`manager:${x.id}:${x.version}`, { approve: x.approve, reason: x.reason }]));
    const removes = entries.filter((e) => e.action === 'manager.remove');
    assert.deepEqual(removes.map((e) => [e.subject, e.actor_user_id]),
      s.removed.map((x) => [`manager:${x.id}`, x.by]));
    const verify = expectOk(await api(base, 'GET', '/api/v1/ops/audit/verify',
      { token: opsAdmin.token }));
    assert.equal(verify.ok, true);
  });
});
