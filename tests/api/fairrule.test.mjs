// The fair traffic rule, black box: drafts and their checks, publication with a notice period,
// published versions that never change, the daily score and allocation from the metrics
// table, the public record and key, `caifuhao verify-allocation` on true and tampered days,
// each institution's own breakdown (and nobody else's), recommendation slots that follow the
// allocation with counts written in the background, and neutrality: marking institutions as
// the platform's own at random changes nothing that is published.
//
// Fixture: the daily metrics (inst_metrics_daily) are written here with the sqlite3 shell,
// standing in for the daily roll-up that fills that table in production.

import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import {
  acceptAndLogin, createInstitution, investorSession, login, opsInvite, setStatus, unique,
} from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import { Server, runCli } from './lib/server.mjs';
import { World, api, checkContract, clockEnv } from './lib/trading.mjs';

const w = await World.create();
after(() => w.cleanup());
await w.at('2026-03-10');
checkContract(await loadOpenApi(w.base));
const OPS_LOGIN = unique('fair.ops.');
const { password: OPS_PASSWORD } = await w.srv.createOperator(OPS_LOGIN, 'ops_admin');
const REVIEWER = unique('fair.rev.');
const { password: REV_PASSWORD } = await w.srv.createOperator(REVIEWER, 'ops_reviewer');

const RULE = {
  terms: [
    { metric: 'answer_rate', weight: 3, normalisation: 'range', lo: 0, hi: 1000000,
      missing_ppm: 500000 },
    { metric: 'question_response_time', weight: 2, normalisation: 'range', lo: 0, hi: 86400,
      missing_ppm: 0 },
    { metric: 'follower_growth', weight: 1, direction: 'higher', normalisation: 'relative',
      missing_ppm: 0 },
  ],
  floor_days: 30,
  floor_ppm: 50000,
  cap_ppm: 400000,
  total: 100000,
};

const ops = async () => (await login(w.base, OPS_LOGIN, OPS_PASSWORD)).token;
const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const verify = (args, date = '2026-04-01') => w.cli(['verify-allocation', ...args], date);

/** Writes one day's metrics, {instId: {metric: value}}, as the daily roll-up would. */
async function writeMetrics(day, byInst) {
  const rows = [];
  for (const [id, metrics] of Object.entries(byInst)) {
    for (const [m, v] of Object.entries(metrics)) rows.push(`('${day}', ${id}, '${m}', ${v})`);
  }
  // The roll-up also records each metric's unit, denominator and window; any will do here.
  await w.sql('INSERT INTO inst_metrics_daily (day, institution_id, metric, value, unit, ' +
    "denominator, window_days) SELECT column1, column2, column3, column4, CASE column3 WHEN " +
    `'question_response_time' THEN 's' ELSE 'ppm' END, 1, 30 FROM (VALUES ${rows.join(', ')});`);
}

function randomMetrics() {
  return {
    answer_rate: randomInt(1000000),
    question_response_time: randomInt(100000),
    follower_growth: randomInt(200000) - 50000,
    complaint_rate: randomInt(500),
  };
}

const insts = {}; // name -> institution
const staff = {}; // name -> {login, password}

