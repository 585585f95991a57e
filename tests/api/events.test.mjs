// Interaction events (POST /api/v1/events) and the personalised-marketing choice, black-box:
// a batch is stored event by event with counts and reasons by index; a malformed batch is a
// 4xx problem and stores nothing; only signed-in investors send events; what is stored is a
// pseudonym and the institution found from the subject, never the account id or what the app
// claims; each investor has a budget of events a minute. Opting out of personalised
// marketing is kept with its time and limits nothing else.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  acceptAndLogin, createInstitution, investorSession, login, opsInvite, operatorSession, setStatus,
} from './lib/fixtures.mjs';
import { api, describe, expectOk, expectProblem } from './lib/http.mjs';
import { fileServer, startServer } from './lib/server.mjs';
import { NO_SCHEDULER, createProduct } from './lib/trading.mjs';

const srv = await fileServer(NO_SCHEDULER);
const base = srv.base;
const EVENTS = '/api/v1/events';
const MARKETING = '/api/v1/investor/marketing';

const ops = await operatorSession(srv);

/** An institution of `status` with an admin, a product and a published article. */
async function institution(status) {
  const inst = await createInstitution(base, ops.token);
  await setStatus(base, ops.token, inst.id, status === 'suspended' ? 'live' : status);
  const admin = await acceptAndLogin(base, await opsInvite(base, ops.token, inst.id));
  const product = await createProduct(base, admin.token);
  const content = expectOk(await api(base, 'POST', '/api/v1/inst/contents', { token: admin.token,
    body: { kind: 'article', title: '季度报告解读', body: '本季度的持仓变化说明。' } }), 201);
  assert.equal(content.status, 'published', 'a clean article is published at once');
  if (status === 'suspended') await setStatus(base, ops.token, inst.id, 'suspended');
  return { inst, admin, product, content };
}

const A = await institution('live');
const B = await institution('pilot');
const S = await institution('suspended');

const now = () => Date.now();

/** One event of each kind about A. */
function allKinds(t = now()) {
  return [
    { kind: 'zone_view', at_ms: t, zone_id: A.inst.id },
    { kind: 'product_view', at_ms: t, product_id: A.product.id },
    { kind: 'content_view', at_ms: t, content_id: A.content.id },
    { kind: 'follow', at_ms: t, zone_id: A.inst.id },
    { kind: 'share', at_ms: t, content_id: A.content.id },
    { kind: 'order_started', at_ms: t, product_id: A.product.id },
    { kind: 'order_placed', at_ms: t, product_id: A.product.id },
    { kind: 'recommendation_impression', at_ms: t, zone_id: A.inst.id, slot: 'home' },
  ];
}

function send(token, events, opts = {}) {
  return api(base, 'POST', EVENTS, { token, body: { events }, ...opts });
}

async function sendOk(token, events) {
  return expectOk(await send(token, events), 200);
}

/** The stored events of ids greater than `after`, as rows of numbers. */
async function storedAfter(after) {
  const out = await srv.sql(`.mode list\nSELECT id, kind, investor_key, institution_id,
    COALESCE(product_id, ''), COALESCE(content_id, ''), COALESCE(slot, ''), client_ms
    FROM events WHERE id > ${after} ORDER BY id;`);
  return out.trim() === '' ? [] : out.trim().split('\n').map((l) => {
    const [id, kind, key, inst, product, content, slot, clientMs] = l.split('|');
    return { id: BigInt(id), kind: Number(kind), key, inst, product, content, slot,
      clientMs: Number(clientMs) };
  });
}

async function lastId() {
  const out = (await srv.sql('SELECT COALESCE(MAX(id), 0) FROM events;')).trim();
  return BigInt(out);
}

test('a batch of every kind is stored with a pseudonym and the subject\'s institution', async () => {
  const inv = await investorSession(base);
  const before = await lastId();
  const t0 = now();
  const res = await sendOk(inv.token, allKinds(t0 - 5000));
  assert.deepEqual(res, { accepted: 8, rejected: [] });
  const rows = await storedAfter(before);
  assert.equal(rows.length, 8);
  assert.deepEqual(rows.map((r) => r.kind), [1, 2, 3, 4, 5, 6, 7, 8]);
  for (const r of rows) {
    // The institution is A for every subject: the zone itself, its product, its article.
    assert.equal(r.inst, A.inst.id);
    // A pseudonym: the same for the whole batch, and not the account id.
    assert.equal(r.key, rows[0].key);
    assert.notEqual(r.key, inv.user.id);
    assert.equal(r.clientMs, t0 - 5000);
    // The id is the receive time (ms) shifted by 16 bits: now, whatever the app's clock said.
    const receivedMs = Number(r.id >> 16n);
    assert.ok(receivedMs >= t0 - 1000 && receivedMs <= now() + 1000, `received ${receivedMs}`);
  }
  assert.deepEqual(rows.map((r) => r.product),
    ['', A.product.id, '', '', '', A.product.id, A.product.id, '']);
  assert.deepEqual(rows.map((r) => r.content), ['', '', A.content.id, '', A.content.id, '', '', '']);
  assert.deepEqual(rows.map((r) => r.slot), ['', '', '', '', '', '', '', '1']);
  // Ids strictly increase, in the order of the batch.
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i].id > rows[i - 1].id);
  // No column of the table holds the account id.
  const leak = await srv.sql(`SELECT count(*) FROM events WHERE investor_key = ${inv.user.id}
    OR institution_id = ${inv.user.id} OR product_id = ${inv.user.id}
    OR content_id = ${inv.user.id};`);
  assert.equal(leak.trim(), '0');
});

