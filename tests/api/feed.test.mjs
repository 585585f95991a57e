// The investor's feed: what the followed zones published, newest first by first publication,
// a page at a time with an opaque cursor, and an empty recommendations slot.
//
// Three live institutions A, B and C; the investor follows A and B, never C. A also has
// items that must never show: one only held, one blocked, one rejected, one taken down; one
// item is published with a newer version waiting, another has its newer version approved.
// Every response must fit the OpenAPI document.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { investorSession, operatorSession, setStatus } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import { fileServer } from './lib/server.mjs';
import { api, checkContract, institutionWithStaff } from './lib/trading.mjs';

const srv = await fileServer();
const base = srv.base;
checkContract(await loadOpenApi(base));

const FEED = '/api/v1/investor/feed';
const CONTENTS = '/api/v1/inst/contents';
const A = await institutionWithStaff(srv);
const B = await institutionWithStaff(srv);
const C = await institutionWithStaff(srv);
const reviewer = await operatorSession(srv, 'ops_reviewer');
const investor = await investorSession(base);
const stranger = await investorSession(base);

// What the stories leave for later ones: the items the feed must show, by id.
const s = { shown: new Map(), hidden: [] };

async function save(who, kind, title, body, status = 'published') {
  const res = await api(base, 'POST', CONTENTS, { token: who.token, body: { kind, title, body } });
  const json = res.status === 201 ? res.json : expectOk(res, 422);
  if (status !== 'refused') assert.equal(json.status, status, res.text);
  return json;
}

/** Publishes and remembers an item the investor's feed must show. */
async function publish(who, inst, kind, title, body = `${title}的正文。`) {
  const c = await save(who, kind, title, body);
  const pub = expectOk(await api(base, 'GET', `/api/v1/public/contents/${c.id}`)).content;
  s.shown.set(c.id, { id: c.id, inst, kind, title, published_ms: pub.published_ms });
  return c;
}

function decide(id, version, decision, reason = '审核') {
  return api(base, 'POST', `/api/v1/ops/contents/${id}/versions/${version}/decision`,
    { token: reviewer.token, body: { decision, reason } });
}

/** Newest first: first publication time, then id (compared as 64-bit numbers). */
function expectedOrder(items = [...s.shown.values()]) {
  return [...items].sort((x, y) => (y.published_ms - x.published_ms) ||
    (BigInt(y.id) > BigInt(x.id) ? 1 : -1)).map((x) => x.id);
}

/** Walks the whole feed with page size `limit`; `between(page)` runs after each page. */
async function walk(who, limit, between = async () => {}) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 200; page++) {
    const q = cursor ? `?limit=${limit}&cursor=${cursor}` : `?limit=${limit}`;
    const json = expectOk(await api(base, 'GET', FEED + q, { token: who.token }));
    assert.deepEqual(json.recommendations, []);
    assert.ok(json.items.length <= limit);
    items.push(...json.items);
    cursor = json.next_cursor;
    if (cursor === null) return items;
    assert.equal(json.items.length, limit, 'a page before the last is full');
    await between(page);
  }
  throw new Error('the feed did not end');
}

const ids = (items) => items.map((i) => i.id ?? i.content_id);

test('setup: A and B publish, C publishes to others; the investor follows A and B', async () => {
  for (const inst of [A, B]) {
    expectOk(await api(base, 'POST', `/api/v1/investor/follows/${inst.inst.id}`,
      { token: investor.token }));
  }
  expectOk(await api(base, 'POST', `/api/v1/investor/follows/${C.inst.id}`,
    { token: stranger.token }));
  for (let i = 1; i <= 4; i++) {
    await publish(A.admin, A, 'post', `A动态${i}`);
    await publish(B.operator, B, 'article', `B文章${i}`);
  }
  await publish(A.operator, A, 'announcement', 'A公告');
  s.cItem = (await save(C.admin, 'post', 'C动态', '只给C的关注者。')).id;
});