test('drafts are checked field by field; a published version never changes', async () => {
  const token = await ops();
  const bad = structuredClone(RULE);
  bad.terms[2].weight = 0;
  let res = await api(w.base, 'POST', '/api/v1/ops/fair-rules', { token, body: bad });
  expectProblem(res, 422, 'rule_invalid', 'terms[2].weight');
  assert.match(res.json.detail, /a weight must be 1 to 1000/);
  for (const [patch, field] of [
    [{ total: 0 }, 'total'],
    [{ cap_ppm: 2000000 }, 'cap_ppm'],
    [{ floor_days: -1 }, 'floor_days'],
    [{ platform_own: true }, 'platform_own'],
    [{ terms: [{ ...RULE.terms[0], metric: 'platform_own' }] }, 'terms[0].metric'],
    [{ terms: [RULE.terms[0], RULE.terms[0]] }, 'terms[1].metric'],
    [{ terms: [{ ...RULE.terms[2], lo: 1 }] }, 'terms[0].lo'],
    [{ terms: [{ ...RULE.terms[0], hi: 0 }] }, 'terms[0].hi'],
    [{ terms: [] }, 'terms'],
  ]) {
    res = await api(w.base, 'POST', '/api/v1/ops/fair-rules', { token, body: { ...RULE, ...patch } });
    expectProblem(res, 422, 'rule_invalid', field);
  }
  res = await api(w.base, 'POST', '/api/v1/ops/fair-rules', { token, body: '{"terms": [' });
  expectProblem(res, 400, 'bad_json');

  // Reviewers read, only admins write.
  const rev = (await login(w.base, REVIEWER, REV_PASSWORD)).token;
  expectProblem(await api(w.base, 'POST', '/api/v1/ops/fair-rules', { token: rev, body: RULE }),
    403, 'forbidden');

  const draft = expectOk(await api(w.base, 'POST', '/api/v1/ops/fair-rules',
    { token, body: { ...RULE, total: 5 } }), 201);
  assert.equal(draft.status, 'draft');
  assert.equal(draft.hash, null);
  // The public sees no draft.
  expectProblem(await api(w.base, 'GET', `/api/v1/public/fair-rules/${draft.version}`), 404);
  const edited = expectOk(await api(w.base, 'PUT', `/api/v1/ops/fair-rules/${draft.version}`,
    { token, body: RULE }));
  assert.equal(edited.rule.total, 100000);
  assert.equal(edited.rule.terms[1].direction, 'lower'); // the catalogue's own
  expectOk(await api(w.base, 'GET', '/api/v1/ops/fair-rules', { token: rev }));

  const v = draft.version;
  expectProblem(await api(w.base, 'POST', `/api/v1/ops/fair-rules/${v}/publish`,
    { token, body: { notice_days: 14 } }), 422, 'invalid_field', 'notice_days');
  const pub = expectOk(await api(w.base, 'POST', `/api/v1/ops/fair-rules/${v}/publish`,
    { token }));
  assert.equal(pub.status, 'published');
  assert.equal(pub.published_date, '2026-03-10');
  assert.equal(pub.notice_days, 15);
  assert.equal(pub.effective_date, '2026-03-25');
  assert.equal(pub.hash, sha256(pub.text));
  assert.deepEqual(JSON.parse(pub.text), pub.rule);

  // Never edited, never published twice, never changed in the database either.
  expectProblem(await api(w.base, 'PUT', `/api/v1/ops/fair-rules/${v}`,
    { token, body: { ...RULE, total: 7 } }), 409, 'conflict');
  expectProblem(await api(w.base, 'POST', `/api/v1/ops/fair-rules/${v}/publish`, { token }),
    409, 'conflict');
  await assert.rejects(w.sql(`UPDATE fair_rule_versions SET text = '{}' WHERE version = ${v};`),
    /cannot be changed/);
  await assert.rejects(w.sql(`UPDATE fair_rule_versions SET effective_date = '2026-03-11' ` +
    `WHERE version = ${v};`), /cannot be changed/);
  const stored = expectOk(await api(w.base, 'GET', `/api/v1/public/fair-rules/${v}`));
  assert.equal(stored.hash, pub.hash);
  assert.equal(stored.rule.total, 100000);

  // A later version may not take effect before an earlier one.
  const second = expectOk(await api(w.base, 'POST', '/api/v1/ops/fair-rules',
    { token, body: RULE }), 201);
  expectOk(await api(w.base, 'POST', `/api/v1/ops/fair-rules/${second.version}/publish`,
    { token, body: { notice_days: 30 } }));
  const third = expectOk(await api(w.base, 'POST', '/api/v1/ops/fair-rules',
    { token, body: RULE }), 201);
  expectProblem(await api(w.base, 'POST', `/api/v1/ops/fair-rules/${third.version}/publish`,
    { token, body: { notice_days: 15 } }), 409, 'conflict');

  // Published today, in force only from the 15th day on.
  const list = expectOk(await api(w.base, 'GET', '/api/v1/public/fair-rules'));
  assert.equal(list.in_force_version, null);
  assert.deepEqual(list.items.map((i) => i.version), [second.version, v]);
  insts.ruleVersion = v;
});

test('institutions open to investors, with staff', async () => {
  const token = await ops();
  for (const name of ['a', 'b', 'c', 'p']) {
    const inst = await createInstitution(w.base, token);
    await setStatus(w.base, token, inst.id, 'pilot');
    if (name !== 'p') await setStatus(w.base, token, inst.id, 'live');
    insts[name] = inst;
  }
  insts.x = await createInstitution(w.base, token); // applied: takes no part
  for (const name of ['a', 'b']) {
    const invite = await opsInvite(w.base, token, insts[name].id, 'inst_admin');
    await acceptAndLogin(w.base, invite);
    staff[name] = { login: invite.user.login, password: 'Staff-pass-1' };
  }
});