test('the pseudonym is stable for one investor and differs between investors', async () => {
  const a = await investorSession(base);
  const b = await investorSession(base);
  const before = await lastId();
  const one = [{ kind: 'zone_view', at_ms: now(), zone_id: A.inst.id }];
  await sendOk(a.token, one);
  await sendOk(b.token, one);
  await sendOk(a.token, one);
  const keys = (await storedAfter(before)).map((r) => r.key);
  assert.equal(keys.length, 3);
  assert.equal(keys[0], keys[2]);
  assert.notEqual(keys[0], keys[1]);
});

test('a large batch is stored whole, in order, with the bad ones left out', async () => {
  const inv = await investorSession(base);
  const kinds = allKinds();
  // 499 events, every 50th of them bad: 489 are stored, in the order sent.
  const list = Array.from({ length: 499 }, (_, i) => (i % 50 === 7
    ? { kind: 'zone_view', at_ms: now() } : kinds[i % kinds.length]));
  const before = await lastId();
  const res = await sendOk(inv.token, list);
  assert.equal(res.accepted, 489);
  assert.deepEqual(res.rejected.map((r) => r.index),
    Array.from({ length: 10 }, (_, i) => i * 50 + 7));
  const rows = await storedAfter(before);
  const want = list.filter((e, i) => i % 50 !== 7).map((e) => allKinds()
    .findIndex((k) => k.kind === e.kind) + 1);
  assert.deepEqual(rows.map((r) => r.kind), want);
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i].id, rows[i - 1].id + 1n);
});

test('bad events are refused one by one, with the reason and the index', async () => {
  const inv = await investorSession(base);
  const t = now();
  const events = [
    { kind: 'zone_view', at_ms: t, zone_id: A.inst.id },                     // 0 good
    { kind: 'page_view', at_ms: t, zone_id: A.inst.id },                     // 1 unknown kind
    { kind: 'zone_view', zone_id: A.inst.id },                               // 2 no at_ms
    { kind: 'zone_view', at_ms: t - 8 * 86400000, zone_id: A.inst.id },      // 3 too old
    { kind: 'zone_view', at_ms: t + 2 * 86400000, zone_id: A.inst.id },      // 4 too far ahead
    { kind: 'zone_view', at_ms: String(t), zone_id: A.inst.id },             // 5 at_ms a string
    { kind: 'zone_view', at_ms: t, zone_id: Number(A.inst.id) },             // 6 id a number
    { kind: 'zone_view', at_ms: t, zone_id: `0${A.inst.id}` },               // 7 leading zero
    { kind: 'zone_view', at_ms: t, zone_id: A.inst.id, referrer: 'x' },      // 8 unknown field
    { kind: 'product_view', at_ms: t, zone_id: A.inst.id },                  // 9 wrong subject
    { kind: 'share', at_ms: t, zone_id: A.inst.id, content_id: A.content.id }, // 10 two
    { kind: 'zone_view', at_ms: t, zone_id: A.inst.id, slot: 'home' },       // 11 slot
    { kind: 'recommendation_impression', at_ms: t, zone_id: A.inst.id },     // 12 no slot
    { kind: 'recommendation_impression', at_ms: t, zone_id: A.inst.id, slot: 'top' }, // 13
    { kind: 'product_view', at_ms: t, product_id: '1234567890123' },         // 14 unknown
    { kind: 'zone_view', at_ms: t, zone_id: S.inst.id },                     // 15 suspended
    { kind: 'content_view', at_ms: t, content_id: S.content.id },            // 16 suspended
    'zone_view',                                                             // 17 not an object
    { kind: 'share', at_ms: t },                                             // 18 no subject
    { kind: 'product_view', at_ms: t, product_id: B.product.id },            // 19 good (B)
  ];
  const before = await lastId();
  const res = await sendOk(inv.token, events);
  assert.equal(res.accepted, 2, describe({ status: 200, text: JSON.stringify(res) }));
  const byIndex = Object.fromEntries(res.rejected.map((r) => [r.index, r]));
  const want = {
    1: ['invalid_field', 'kind'], 2: ['missing_field', 'at_ms'], 3: ['invalid_field', 'at_ms'],
    4: ['invalid_field', 'at_ms'], 5: ['invalid_field', 'at_ms'], 6: ['invalid_field', 'zone_id'],
    7: ['invalid_field', 'zone_id'], 8: ['unknown_field', undefined],
    9: ['invalid_field', undefined], 10: ['invalid_field', undefined],
    11: ['invalid_field', 'slot'], 12: ['missing_field', 'slot'], 13: ['invalid_field', 'slot'],
    14: ['not_found', 'product_id'], 15: ['not_found', 'zone_id'],
    16: ['not_found', 'content_id'], 17: ['invalid_field', undefined],
    18: ['missing_field', undefined],
  };
  assert.deepEqual(res.rejected.map((r) => r.index), Object.keys(want).map(Number),
    'rejected indexes, ascending');
  for (const [i, [code, field]] of Object.entries(want)) {
    assert.equal(byIndex[i].code, code, `event ${i}: ${JSON.stringify(byIndex[i])}`);
    assert.equal(byIndex[i].field, field, `event ${i}: ${JSON.stringify(byIndex[i])}`);
    assert.ok(byIndex[i].detail.length > 0);
  }
  const rows = await storedAfter(before);
  assert.deepEqual(rows.map((r) => [r.kind, r.inst]), [[1, A.inst.id], [2, B.inst.id]]);
});

