// Content workflow edges: stale held versions, takedowns, bodies that must render, byte
// limits and titles that must show something. Each was once a defect; these keep them fixed.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { operatorSession } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';
import { api, institutionWithStaff } from './lib/trading.mjs';

const srv = await startServer();
after(async () => {
  await srv.stop();
  await srv.removeWorkdir();
});
const base = srv.base;
const A = await institutionWithStaff(srv);
const reviewer = await operatorSession(srv, 'ops_reviewer');

const CONTENTS = '/api/v1/inst/contents';

async function createOk(body) {
  return expectOk(await api(base, 'POST', CONTENTS, { token: A.admin.token, body }), 201);
}

async function editOk(id, body) {
  return expectOk(await api(base, 'PUT', `${CONTENTS}/${id}`, { token: A.admin.token, body }));
}

function decide(id, version, decision, reason) {
  return api(base, 'POST', `/api/v1/ops/contents/${id}/versions/${version}/decision`,
    { token: reviewer.token, body: { decision, reason } });
}

function readPublic(id) {
  return api(base, 'GET', `/api/v1/public/contents/${id}`);
}

test('approving an older held version does not replace a newer published one', async () => {
  const v1 = await createOk({ kind: 'post', title: '最佳实践', body: '一' });
  assert.equal(v1.status, 'held');
  const v2 = await editOk(v1.id, { title: '实践', body: '二' });
  assert.deepEqual([v2.version, v2.status], [2, 'published']);
  await decide(v1.id, 1, 'approve', '旧版本');
  assert.equal(expectOk(await readPublic(v1.id)).content.version, 2);
});

test('a version held before a takedown does not bring the item back', async () => {
  const v1 = await createOk({ kind: 'post', title: '周报', body: '一' });
  const v2 = await editOk(v1.id, { title: '最强周报', body: '二' });
  assert.equal(v2.status, 'held');
  expectOk(await api(base, 'POST', `/api/v1/ops/contents/${v1.id}/takedown`,
    { token: reviewer.token, body: { reason: '下架' } }));
  await decide(v1.id, 2, 'approve', '同意');
  expectProblem(await readPublic(v1.id), 404, 'not_found');
});

test('a body that would not render is refused when saved, not after', async () => {
  // 61,440 "&" render to 307,200 bytes of HTML, over the 256 KiB a page may have.
  expectProblem(await api(base, 'POST', CONTENTS, { token: A.admin.token,
    body: { kind: 'article', title: '符号', body: '&'.repeat(61440) } }), 422, 'invalid_field',
  'body');
});

test('a body over 60 KiB of UTF-8 is refused', async () => {
  const body = { kind: 'article', title: '长文', body: '汉'.repeat(20500) };
  assert.equal(Buffer.byteLength(body.body), 61500);
  expectProblem(await api(base, 'POST', CONTENTS, { token: A.admin.token, body }), 422,
    'invalid_field', 'body');
});

test('a title must show something and hold no control characters', async () => {
  for (const title of ['\u200b', ' ', '\u3000', 'a\u202eb', 'a\u0001b', 'a\u007fb']) {
    expectProblem(await api(base, 'POST', CONTENTS, { token: A.admin.token,
      body: { kind: 'post', title, body: '正文' } }), 422, 'invalid_field', 'title');
  }
});

test('a post is at most 500 characters, through its edits too', async () => {
  expectProblem(await api(base, 'POST', CONTENTS, { token: A.admin.token,
    body: { kind: 'post', title: '快讯', body: '字'.repeat(501) } }), 422, 'invalid_field', 'body');
  const post = await createOk({ kind: 'post', title: '快讯', body: '字'.repeat(500) });
  assert.equal(post.status, 'published');
  expectProblem(await api(base, 'PUT', `${CONTENTS}/${post.id}`, { token: A.admin.token,
    body: { title: '快讯', body: '字'.repeat(501) } }), 422, 'invalid_field');
  // An article is not a post: the same length is fine.
  assert.equal((await createOk({ kind: 'article', title: '长文', body: '字'.repeat(501) })).status,
    'published');
});