const METRICS_0325 = {};

test('the rule applies only after its notice; the day is scored, allocated and published', async () => {
  let r = await w.cli(['batch', 'score', '--date', '2026-03-24'], '2026-03-26');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /no published rule version is in force on 2026-03-24/);
  r = await w.cli(['batch', 'score', '--date', '2026-03-26'], '2026-03-26');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not over/);
  r = await w.cli(['batch', 'score', '--date', '2026-03-25'], '2026-03-26');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no metrics for 2026-03-25/);

  await w.at('2026-03-25');
  const list = expectOk(await api(w.base, 'GET', '/api/v1/public/fair-rules'));
  assert.equal(list.in_force_version, insts.ruleVersion);

  for (const n of ['a', 'b', 'c', 'p', 'x']) METRICS_0325[insts[n].id] = randomMetrics();
  delete METRICS_0325[insts.c.id].answer_rate; // missing: missing_ppm
  // NULL: the roll-up had nothing to measure (no questions, say), which is not zero: missing.
  METRICS_0325[insts.a.id].compliance_record = null;
  await writeMetrics('2026-03-25', METRICS_0325);
  r = await w.cliOk(['batch', 'score', '--date', '2026-03-25'], '2026-03-26');
  assert.match(r.stdout, /published 4 institutions, rule version \d+, 100000 impressions/);
  r = await w.cliOk(['batch', 'score', '--date', '2026-03-25'], '2026-03-26', '11:00:00');
  assert.match(r.stdout, /already published .*left alone/);

  await w.at('2026-03-26');
  const days = expectOk(await api(w.base, 'GET', '/api/v1/public/fair-days'));
  assert.equal(days.items[0].date, '2026-03-25');
  assert.equal(days.items[0].prev_hash, '0'.repeat(64));
  const day = expectOk(await api(w.base, 'GET', '/api/v1/public/fair-days/2026-03-25'));
  const rec = day.record;
  const ids = [insts.a, insts.b, insts.c, insts.p].map((i) => BigInt(i.id)).sort((x, y) =>
    (x < y ? -1 : 1)).map(String);
  assert.deepEqual(rec.inputs.map((i) => i.institution_id), ids);
  assert.equal(rec.results.reduce((s, x) => s + x.impressions, 0), rec.total);
  assert.equal(rec.total, 100000);
  for (const input of rec.inputs) {
    const want = { ...METRICS_0325[input.institution_id] };
    for (const [m, v] of Object.entries(want)) if (v === null) delete want[m];
    assert.deepEqual(input.metrics, want);
    assert.equal(input.is_new, true); // live since 2026-03-10: 15 days < 30
  }
  for (const x of rec.results) {
    assert.equal(x.floor, 5000);
    assert.equal(x.cap, 40000);
    assert.ok(x.impressions >= x.floor && x.impressions <= x.cap);
  }
  assert.equal(rec.rule_hash, sha256(rec.rule_text));
  // The hash is that of the canonical record: keys sorted, no blanks.
  assert.equal(day.hash, sha256(canonical(rec)));
  const key = expectOk(await api(w.base, 'GET', '/api/v1/public/fair-key'));
  assert.match(key.public_key, /^[0-9a-f]{64}$/);
  insts.key = key.public_key;
});