test('a malformed batch is a problem and stores nothing', async () => {
  const inv = await investorSession(base);
  const good = allKinds();
  const before = await lastId();
  expectProblem(await api(base, 'POST', EVENTS, { token: inv.token, body: '{"events": [' }),
    400, 'bad_json');
  expectProblem(await api(base, 'POST', EVENTS, { token: inv.token, body: {} }), 422,
    'missing_field');
  expectProblem(await api(base, 'POST', EVENTS, { token: inv.token, body: { events: {} } }), 422,
    'invalid_field');
  expectProblem(await send(inv.token, []), 422, 'invalid_field');
  const many = Array.from({ length: 501 }, () => good[0]);
  const tooMany = await send(inv.token, many);
  expectProblem(tooMany, 422, 'invalid_field');
  assert.equal(tooMany.json.field, 'events');
  expectProblem(await api(base, 'POST', EVENTS, { token: inv.token,
    body: { events: good, device: 'x' } }), 422, 'unknown_field');
  expectProblem(await api(base, 'POST', EVENTS, { token: inv.token, body: JSON.stringify(
    { events: good }), contentType: 'text/plain' }), 415, 'unsupported_media_type');
  const huge = JSON.stringify({ events: [{ ...good[0], pad: 'x'.repeat(70 * 1024) }] });
  expectProblem(await api(base, 'POST', EVENTS, { token: inv.token, body: huge }), 413,
    'body_too_large');
  assert.equal(await lastId(), before, 'nothing stored');
});

test('only a signed-in investor sends events', async () => {
  const one = [{ kind: 'zone_view', at_ms: now(), zone_id: A.inst.id }];
  expectProblem(await api(base, 'POST', EVENTS, { body: { events: one } }), 401,
    'unauthenticated');
  expectProblem(await send(A.admin.token, one), 403, 'forbidden');
  expectProblem(await send(ops.token, one), 403, 'forbidden');
  // A device key is no credential.
  expectProblem(await api(base, 'POST', EVENTS, { body: { events: one },
    headers: { 'X-Device-Key': 'abc' } }), 401, 'unauthenticated');
});

