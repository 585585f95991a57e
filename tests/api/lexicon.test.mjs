// The compliance lexicon as operators maintain it: a published version is in force for the
// very next check, refused versions change nothing, and every publication is audited.

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
const risk = await operatorSession(srv, 'ops_risk');

const LEXICON = '/api/v1/ops/lexicon';

async function check(title, body) {
  return expectOk(await api(base, 'POST', '/api/v1/inst/contents/check',
    { token: A.admin.token, body: { title, body } })).check;
}

test('the built-in lexicon is version 0 and flags its terms', async () => {
  const lex = expectOk(await api(base, 'GET', LEXICON, { token: risk.token }));
  assert.equal(lex.version, 0);
  assert.ok(lex.terms.some((t) => t.term === '稳赚不赔' && t.severity === 'block'));
  const c = await check('天天赚', '稳赚不赔');
  assert.deepEqual([c.lexicon_version, c.verdict], [0, 'block']);
  assert.ok(!c.matches.some((m) => m.text === '天天赚'));
});

test('a published version is in force for the next check', async () => {
  const terms = [
    { term: '天天赚', severity: 'review', category: 'marketing_claim' },
    { term: '稳赚不赔', severity: 'block', category: 'marketing_claim' },
  ];
  const pub = expectOk(await api(base, 'POST', LEXICON, { token: reviewer.token,
    body: { terms } }), 201);
  assert.deepEqual(pub, { version: 1, terms: 2 });
  const c = await check('天 天 赚', '今天天气好');
  assert.deepEqual([c.lexicon_version, c.verdict], [1, 'review']);
  assert.deepEqual(c.matches.map((m) => [m.field, m.start, m.end, m.text, m.term]),
    [['title', 0, 11, '天 天 赚', '天天赚']]);
  // 保本 is no longer a term of version 1.
  assert.equal((await check('保本', '正文')).verdict, 'pass');
});

test('a refused version changes nothing', async () => {
  const before = expectOk(await api(base, 'GET', LEXICON, { token: reviewer.token }));
  const bad = [
    [{ terms: [] }, 'invalid_field'],
    [{ terms: [{ term: '', severity: 'block', category: 'x' }] }, 'lexicon_invalid'],
    [{ terms: [{ term: 'a', severity: 'warn', category: 'x' }] }, 'lexicon_invalid'],
    [{ terms: [{ term: 'a', severity: 'block', category: 'Bad Category' }] }, 'lexicon_invalid'],
    [{ terms: [{ term: 'a', severity: 'block', category: 'x', note: 'n' }] }, 'lexicon_invalid'],
    [{ terms: [{ term: 'ab', severity: 'block', category: 'x' },
      { term: 'Ａ Ｂ', severity: 'review', category: 'x' }] }, 'lexicon_invalid'],
    [{ terms: [{ term: 'x'.repeat(65), severity: 'block', category: 'x' }] }, 'lexicon_invalid'],
  ];
  for (const [body, code] of bad) {
    expectProblem(await api(base, 'POST', LEXICON, { token: reviewer.token, body }), 422, code);
  }
  const dup = await api(base, 'POST', LEXICON, { token: reviewer.token,
    body: { terms: [{ term: 'ab', severity: 'block', category: 'x' },
      { term: 'Ａ Ｂ', severity: 'review', category: 'x' }] } });
  assert.equal(dup.json.term, 1, 'the problem names the duplicate term');
  assert.deepEqual(expectOk(await api(base, 'GET', LEXICON, { token: reviewer.token })), before);
});

test('only admins and reviewers publish; investors and staff cannot read it', async () => {
  const body = { terms: [{ term: '天天赚', severity: 'review', category: 'x' }] };
  expectProblem(await api(base, 'POST', LEXICON, { token: risk.token, body }), 403, 'forbidden');
  expectProblem(await api(base, 'POST', LEXICON, { token: A.admin.token, body }), 403,
    'forbidden');
  expectProblem(await api(base, 'GET', LEXICON, { token: A.admin.token }), 403, 'forbidden');
});

test('every publication is audited and the chain verifies', async () => {
  const audit = expectOk(await api(base, 'GET', '/api/v1/ops/audit?limit=200',
    { token: risk.token })).items.filter((e) => e.action === 'lexicon.publish');
  assert.deepEqual(audit.map((e) => e.detail), [{ version: 1, terms: 2 }]);
  assert.equal(expectOk(await api(base, 'GET', '/api/v1/ops/audit/verify',
    { token: risk.token })).ok, true);
});