suite('what the feed shows', () => {
  test('published items of followed zones only, newest first', async () => {
    const items = await walk(investor, 200);
    assert.deepEqual(ids(items), expectedOrder());
    for (const item of items) {
      const want = s.shown.get(item.content_id);
      assert.deepEqual({ ...item, excerpt: undefined }, {
        content_id: want.id, institution_id: want.inst.inst.id,
        institution_name: want.inst.inst.name, zone_name: want.inst.inst.name, kind: want.kind,
        title: want.title, excerpt: undefined, published_ms: want.published_ms,
      });
      assert.equal(item.excerpt, `${want.title}的正文。`);
    }
    assert.ok(!ids(items).includes(s.cItem), 'C is not followed');
    assert.deepEqual(ids(await walk(stranger, 50)), [s.cItem]);
  });

  test('never a held, blocked, rejected or taken-down item', async () => {
    const held = await save(A.admin, 'post', '最好的一天', '待审。', 'held');
    const blocked = await save(A.admin, 'post', '稳赚不赔', '拦截。', 'blocked');
    const rejected = await save(A.admin, 'post', '唯一之选', '将被驳回。', 'held');
    expectOk(await decide(rejected.id, 1, 'reject'));
    const gone = await publish(A.admin, A, 'post', '将被下架');
    s.shown.delete(gone.id);
    expectOk(await api(base, 'POST', `/api/v1/ops/contents/${gone.id}/takedown`,
      { token: reviewer.token, body: { reason: '下架' } }));
    s.hidden.push(held.id, blocked.id, rejected.id, gone.id);
    const items = await walk(investor, 200);
    for (const id of s.hidden) assert.ok(!ids(items).includes(id), `${id} is in the feed`);
    assert.deepEqual(ids(items), expectedOrder());
    // Approving the held one publishes it: now it shows, at the time of approval.
    expectOk(await decide(held.id, 1, 'approve'));
    const pub = expectOk(await api(base, 'GET', `/api/v1/public/contents/${held.id}`)).content;
    s.shown.set(held.id, { id: held.id, inst: A, kind: 'post', title: '最好的一天',
      published_ms: pub.published_ms });
    s.hidden.shift();
    assert.deepEqual(ids(await walk(investor, 200)), expectedOrder());
  });

  test('an edit waiting for review leaves the published version; an approved one replaces it ' +
    'without moving the item', async () => {
    const first = [...s.shown.values()].find((x) => x.title === 'A动态1');
    const pending = expectOk(await api(base, 'PUT', `${CONTENTS}/${first.id}`,
      { token: A.admin.token, body: { title: '最好的A动态1', body: '新版待审。' } }));
    assert.equal(pending.status, 'held');
    let item = (await walk(investor, 200)).find((i) => i.content_id === first.id);
    assert.equal(item.title, 'A动态1');
    assert.equal(item.excerpt, 'A动态1的正文。');
    expectOk(await decide(first.id, pending.version, 'approve'));
    const items = await walk(investor, 200);
    item = items.find((i) => i.content_id === first.id);
    assert.equal(item.title, '最好的A动态1');
    assert.equal(item.excerpt, '新版待审。');
    assert.equal(item.published_ms, first.published_ms, 'first publication stays');
    first.title = '最好的A动态1';
    assert.deepEqual(ids(items), expectedOrder());
  });

  test('the excerpt is the text a reader sees, at most 120 characters', async () => {
    const body = `# 季度观点\n\n**长期**持有，[点此阅读](https://example.com/x)全文。\n\n${'慢'.repeat(200)}`;
    const c = await publish(B.admin, B, 'article', '长文', body);
    const item = (await walk(investor, 200)).find((i) => i.content_id === c.id);
    assert.ok(item.excerpt.startsWith('季度观点 长期持有，点此阅读全文。 慢慢'), item.excerpt);
    assert.ok(item.excerpt.endsWith('…'), item.excerpt);
    assert.equal([...item.excerpt].length, 121);
    for (const markup of ['#', '**', 'https', '](']) assert.ok(!item.excerpt.includes(markup));
  });

  test('script in a title is answered as JSON data', async () => {
    const title = '<script>alert(1)</script>';
    const c = await publish(B.admin, B, 'post', title, '<img src=x onerror=alert(1)> 正文');
    const res = await api(base, 'GET', `${FEED}?limit=1`, { token: investor.token });
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const [item] = expectOk(res).items;
    assert.equal(item.content_id, c.id);
    assert.equal(item.title, title);
    assert.equal(item.excerpt, '<img src=x onerror=alert(1)> 正文');
  });
});