test('each investor has a budget of events a minute', async () => {
  // A server of its own with a budget of 5 a minute: one event comes back every 12 s, far
  // longer than the requests below take.
  const budget = 5;
  const s2 = await startServer({ ...NO_SCHEDULER, CAIFUHAO_EVENTS_PER_MINUTE: String(budget) });
  try {
    const o = await operatorSession(s2);
    const inst = await createInstitution(s2.base, o.token);
    await setStatus(s2.base, o.token, inst.id, 'live');
    const a = await investorSession(s2.base);
    const b = await investorSession(s2.base);
    const post = (token, n) => api(s2.base, 'POST', EVENTS, { token, body: { events:
      Array.from({ length: n }, () => ({ kind: 'zone_view', at_ms: now(), zone_id: inst.id })) } });
    // Invalid events use none of it.
    const bad = expectOk(await api(s2.base, 'POST', EVENTS, { token: a.token,
      body: { events: [{ kind: 'zone_view', at_ms: now() }] } }));
    assert.equal(bad.accepted, 0);
    assert.deepEqual(expectOk(await post(a.token, 3)), { accepted: 3, rejected: [] });
    // 2 left: the first 2 of 4 are stored, the rest refused by index.
    const part = expectOk(await post(a.token, 4));
    assert.equal(part.accepted, 2);
    assert.deepEqual(part.rejected.map((r) => [r.index, r.code]),
      [[2, 'rate_limited'], [3, 'rate_limited']]);
    // Nothing left: the whole batch is 429 with Retry-After, until the budget refills.
    const none = await post(a.token, 1);
    expectProblem(none, 429, 'rate_limited');
    const retry = Number(none.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 12, `Retry-After ${retry}`);
    // Another session of the same investor shares the budget.
    const again = await login(s2.base, a.user.login, 'Investor-pass-1');
    expectProblem(await post(again.token, 1), 429, 'rate_limited');
    // Another investor has a budget of their own.
    assert.deepEqual(expectOk(await post(b.token, budget)), { accepted: budget, rejected: [] });
    const stored = await s2.sql('SELECT count(*) FROM events;');
    assert.equal(stored.trim(), String(3 + 2 + budget));
  } finally {
    await s2.stop();
    await s2.removeWorkdir();
  }
});

test('the marketing opt-out is kept with its time and changes nothing else', async () => {
  const inv = await investorSession(base);
  const get = async () => expectOk(await api(base, 'GET', MARKETING, { token: inv.token }))
    .marketing;
  const put = (body) => api(base, 'PUT', MARKETING, { token: inv.token, body });
  assert.deepEqual(await get(), { opted_out: false, updated_ms: null });
  // Saying "not opted out" when never chosen changes nothing.
  assert.deepEqual(expectOk(await put({ opted_out: false })).marketing,
    { opted_out: false, updated_ms: null });
  const out = expectOk(await put({ opted_out: true })).marketing;
  assert.equal(out.opted_out, true);
  assert.ok(Math.abs(out.updated_ms - now()) < 60000);
  assert.deepEqual(await get(), out);
  // Again: the same, not even a new time.
  assert.deepEqual(expectOk(await put({ opted_out: true })).marketing, out);
  // Still everything else: events, follows, the feed.
  assert.equal((await sendOk(inv.token, allKinds())).accepted, 8);
  expectOk(await api(base, 'POST', `/api/v1/investor/follows/${A.inst.id}`, { token: inv.token }));
  expectOk(await api(base, 'GET', '/api/v1/investor/feed', { token: inv.token }));
  const back = expectOk(await put({ opted_out: false })).marketing;
  assert.equal(back.opted_out, false);
  assert.ok(back.updated_ms >= out.updated_ms);
  // Every change is kept, in order.
  const log = await srv.sql(`SELECT group_concat(opted_out, ',') FROM (SELECT opted_out FROM
    marketing_pref_changes WHERE investor_id = ${inv.user.id} ORDER BY id);`);
  assert.equal(log.trim(), '1,0');
  // Bad bodies; other roles.
  expectProblem(await put({ opted_out: 'yes' }), 422, 'invalid_field');
  expectProblem(await put({}), 422, 'missing_field');
  expectProblem(await put({ opted_out: true, reason: 'x' }), 422, 'unknown_field');
  expectProblem(await api(base, 'GET', MARKETING, { token: A.admin.token }), 403, 'forbidden');
  expectProblem(await api(base, 'GET', MARKETING), 401, 'unauthenticated');
});

test('follows and unfollows are recorded as they change, for exact follower counts', async () => {
  const inv = await investorSession(base);
  const path = `/api/v1/investor/follows/${B.inst.id}`;
  const count = async () => (await srv.sql(`SELECT COALESCE(SUM(delta), 0) || ':' || count(*)
    FROM follow_changes WHERE institution_id = ${B.inst.id};`)).trim();
  const start = await count();
  const [sum0, n0] = start.split(':').map(Number);
  expectOk(await api(base, 'POST', path, { token: inv.token }));
  expectOk(await api(base, 'POST', path, { token: inv.token })); // again: no change
  assert.equal(await count(), `${sum0 + 1}:${n0 + 1}`);
  expectOk(await api(base, 'DELETE', path, { token: inv.token }));
  expectOk(await api(base, 'DELETE', path, { token: inv.token })); // again: no change
  assert.equal(await count(), `${sum0}:${n0 + 2}`);
});
