// Search: zones, products and published content by Chinese or Latin text.
//
// Three live institutions: A with an approved brand, products (one closed) and content in every
// state (published, held, blocked, a published version with a held edit, taken down); B with a
// product; C that is suspended after it has everything public. Queries of 1, 2 and 4 Chinese
// characters, Latin text in any case, fund codes, query-language syntax as plain text, paging,
// and bad parameters. Only what the public may see is ever found. Every response must fit the
// OpenAPI document.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { operatorSession, setStatus } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import { fileServer } from './lib/server.mjs';
import { api, checkContract, createProduct, institutionWithStaff } from './lib/trading.mjs';

const srv = await fileServer();
const base = srv.base;
const doc = await loadOpenApi(base);
checkContract(doc);

const A = await institutionWithStaff(srv);
const B = await institutionWithStaff(srv);
const C = await institutionWithStaff(srv);
const reviewer = await operatorSession(srv, 'ops_reviewer');

const SEARCH = '/api/v1/public/search';

function search(type, q, extra = '') {
  return api(base, 'GET', `${SEARCH}?type=${type}&q=${encodeURIComponent(q)}${extra}`);
}

/** Every result of a search, following next_cursor. */
async function all(type, q, limit = 50) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 100; page++) {
    const res = await search(type, q, `&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    const json = expectOk(res);
    assert.equal(json.type, type);
    assert.ok(json.items.length <= limit);
    items.push(...json.items);
    cursor = json.next_cursor;
    if (cursor === null) return items;
  }
  throw new Error('search paging did not end');
}

const ids = (items) => items.map((x) => x.id ?? x.institution_id).sort();

async function brand(inst, body) {
  const v = expectOk(await api(base, 'PUT', '/api/v1/inst/zone', { token: inst.admin.token,
    body: { theme_color: '#1677FF', modules: ['featured_products', 'articles'], ...body } }),
  201).version;
  expectOk(await api(base, 'POST', `/api/v1/ops/zones/${v.version_id}/decision`,
    { token: reviewer.token, body: { decision: 'approve', reason: '合规' } }));
  return v;
}

async function content(inst, title, body, kind = 'article') {
  return expectOk(await api(base, 'POST', '/api/v1/inst/contents',
    { token: inst.admin.token, body: { kind, title, body } }), 201);
}

// ---- the world ----

await brand(A, { display_name: '长盈养老财富号', slogan: 'Long Term Growth',
  introduction: '专注养老目标基金与稳健理财。' });
const pension = await createProduct(base, A.admin.token, { name: '长盈养老目标日期2035三年持有混合' });
const growth = await createProduct(base, A.admin.token, { name: 'Bosera Growth 成长精选' });
const closed = await createProduct(base, A.admin.token, { name: '长盈养老已清盘混合' });
expectOk(await api(base, 'POST', `/api/v1/inst/products/${closed.id}/status`,
  { token: A.admin.token, body: { status: 'closed' } }));
const odd = await createProduct(base, A.admin.token,
  { name: 'Alpha "Beta" AND (Gamma)* NEAR 50%_off \\ x' });
const pensionB = await createProduct(base, B.admin.token, { name: '稳健养老一年持有' });

const article = await content(A, '养老规划指南', '关于**退休**生活的思考：Compound Interest。');
const held = await content(A, '保本的养老方案', '退休后的安排');
assert.equal(held.status, 'held');
const blocked = await api(base, 'POST', '/api/v1/inst/contents', { token: A.admin.token,
  body: { kind: 'post', title: '稳赚不赔的养老', body: '退休无忧' } });
assert.ok(blocked.status === 201 || blocked.status === 422, blocked.text);
const edited = await content(A, '旧标题退休', '第一版正文');
const edit = expectOk(await api(base, 'PUT', `/api/v1/inst/contents/${edited.id}`,
  { token: A.admin.token, body: { title: '新标题零风险退休', body: '第二版正文' } }));
assert.equal(edit.status, 'held');
const gone = await content(A, '将被下架的退休文章', '退休');
expectOk(await api(base, 'POST', `/api/v1/ops/contents/${gone.id}/takedown`,
  { token: reviewer.token, body: { reason: '下架' } }));

await brand(C, { display_name: '将暂停财富号', slogan: 'Suspended Soon', introduction: '养老。' });
const productC = await createProduct(base, C.admin.token, { name: '将暂停养老混合' });
const contentC = await content(C, '将暂停的退休文章', '退休');

// ---- tests ----

suite('finding', () => {
  test('a 2-character Chinese query finds names containing it, by a scan', async () => {
    const found = await all('products', '养老');
    const got = ids(found);
    for (const p of [pension, pensionB, productC]) assert.ok(got.includes(p.id), p.name);
    assert.ok(!got.includes(closed.id), 'a closed product is found');
    assert.ok(!got.includes(growth.id));
    const p = found.find((x) => x.id === pension.id);
    assert.deepEqual(p, { id: pension.id, institution_id: A.inst.id, code: pension.code,
      name: pension.name, type: 'equity', risk_level: 'R3', risk_name: pension.risk_name });
    assert.deepEqual(ids(await all('products', '养')).filter((x) => x === pension.id),
      [pension.id], 'one character is found too');
  });

  test('a 4-character Chinese query finds zones, products and content', async () => {
    assert.deepEqual(ids(await all('products', '养老目标')), [pension.id]);
    const zones = await all('zones', '养老目标');
    assert.deepEqual(zones, [{ institution_id: A.inst.id, display_name: '长盈养老财富号',
      slogan: 'Long Term Growth', logo_url: null }]);
    const contents = await all('contents', '养老规划');
    assert.deepEqual(contents.map((c) => c.id), [article.id]);
    assert.equal(contents[0].kind, 'article');
    assert.equal(contents[0].title, '养老规划指南');
    assert.equal(contents[0].institution_id, A.inst.id);
    // The body is searched too, Markdown and all.
    assert.deepEqual(ids(await all('contents', '生活的思考')), [article.id]);
  });

  test('Latin text is found in any case', async () => {
    for (const q of ['bosera', 'BOSERA GROWTH', 'gRoWtH 成长', 'os']) {
      assert.deepEqual(ids(await all('products', q)), [growth.id], q);
    }
    for (const q of ['long term', 'LONG TERM GROWTH', 'lo']) {
      assert.deepEqual(ids(await all('zones', q)), [A.inst.id], q);
    }
    assert.deepEqual(ids(await all('contents', 'compound INTEREST')), [article.id]);
  });

  test('a fund code, whole or in part, finds its product', async () => {
    assert.deepEqual(ids(await all('products', pension.code)), [pension.id]);
    assert.deepEqual(ids(await all('products', ` ${growth.code}\u3000`)), [growth.id]);
    const head = await all('products', pension.code.slice(0, 4));
    assert.ok(ids(head).includes(pension.id));
  });

  test('query-language syntax is plain text and never an error', async () => {
    const queries = ['"', '""', '"Beta"', 'AND', 'AND (Gamma)*', 'NEAR', '*', '(', ')', '^',
      'name:x', "'", "';--", '%', '_', '50%_', '\\', '养老" OR "x', 'a OR b', '-x', '{}',
      'NOT 养老', '"养老"'];
    for (const q of queries) {
      for (const type of ['zones', 'products', 'contents']) {
        const res = await search(type, q);
        expectOk(res, 200);
      }
    }
    for (const q of ['"Beta" AND (Gamma)*', '50%_off', '%', '_', '\\', '"', 'near 50']) {
      assert.ok(ids(await all('products', q)).includes(odd.id), q);
    }
    // % and _ are not wildcards: they match only themselves.
    assert.deepEqual(ids(await all('products', '%')), [odd.id]);
    assert.deepEqual(ids(await all('products', '_')), [odd.id]);
    assert.deepEqual(await all('products', '养老" OR "x'), []);
  });
});

suite('only what the public may see', () => {
  test('drafts, held, blocked, held edits and taken-down content are never found', async () => {
    const found = ids(await all('contents', '退休'));
    assert.ok(found.includes(article.id));
    assert.ok(found.includes(contentC.id));
    assert.ok(!found.includes(held.id), 'held content is found');
    assert.ok(!found.includes(gone.id), 'taken-down content is found');
    if (blocked.status === 201) assert.ok(!found.includes(blocked.json.id), 'blocked is found');
    // The published first version of an edited item is found; its held edit is not.
    assert.ok(found.includes(edited.id));
    assert.deepEqual(ids(await all('contents', '旧标题')), [edited.id]);
    assert.deepEqual(await all('contents', '新标题'), []);
    assert.deepEqual(await all('contents', '零风险'), []);
    assert.deepEqual(await all('contents', '下架'), []);
    assert.deepEqual(await all('contents', '保本的养老'), []);
    assert.deepEqual(await all('contents', '稳赚'), []);
  });

  test('a takedown and an approved edit change what is found at once', async () => {
    const item = await content(A, '临时文章甲乙丙', '正文');
    assert.deepEqual(ids(await all('contents', '甲乙丙')), [item.id]);
    expectOk(await api(base, 'PUT', `/api/v1/inst/contents/${item.id}`,
      { token: A.admin.token, body: { title: '改过的丁戊己', body: '正文' } }));
    assert.deepEqual(await all('contents', '甲乙丙'), []);
    assert.deepEqual(ids(await all('contents', '丁戊己')), [item.id]);
    expectOk(await api(base, 'POST', `/api/v1/ops/contents/${item.id}/takedown`,
      { token: reviewer.token, body: { reason: '下架' } }));
    assert.deepEqual(await all('contents', '丁戊己'), []);
  });

  test('a zone is found by its live brand only', async () => {
    // A pending brand is not found; once approved, the old texts are gone.
    const v = expectOk(await api(base, 'PUT', '/api/v1/inst/zone', { token: B.admin.token,
      body: { display_name: '稳健之家', theme_color: '#1677FF', slogan: 'Steady Hands',
        introduction: '稳健投资。', modules: ['qa'] } }), 201).version;
    assert.deepEqual(await all('zones', 'steady'), []);
    expectOk(await api(base, 'POST', `/api/v1/ops/zones/${v.version_id}/decision`,
      { token: reviewer.token, body: { decision: 'approve', reason: '合规' } }));
    assert.deepEqual(ids(await all('zones', 'steady')), [B.inst.id]);
    await brand(B, { display_name: '新的名字', slogan: 'Other Words', introduction: '介绍。' });
    assert.deepEqual(await all('zones', 'steady'), []);
    assert.deepEqual(ids(await all('zones', 'other words')), [B.inst.id]);
  });

  test('nothing of a suspended institution is found', async () => {
    assert.ok(ids(await all('zones', 'suspended')).includes(C.inst.id));
    await setStatus(base, C.ops.token, C.inst.id, 'suspended');
    assert.deepEqual(await all('zones', 'suspended'), []);
    assert.deepEqual(await all('zones', '暂停'), []);
    assert.ok(!ids(await all('products', '养老')).includes(productC.id));
    assert.ok(!ids(await all('products', '将暂停养老')).includes(productC.id));
    assert.ok(!ids(await all('contents', '退休')).includes(contentC.id));
    assert.deepEqual(await all('contents', '将暂停的'), []);
  });
});

suite('paging and bad parameters', () => {
  test('pages follow each other without repeats, in the documented order', async () => {
    const whole = await all('products', '养老', 50);
    const paged = await all('products', '养老', 1);
    assert.deepEqual(paged, whole);
    const codes = whole.map((p) => p.code);
    assert.deepEqual(codes, [...codes].sort());
    const extra = [];
    for (let i = 0; i < 3; i++) extra.push(await content(B, `分页退休${i}`, '退休'));
    const news = await all('contents', '退休', 2);
    const times = news.map((c) => c.published_ms);
    assert.deepEqual(times, [...times].sort((x, y) => y - x), 'content is not newest first');
    assert.deepEqual(new Set(news.map((c) => c.id)).size, news.length);
    assert.deepEqual(news.slice(0, 3).map((c) => c.id), extra.map((c) => c.id).reverse());
    assert.deepEqual(await all('contents', '退休', 2), await all('contents', '退休', 50));
    const zones = await all('zones', '财富', 1);
    assert.deepEqual(zones.map((z) => z.institution_id),
      zones.map((z) => z.institution_id).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)));
  });

  test('bad parameters answer 400, never 500', async () => {
    const long = '养'.repeat(65);
    const bad = [
      '?type=products',
      '?type=products&q=',
      '?type=products&q=%20%20%E3%80%80',
      `?type=products&q=${encodeURIComponent(long)}`,
      '?type=products&q=a%01b',
      '?type=products&q=a%0Ab',
      '?type=products&q=%E2%80%AEabc',
      '?type=products&q=%FF%FE',
      '?q=abc',
      '?type=people&q=abc',
      '?type=&q=abc',
      '?type=products&q=abc&limit=0',
      '?type=products&q=abc&limit=51',
      '?type=products&q=abc&limit=x',
      '?type=products&q=abc&cursor=x',
      '?type=products&q=abc&cursor=1.0',
      '?type=products&q=abc&cursor=-1.1',
    ];
    for (const query of bad) {
      const res = await api(base, 'GET', `${SEARCH}${query}`);
      expectProblem(res, 400, ['bad_request', 'invalid_utf8']);
    }
    // 64 characters is the most a query may have.
    expectOk(await search('products', '养'.repeat(64)));
  });
});