suite('pages', () => {
  test('every page size walks the same feed without repeats or gaps', async () => {
    const all = ids(await walk(investor, 200));
    assert.equal(all.length, s.shown.size);
    for (const limit of [1, 2, 3, 7]) {
      assert.deepEqual(ids(await walk(investor, limit)), all, `limit ${limit}`);
    }
    const first = expectOk(await api(base, 'GET', FEED, { token: investor.token }));
    assert.equal(first.items.length, all.length, 'the default page holds them all (50)');
    assert.equal(first.next_cursor, null);
  });

  test('items published while paging are neither repeated nor skipped', async () => {
    const before = ids(await walk(investor, 200));
    let n = 0;
    const seen = await walk(investor, 3, async () => {
      n += 1;
      await publish(A.admin, A, 'post', `翻页时发布${n}`);
    });
    assert.deepEqual(ids(seen), before, 'the pages show exactly the items there were');
    const after = ids(await walk(investor, 200));
    assert.equal(after.length, before.length + n);
    assert.deepEqual(after.slice(n), before, 'the new ones come first');
  });

  test('items published in the same millisecond are ordered by id across pages', async () => {
    const some = expectedOrder().slice(2, 8);
    const ms = s.shown.get(some[0]).published_ms;
    await srv.sql(`UPDATE contents SET published_ms = ${ms} WHERE id IN (${some.join(', ')});`);
    for (const id of some) s.shown.get(id).published_ms = ms;
    const want = expectedOrder();
    for (const limit of [1, 2, 4]) {
      assert.deepEqual(ids(await walk(investor, limit)), want, `limit ${limit}`);
    }
  });

  test('bad page parameters answer 400', async () => {
    const first = expectOk(await api(base, 'GET', `${FEED}?limit=1`, { token: investor.token }));
    for (const q of ['?limit=0', '?limit=201', '?limit=-1', '?limit=1.5', '?cursor=',
      '?cursor=zz', `?cursor=${first.next_cursor}0`, `?cursor=${'f'.repeat(32)}`]) {
      expectProblem(await api(base, 'GET', FEED + q, { token: investor.token }), 400,
        'bad_request');
    }
  });
});

suite('whose feed', () => {
  test('unfollowing removes a zone; a suspended institution leaves every feed', async () => {
    expectOk(await api(base, 'DELETE', `/api/v1/investor/follows/${B.inst.id}`,
      { token: investor.token }));
    const onlyA = [...s.shown.values()].filter((x) => x.inst === A);
    assert.deepEqual(ids(await walk(investor, 5)), expectedOrder(onlyA));
    await setStatus(base, A.ops.token, A.inst.id, 'suspended');
    assert.deepEqual(await walk(investor, 5), []);
    await setStatus(base, A.ops.token, A.inst.id, 'live');
    assert.deepEqual(ids(await walk(investor, 5)), expectedOrder(onlyA));
  });

  test('only investors have a feed', async () => {
    for (const token of [A.admin.token, reviewer.token]) {
      expectProblem(await api(base, 'GET', FEED, { token }), 403, 'forbidden');
    }
    expectProblem(await api(base, 'GET', FEED), 401, 'unauthenticated');
    const fresh = await investorSession(base);
    assert.deepEqual(await walk(fresh, 10), []);
  });
});