/** JSON with members sorted and no blanks, as the platform hashes it. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

test('each institution sees its own breakdown and nobody else\'s', async () => {
  const day = expectOk(await api(w.base, 'GET', '/api/v1/public/fair-days/2026-03-25')).record;
  for (const n of ['a', 'b']) {
    const { token } = await login(w.base, staff[n].login, staff[n].password);
    // Asking for another institution is not possible: the id comes from the session.
    const other = insts[n === 'a' ? 'b' : 'a'].id;
    const res = await api(w.base, 'GET',
      `/api/v1/inst/fair-score?from=2026-03-20&to=2026-03-31&institution_id=${other}`, { token });
    const own = expectOk(res);
    assert.equal(own.institution_id, insts[n].id);
    assert.equal(own.items.length, 1);
    const item = own.items[0];
    const i = day.results.findIndex((x) => x.institution_id === insts[n].id);
    assert.equal(item.date, '2026-03-25');
    assert.equal(item.served_on, '2026-03-26');
    assert.equal(item.impressions, day.results[i].impressions);
    assert.equal(item.score_ppm, day.results[i].score_ppm);
    assert.deepEqual(item.inputs, day.inputs[i].metrics);
    assert.deepEqual(item.norm_ppm, day.results[i].norm_ppm);
    assert.ok(['answer_rate', 'question_response_time', 'follower_growth', null]
      .includes(item.costliest));
    assert.ok(!res.text.includes(other), 'another institution\'s id in the answer');
    expectProblem(await api(w.base, 'GET', '/api/v1/inst/fair-score?from=2026-01-01&to=2026-12-31',
      { token }), 400);
    expectProblem(await api(w.base, 'GET', '/api/v1/inst/fair-score?from=yesterday',
      { token }), 400);
  }
  const inv = await investorSession(w.base);
  expectProblem(await api(w.base, 'GET', '/api/v1/inst/fair-score', { token: inv.token }), 403);
  expectProblem(await api(w.base, 'GET', '/api/v1/ops/fair-deliveries/2026-03-26',
    { token: inv.token }), 403);
});

test('recommendation slots follow the allocation; deliveries are counted', async () => {
  const day = expectOk(await api(w.base, 'GET', '/api/v1/public/fair-days/2026-03-25')).record;
  const alloc = Object.fromEntries(day.results.map((x) => [x.institution_id, x.impressions]));
  const seen = {};
  const count = (items) => {
    for (const it of items) seen[it.institution_id] = (seen[it.institution_id] ?? 0) + 1;
  };
  const N = 400;
  for (let k = 0; k < N; k++) {
    const r = expectOk(await api(w.base, 'GET', '/api/v1/public/recommendations?slots=1'));
    assert.equal(r.record_date, '2026-03-25');
    count(r.items);
  }
  for (const [id, a] of Object.entries(alloc)) {
    const want = (N * a) / day.total;
    assert.ok(Math.abs((seen[id] ?? 0) - want) <= 2,
      `institution ${id}: ${seen[id]} slots of ${N}, allocation says ${want.toFixed(1)}`);
  }
  const three = expectOk(await api(w.base, 'GET', '/api/v1/public/recommendations?slots=3'));
  assert.equal(new Set(three.items.map((i) => i.institution_id)).size, 3);
  count(three.items);
  const inv = await investorSession(w.base);
  const feed = expectOk(await api(w.base, 'GET', '/api/v1/investor/feed', { token: inv.token }));
  assert.equal(feed.recommendations.length, 3);
  count(feed.recommendations);
  for (const bad of ['0', '11', 'x']) {
    expectProblem(await api(w.base, 'GET', `/api/v1/public/recommendations?slots=${bad}`), 400);
  }

  // A suspended institution is never recommended, whatever its allocation.
  const token = await ops();
  await setStatus(w.base, token, insts.a.id, 'suspended');
  for (let k = 0; k < 20; k++) {
    const r = expectOk(await api(w.base, 'GET', '/api/v1/public/recommendations?slots=10'));
    assert.ok(r.items.every((i) => i.institution_id !== insts.a.id));
    assert.equal(r.items.length, 3);
    count(r.items);
  }
  await setStatus(w.base, token, insts.a.id, 'live');

  // Delivered versus allocated, once the counts are written (every 2 s).
  await new Promise((r) => setTimeout(r, 2600));
  const report = expectOk(await api(w.base, 'GET', '/api/v1/ops/fair-deliveries/2026-03-26',
    { token }));
  assert.equal(report.record_date, '2026-03-25');
  assert.equal(report.allocated, day.total);
  for (const item of report.items) {
    assert.equal(item.allocated, alloc[item.institution_id]);
    assert.equal(item.delivered, seen[item.institution_id] ?? 0, item.institution_id);
  }
  const a = await login(w.base, staff.a.login, staff.a.password);
  const mine = expectOk(await api(w.base, 'GET', '/api/v1/inst/fair-score?from=2026-03-25',
    { token: a.token }));
  assert.equal(mine.items[0].delivered, seen[insts.a.id]);
  // Counts survive a restart (written on the way down too).
  const before = structuredClone(seen);
  count(expectOk(await api(w.base, 'GET', '/api/v1/public/recommendations?slots=2')).items);
  await w.at('2026-03-26', '12:00:00');
  const again = expectOk(await api(w.base, 'GET', '/api/v1/ops/fair-deliveries/2026-03-26',
    { token: await ops() }));
  const total = Object.values(seen).reduce((s, x) => s + x, 0);
  assert.equal(again.delivered, total);
  assert.notDeepEqual(before, seen);
});

test('marking institutions as the platform\'s own at random changes nothing published', async () => {
  const all = ['a', 'b', 'c', 'p'].map((n) => insts[n]);
  for (const [k, day] of ['2026-03-26', '2026-03-27', '2026-03-28'].entries()) {
    const metrics = {};
    for (const i of all) metrics[i.id] = randomMetrics();
    await writeMetrics(day, metrics);
    // A copy of the database before the marks, scored alike: the reference.
    const copy = join(w.work.dir, `neutral-${k}.db`);
    await w.sql(`.backup '${copy}'`);
    await copyFile(`${w.db}.sign`, `${copy}.sign`);
    const token = await ops();
    const marked = [];
    for (const i of all) {
      const own = randomInt(2) === 1;
      const res = expectOk(await api(w.base, 'POST', `/api/v1/ops/institutions/${i.id}/platform-own`,
        { token, body: { platform_own: own, reason: '平台自营标记测试' } }));
      assert.equal(res.institution.platform_own, own);
      if (own) marked.push(i.id);
    }
    const pub = expectOk(await api(w.base, 'GET', '/api/v1/public/institutions'));
    for (const i of pub.items.filter((x) => all.some((y) => y.id === x.id))) {
      assert.equal(i.platform_own, marked.includes(i.id));
    }
    const next = `2026-03-${27 + k}`;
    await w.cliOk(['batch', 'score', '--date', day], next);
    const ref = await runCli(['batch', 'score', '--date', day, '--db', copy],
      { env: clockEnv(next) });
    assert.equal(ref.code, 0, ref.stdout + ref.stderr);
    const q = `SELECT record || '|' || hash || '|' || signature FROM fair_days WHERE day = '${day}';`;
    const marked_ = (await w.sql(q)).trim();
    const plain = (await new Server({ ...w.work, db: copy }, {}).sql(q)).trim();
    assert.ok(marked_.length > 100);
    assert.equal(marked_, plain, `${day}: marks changed the published record`);
    assert.ok(!marked_.includes('platform_own'));
  }
  const token = await ops();
  expectProblem(await api(w.base, 'POST', '/api/v1/ops/institutions/1234567890123/platform-own',
    { token, body: { platform_own: true, reason: 'x' } }), 404);
  expectProblem(await api(w.base, 'POST', `/api/v1/ops/institutions/${insts.a.id}/platform-own`,
    { token, body: { platform_own: 'yes', reason: 'x' } }), 422);
});

test('verify-allocation: true days pass; every tampering is named and fails', async () => {
  let r = await verify(['--date', '2026-03-25', '--from', w.base]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /all \d+ checks hold/);
  r = await verify(['--date', '2026-03-28']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /chain: prev_hash is the hash of 2026-03-27's record/);
  r = await verify(['--date', '2026-03-20', '--from', w.base]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  r = await verify(['--date', 'soon']);
  assert.equal(r.code, 2);

  // A saved answer, then changed in every way that matters.
  const days = [];
  for (const d of ['2026-03-25', '2026-03-26']) {
    days.push(expectOk(await api(w.base, 'GET', `/api/v1/public/fair-days/${d}`)));
  }
  const file = join(w.work.dir, 'days.json');
  const check = async (content, date = '2026-03-26') => {
    await writeFile(file, JSON.stringify(content));
    return verify(['--date', date, '--from', file, '--key', insts.key]);
  };
  r = await check(days);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  r = await check(days[0], '2026-03-25');
  assert.equal(r.code, 0, r.stdout + r.stderr);

  const tamper = async (change, expect, date = '2026-03-26') => {
    const copy = structuredClone(days);
    change(copy);
    const res = await check(copy, date);
    assert.equal(res.code, 1, `${expect}: ${res.stdout}`);
    assert.match(res.stdout, expect);
  };
  const id0 = days[1].record.results[0].institution_id;
  await tamper((c) => {
    const m = c[1].record.inputs[0].metrics;
    m.answer_rate = m.answer_rate < 500000 ? 999999 : 0; // the score moves, surely
  },
    new RegExp(`hash: published[\\s\\S]*institution ${id0}: `));
  await tamper((c) => { c[1].record.results[0].score_ppm += 1; },
    new RegExp(`institution ${id0}: score_ppm recorded`));
  await tamper((c) => {
    c[1].record.results[0].impressions += 1;
    c[1].record.results[1].impressions -= 1;
  }, new RegExp(`institution ${id0}: impressions recorded`));
  await tamper((c) => { c[1].record.rule_text = c[1].record.rule_text.replace('"weight":3', '"weight":9'); },
    /rule: rule_hash/);
  await tamper((c) => { c[1].record.prev_hash = '1'.repeat(64); }, /chain: /);
  await tamper((c) => { c[0].record.results[0].impressions += 1; }, /chain: prev_hash .* hashes to/);
  await tamper((c) => { c[1].signature = c[0].signature; }, /signature: the published hash is NOT/);
  await tamper((c) => { c[1].hash = c[0].hash; }, /hash: published/);
  r = await verify(['--date', '2026-03-26', '--from', file, '--key', 'ab'.repeat(32)]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /signature: the published hash is NOT/);

  // The stored row itself, changed on disk past its append-only trigger.
  await w.sql("DROP TRIGGER fair_days_no_update; UPDATE fair_days SET record = " +
    "json_set(record, '$.results[1].impressions', json_extract(record, " +
    "'$.results[1].impressions') + 1) WHERE day = '2026-03-27';");
  r = await verify(['--date', '2026-03-27']);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stdout, /FAIL hash: published/);
  assert.match(r.stdout, /FAIL institution \d+: impressions recorded/);
  r = await verify(['--date', '2026-03-28', '--from', w.base]);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stdout, /FAIL chain: prev_hash [0-9a-f]+, but the record of 2026-03-27 hashes/);
  const saved = await readFile(file, 'utf8');
  assert.ok(saved.length > 0);
});

test('bad requests to the public endpoints are 4xx problems', async () => {
  expectProblem(await api(w.base, 'GET', '/api/v1/public/fair-days/2026-02-30'), 400);
  expectProblem(await api(w.base, 'GET', '/api/v1/public/fair-days/2020-01-01'), 404);
  expectProblem(await api(w.base, 'GET', '/api/v1/public/fair-days?before=x'), 400);
  expectProblem(await api(w.base, 'GET', '/api/v1/public/fair-days?limit=0'), 400);
  const page = expectOk(await api(w.base, 'GET', '/api/v1/public/fair-days?limit=2'));
  assert.equal(page.items.length, 2);
  const rest = expectOk(await api(w.base, 'GET',
    `/api/v1/public/fair-days?before=${page.next_before}`));
  assert.equal(rest.items[0].date, '2026-03-26');
  expectProblem(await api(w.base, 'GET', '/api/v1/public/fair-rules/abc'), 400);
  expectProblem(await api(w.base, 'GET', '/api/v1/public/fair-rules/99999999999'), 404);
  const token = await ops();
  expectProblem(await api(w.base, 'POST', '/api/v1/ops/fair-rules/424242/publish', { token }), 404);
  expectProblem(await api(w.base, 'PUT', '/api/v1/ops/fair-rules/424242', { token, body: RULE }),
    404);
  expectProblem(await api(w.base, 'GET', '/api/v1/ops/fair-deliveries/03-26', { token }), 400);
  const none = expectOk(await api(w.base, 'GET', '/api/v1/ops/fair-deliveries/2020-01-01',
    { token }));
  assert.equal(none.record_date, null);
});

test('the scheduler inside serve rolls a day up, then publishes it', async () => {
  // Nothing is written by hand here: serve's scheduler rolls up 03-29 (the metrics of the
  // day's real activity) and only then, the roll-up done, scores and publishes it.
  await w.at('2026-03-30', '03:00:00', { CAIFUHAO_SCHEDULER_INTERVAL_S: '1' });
  let day = null;
  for (let k = 0; k < 50 && day === null; k++) {
    await new Promise((r) => setTimeout(r, 200));
    const res = await api(w.base, 'GET', '/api/v1/public/fair-days/2026-03-29');
    if (res.status === 200) day = res.json;
  }
  assert.ok(day, 'the scheduler did not publish 2026-03-29');
  const runs = await w.sql("SELECT status FROM batch_runs WHERE job = 'rollup' AND " +
    "run_date = '2026-03-29';");
  assert.equal(runs.trim(), 'done');
  assert.equal(day.record.prev_date, '2026-03-28');
  assert.equal(day.record.inputs.length, 4);
  // Today is not over: it stays unpublished.
  expectProblem(await api(w.base, 'GET', '/api/v1/public/fair-days/2026-03-30'), 404);
  const r = await verify(['--date', '2026-03-29', '--from', w.base]);
  assert.equal(r.code, 0, r.stdout);
});
