// The daily roll-up and the dashboards, black-box, on a day built by hand: Monday 2026-03-02,
// two institutions, fourteen investors with known risk classes, provinces and ages, events,
// follows, a question, two subscriptions confirmed at NAV. `batch rollup` runs after
// midnight; then every figure is checked against what the day was made of. Also: nobody
// sees another institution's figures; segment breakdowns hide cells of fewer than k
// investors and enough others that the total minus the published cells reveals no small
// cell; periods that could be subtracted are refused; CSV says the same as JSON; rolling up
// again, or in several passes, changes nothing.

import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import {
  acceptAndLogin, createInstitution, login, opsInvite, register, setStatus, unique,
} from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import { runCli } from './lib/server.mjs';
import {
  ANSWERS, BANK_CARD, World, api, assess, checkContract, cstMs, productBody, publishNavOk,
  subQuote, subscribe, sum, topup,
} from './lib/trading.mjs';

const K = 5; // segment_min_investors on these servers
const ENV = { CAIFUHAO_SEGMENT_MIN_INVESTORS: String(K) };
const D = '2026-03-02'; // a Monday
const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

const s = {}; // what the story builds, for the tests after it

/** A resident ID with its check character (GB 11643-1999). */
function idNumber(region6, birth8, seq3 = '123') {
  const first = `${region6}${birth8}${seq3}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const total = [...first].reduce((acc, ch, i) => acc + Number(ch) * weights[i], 0);
  return first + '10X98765432'[total % 11];
}

// The investors: risk class (null: never assessed), province code of their ID and birth date.
const PEOPLE = [
  ...Array.from({ length: 6 }, (_, i) => ({ risk: 'C2', region: '110105',
    birth: i < 5 ? '19950615' : '19800101' })),               // 0-5
  { risk: 'C3', region: '110105', birth: '19800101' },        // 6
  { risk: 'C3', region: '110105', birth: '19800101' },        // 7
  { risk: 'C3', region: '440305', birth: '19800101' },        // 8
  { risk: 'C3', region: '440305', birth: '19800101' },        // 9
  { risk: 'C3', region: '440305', birth: '20000302' },        // 10 (26 on D)
  { risk: 'C4', region: '440305', birth: '20000302' },        // 11
  { risk: null, region: '310101', birth: '20000302' },        // 12
];
// Ages on D: 19950615 → 30 (25-34), 19800101 → 46 (45-54), 20000302 → 26 (25-34).

async function investor(p) {
  const r = await register(w.base);
  const sess = await login(w.base, r.mobile, r.password);
  if (p) {
    expectOk(await api(w.base, 'PUT', '/api/v1/investor/profile', { token: sess.token,
      body: { real_name: '李四', id_number: idNumber(p.region, p.birth), bank_card: BANK_CARD } }));
    if (p.risk) await assess(w.base, sess.token, ANSWERS[p.risk]);
  }
  return { ...sess, mobile: r.mobile, password: r.password };
}

async function institution(ops) {
  const inst = await createInstitution(w.base, ops.token);
  await setStatus(w.base, ops.token, inst.id, 'live');
  const admin = await acceptAndLogin(w.base, await opsInvite(w.base, ops.token, inst.id));
  const product = expectOk(await api(w.base, 'POST', '/api/v1/inst/products', {
    token: admin.token,
    body: productBody({ type: 'bond', equity_leaning: false, risk_level: 'R1',
      sub_fees: [{ min_amount: '0.00', max_amount: null, rate: '0.003' }], fee_discount: '1',
      redeem_delay_days: 2 }),
  }), 201).product;
  return { inst, admin: { ...admin, login: admin.user.login }, product };
}

function events(token, list) {
  return api(w.base, 'POST', '/api/v1/events', { token, body: { events: list } });
}

async function sendOk(token, list) {
  const res = expectOk(await events(token, list));
  assert.equal(res.accepted, list.length, JSON.stringify(res.rejected));
}

async function relogin() {
  s.A.admin.token = (await login(w.base, s.A.admin.login, 'Staff-pass-1')).token;
  s.B.admin.token = (await login(w.base, s.B.admin.login, 'Staff-pass-1')).token;
  s.ops.token = (await login(w.base, s.ops.login, s.ops.password)).token;
  s.people[0].token = (await login(w.base, s.people[0].mobile, s.people[0].password)).token;
}

function rollup(extra = []) {
  return w.cliOk(['batch', 'rollup', '--date', D, ...extra], '2026-03-03', '01:00:00');
}

const dash = (token, query = `from=${D}&to=${D}`, path = '/api/v1/inst/dashboard') =>
  api(w.base, 'GET', `${path}?${query}`, { token });

test(`${D}: a day of events, follows, a question and two subscriptions`, async () => {
  await w.at(D, '10:00:00', ENV);
  checkContract(await loadOpenApi(w.base));
  const opsLogin = unique('dops.');
  const { password } = await w.srv.createOperator(opsLogin, 'ops_admin');
  s.ops = { login: opsLogin, password, token: (await login(w.base, opsLogin, password)).token };
  s.A = await institution(s.ops);
  s.B = await institution(s.ops);
  s.A.content = expectOk(await api(w.base, 'POST', '/api/v1/inst/contents', {
    token: s.A.admin.token,
    body: { kind: 'article', title: '债券基金怎么选', body: '久期、信用与费率。' } }), 201);
  s.people = [];
  for (const p of PEOPLE) s.people.push(await investor(p));
  s.people.push(await investor(null)); // 13: no profile, visits B only

  const A = s.A.inst.id;
  const PA = s.A.product.id;
  const t = cstMs(D, '10:00:00');
  for (let i = 0; i < 13; i++) {
    const list = [{ kind: 'zone_view', at_ms: t, zone_id: A }];
    if (i < 8) list.push({ kind: 'product_view', at_ms: t, product_id: PA });
    if (i < 4 || i === 9) list.push({ kind: 'order_started', at_ms: t, product_id: PA });
    if (i < 2) list.push({ kind: 'order_placed', at_ms: t, product_id: PA });
    if (i < 6) list.push({ kind: 'content_view', at_ms: t, content_id: s.A.content.id });
    if (i === 0) list.push({ kind: 'share', at_ms: t, content_id: s.A.content.id });
    if (i < 3) {
      list.push({ kind: 'zone_view', at_ms: t, zone_id: s.B.inst.id });
      list.push({ kind: 'product_view', at_ms: t, product_id: s.B.product.id });
    }
    await sendOk(s.people[i].token, list);
  }
  await sendOk(s.people[12].token, Array.from({ length: 10 },
    () => ({ kind: 'recommendation_impression', at_ms: t, zone_id: A, slot: 'feed' })));
  await sendOk(s.people[13].token, [{ kind: 'zone_view', at_ms: t, zone_id: s.B.inst.id }]);

  // Follows: five follow A, one of them leaves again.
  for (let i = 0; i < 5; i++) {
    expectOk(await api(w.base, 'POST', `/api/v1/investor/follows/${A}`,
      { token: s.people[i].token }));
  }
  expectOk(await api(w.base, 'DELETE', `/api/v1/investor/follows/${A}`,
    { token: s.people[4].token }));

  // A question, answered.
  const q = expectOk(await api(w.base, 'POST', '/api/v1/investor/questions', {
    token: s.people[5].token, body: { institution_id: A, body: '请问这只债券基金的申购费率是多少？' } }),
  201).question;
  assert.equal(q.status, 'published');
  const ans = expectOk(await api(w.base, 'POST', `/api/v1/inst/questions/${q.id}/answer`,
    { token: s.A.admin.token, body: { answer: '申购费率为0.3%，详见招募说明书。' } }));
  s.responseMs = ans.question.response_ms;

  // Two complaints: one about the article, left open; one about the question, which a
  // reviewer dismisses. Only the first counts against A.
  expectOk(await api(w.base, 'POST', '/api/v1/investor/reports', { token: s.people[6].token,
    body: { target_kind: 'content', target_id: s.A.content.id, category: 'misleading_claims' } }),
  201);
  const unfounded = expectOk(await api(w.base, 'POST', '/api/v1/investor/reports', {
    token: s.people[7].token, body: { target_kind: 'question', target_id: q.id,
      category: 'other' } }), 201).report;
  expectOk(await api(w.base, 'POST', `/api/v1/ops/reports/${unfounded.id}/resolution`,
    { token: s.ops.token, body: { decision: 'dismiss', reason: '内容正常' } }));

  // Two subscriptions, confirmed tonight at NAV 1.0000.
  for (const [i, amount] of [[0, '1000.00'], [1, '2000.00']]) {
    await topup(w.base, s.people[i].token, '5000.00');
    expectOk(await subscribe(w.base, s.people[i].token, PA, amount), 201);
  }
  await publishNavOk(w.base, s.A.admin.token, PA, D, '1.0000');
  const report = await w.confirm(D);
  assert.equal(report.processed, 2);
  s.quotes = ['1000.00', '2000.00'].map((amount) => subQuote({ amount, rate: '0.003',
    nav: '1.0000' }));

  // Before midnight the day cannot be rolled up.
  const early = await w.cli(['batch', 'rollup', '--date', D], D, '23:59:00');
  assert.equal(early.code, 1);
  assert.match(early.stderr, /has not ended/);

  const out = await rollup();
  assert.match(out.stdout, /batch rollup 2026-03-02: 52 events in 1 pass\(es\), 17 visitor rows/);
});

test('the institution\'s dashboard says exactly what the day was made of', async () => {
  await w.at('2026-03-03', '10:00:00', ENV);
  await relogin();
  const d = expectOk(await dash(s.A.admin.token));
  assert.equal(d.institution_id, s.A.inst.id);
  const f = d.current.figures;
  const inflow = sum(s.quotes.map((x) => x.net));
  assert.deepEqual({ ...f, funnel: undefined, response_median_s: undefined }, {
    zone_views: 13, product_views: 8, content_views: 6, shares: 1, impressions: 10,
    follows_gained: 5, follows_lost: 1, orders: 2, subscriptions: 2, subscribe_amount: '3000.00',
    redemptions: 0, redeem_shares: '0.00', inflow, outflow: '0.00', net_flow: inflow,
    questions: 1, answers: 1, complaints: 1, visitors: 13, new_visitors: 13, buyers: 2,
    funnel: undefined, followers: 4, holders: 2, aum: inflow, retention_30d_ppm: null,
    retention_90d_ppm: null, response_median_s: undefined, days_rolled_up: 1,
  });
  // Nested: 13 saw the zone; 8 of them a product; 4 of those began an order (the fifth who
  // began one had not seen a product); 2 placed one.
  assert.deepEqual(f.funnel, { zone_view: 13, product_view: 8, order_started: 4,
    order_placed: 2 });
  assert.equal(f.response_median_s, Math.floor(s.responseMs / 1000));
  // The period before: nothing rolled up, so no end-of-day figures.
  assert.deepEqual(d.previous, { from: '2026-03-01', to: '2026-03-01', days: 1,
    figures: { ...d.previous.figures } });
  assert.equal(d.previous.figures.days_rolled_up, 0);
  assert.equal(d.previous.figures.zone_views, 0);
  assert.equal(d.previous.figures.visitors, 0);
  assert.equal(d.previous.figures.followers, null);
  assert.equal(d.by_day.length, 1);
  assert.equal(d.by_day[0].day, D);
  assert.equal(d.by_day[0].visitors, 13);
  // Its product and its article.
  assert.equal(d.products.length, 1);
  assert.deepEqual(d.products[0], { product_id: s.A.product.id, code: s.A.product.code,
    name: s.A.product.name, views: 8, orders_started: 5, orders: 2, subscriptions: 2,
    subscribe_amount: '3000.00', inflow, outflow: '0.00', holders: 2, aum: inflow });
  assert.deepEqual(d.contents, [{ content_id: s.A.content.id, kind: 'article',
    title: '债券基金怎么选', views: 6, visitor_days: 6, shares: 1 }]);
  // The fair rule's inputs of the day.
  const m = Object.fromEntries(d.metrics.map((x) => [x.metric, x]));
  assert.equal(d.metrics.length, 7);
  assert.deepEqual(m.content_engagement, { metric: 'content_engagement', unit: 'ppm',
    value: 700000, numerator: 7, denominator: 10, window_days: 30 });
  assert.deepEqual(m.answer_rate, { metric: 'answer_rate', unit: 'ppm', value: 1000000,
    numerator: 1, denominator: 1, window_days: 30 });
  assert.equal(m.question_response_time.value, Math.floor(s.responseMs / 1000));
  assert.equal(m.question_response_time.denominator, 1);
  assert.equal(m.follower_growth.value, null); // nobody followed 30 days ago
  assert.equal(m.holder_retention_90d.value, null);
  // 1 complaint among 2 holders: 500,000 ppm (5,000 per 10,000 holders).
  assert.deepEqual(m.complaint_rate, { metric: 'complaint_rate', unit: 'ppm', value: 500000,
    numerator: 1, denominator: 2, window_days: 30 });
  // Every text A submitted passed: the article's automatic check.
  assert.deepEqual(m.compliance_record, { metric: 'compliance_record', unit: 'ppm',
    value: 1000000, numerator: 1, denominator: 1, window_days: 90 });

  // One product by day.
  const p = expectOk(await api(w.base, 'GET',
    `/api/v1/inst/dashboard/products/${s.A.product.id}?from=${D}&to=${D}`,
    { token: s.A.admin.token }));
  assert.equal(p.by_day.length, 1);
  const pd = p.by_day[0];
  assert.equal(pd.views, 8);
  assert.equal(pd.visitors, 9); // seen, begun or placed: investors 0-7 and 9
  assert.equal(pd.buyers, 2);
  assert.equal(pd.nav, '1.0000');
  assert.equal(pd.shares, sum(s.quotes.map((x) => x.shares)));
  assert.equal(pd.aum, inflow);

  // B sees only its own: four visitors, none of A's counts.
  const b = expectOk(await dash(s.B.admin.token)).current.figures;
  assert.equal(b.visitors, 4);
  assert.equal(b.zone_views, 4);
  assert.equal(b.product_views, 3);
  assert.equal(b.orders, 0);
  assert.equal(b.followers, 0);
});

test('nobody sees another institution\'s figures', async () => {
  const A = s.A;
  const B = s.B;
  // Naming another institution is refused, naming one's own changes nothing.
  expectProblem(await dash(A.admin.token, `from=${D}&to=${D}&institution_id=${B.inst.id}`),
    403, 'forbidden');
  expectProblem(await api(w.base, 'GET',
    `/api/v1/inst/dashboard.csv?institution_id=${B.inst.id}`, { token: A.admin.token }),
  403, 'forbidden');
  expectProblem(await api(w.base, 'GET', `/api/v1/inst/dashboard/segments?dimension=region&to=${D}` +
    `&institution_id=${B.inst.id}`, { token: A.admin.token }), 403, 'forbidden');
  const own = expectOk(await dash(A.admin.token, `from=${D}&to=${D}&institution_id=${A.inst.id}`));
  assert.equal(own.current.figures.zone_views, 13);
  // Another's product is as absent as one that does not exist.
  expectProblem(await api(w.base, 'GET', `/api/v1/inst/dashboard/products/${B.product.id}`,
    { token: A.admin.token }), 404, 'not_found');
  // The platform view is for operators only; investors have no dashboard.
  expectProblem(await dash(A.admin.token, '', '/api/v1/ops/dashboard'), 403, 'forbidden');
  expectProblem(await dash(s.people[0].token), 403, 'forbidden');
  expectProblem(await dash(undefined), 401, 'unauthenticated');
  // Operators: one institution, or the platform; an unknown one is 404.
  const viaOps = expectOk(await dash(s.ops.token, `from=${D}&to=${D}&institution_id=${A.inst.id}`,
    '/api/v1/ops/dashboard'));
  const viaInst = expectOk(await dash(A.admin.token));
  assert.deepEqual(viaOps, viaInst);
  expectProblem(await dash(s.ops.token, 'institution_id=1234567890123', '/api/v1/ops/dashboard'),
    404, 'not_found');
});

test('operators see the platform: investors counted once across institutions', async () => {
  const p = expectOk(await dash(s.ops.token, `from=${D}&to=${D}`, '/api/v1/ops/dashboard'));
  assert.equal(p.institution_id, null);
  const f = p.current.figures;
  assert.equal(f.zone_views, 17);
  assert.equal(f.visitors, 14); // 13 of A, of whom 3 also saw B, and one who saw only B
  assert.equal(f.orders, 2);
  const listed = new Set(p.institutions.map((i) => i.institution_id));
  assert.ok(listed.has(s.A.inst.id) && listed.has(s.B.inst.id));
  assert.equal(p.products, undefined);
  // A day of the platform adds the institutions: the three who saw both count twice.
  assert.equal(p.by_day[0].visitors, 17);
});

/** The cells of a breakdown as {segment: visitors}. */
const visitorsOf = (b) => Object.fromEntries(b.cells.map((c) => [c.segment, c.visitors]));

/** What subtracting the published cells from the total reveals: never one small cell. */
function expectNoDifferencing(b, key) {
  const total = b.total[key];
  const hidden = b.cells.filter((c) => c[key] === null);
  const published = b.cells.reduce((acc, c) => acc + (c[key] ?? 0), 0);
  const left = total - published;
  if (hidden.length === b.cells.length) return; // nothing but the total shows
  assert.ok(left === 0 || left >= K, `${key}: ${left} investors recoverable by subtraction`);
  assert.notEqual(hidden.filter((c) => c[key] === null).length, 1,
    `${key}: a lone suppressed cell would equal the difference`);
}

test('segment breakdowns suppress small cells and what subtraction would reveal', async () => {
  const seg = (query, token = s.A.admin.token, path = '/api/v1/inst/dashboard/segments') =>
    api(w.base, 'GET', `${path}?${query}`, { token });
  const risk = expectOk(await seg(`dimension=risk_class&from=${D}&to=${D}`));
  assert.equal(risk.min_investors, K);
  assert.equal(risk.total.visitors, 13);
  // C4 (1) and unassessed (1) are below 5; hidden together they are still 2, so the smallest
  // other cell, C3 (5), is hidden too: 13 - 6 = 7 is all anyone can work out.
  assert.deepEqual(visitorsOf(risk), { unassessed: null, C1: 0, C2: 6, C3: null, C4: null,
    C5: 0 });
  expectNoDifferencing(risk, 'visitors');
  // Two buyers in all: fewer than 5, so no cell of buyers, orders or amounts shows at all.
  assert.equal(risk.total.buyers, 2);
  for (const c of risk.cells) {
    assert.deepEqual([c.buyers, c.orders, c.subscribe_amount], [null, null, null], c.segment);
  }
  const region = expectOk(await seg(`dimension=region&to=${D}`));
  const rv = visitorsOf(region);
  assert.equal(rv['11'], 8);
  assert.equal(rv['44'], null); // 4
  assert.equal(rv['31'], null); // 1: with 44 the hidden cells make 5
  assert.equal(rv.unknown, 0);
  expectNoDifferencing(region, 'visitors');
  const age = visitorsOf(expectOk(await seg(`dimension=age_band&to=${D}`)));
  assert.deepEqual([age['25_34'], age['45_54'], age.unknown, age['65_plus']], [8, 5, 0, 0]);
  const nr = visitorsOf(expectOk(await seg(`dimension=new_returning&to=${D}`)));
  assert.deepEqual(nr, { new: 13, returning: 0 });

  // Only whole days, Monday-to-Sunday weeks and calendar months.
  const week = expectOk(await seg(`dimension=risk_class&from=${D}&to=2026-03-08`));
  assert.deepEqual(visitorsOf(week), visitorsOf(risk));
  expectOk(await seg('dimension=risk_class&from=2026-03-01&to=2026-03-31'));
  for (const q of [`from=${D}&to=2026-03-03`, 'from=2026-03-03&to=2026-03-09',
    'from=2026-03-01&to=2026-03-30', 'from=2026-02-28&to=2026-03-31']) {
    expectProblem(await seg(`dimension=risk_class&${q}`), 400, 'bad_request');
  }
  expectProblem(await seg(`dimension=gender&to=${D}`), 400, 'bad_request');
  expectProblem(await seg(`to=${D}`), 400, 'bad_request');

  // CSV under the same rule: suppressed values are empty.
  const csv = await seg(`dimension=risk_class&to=${D}`, s.A.admin.token,
    '/api/v1/inst/dashboard/segments.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv; charset=utf-8$/);
  assert.match(csv.headers.get('content-disposition'), /^attachment; filename="segments-2026-03-02-2026-03-02\.csv"$/);
  assert.deepEqual(csv.text.split('\r\n'), [
    'dimension,segment,label,visitors,buyers,orders,subscribe_amount',
    'risk_class,unassessed,未评估 unassessed,,,,',
    'risk_class,C1,C1 保守型,0,,,',
    'risk_class,C2,C2 稳健型,6,,,',
    'risk_class,C3,C3 平衡型,,,,',
    'risk_class,C4,C4 成长型,,,,',
    'risk_class,C5,C5 进取型,0,,,',
    '',
  ]);

  // The platform's breakdown counts the investor who saw only B, unassessed: 2, hidden.
  const plat = expectOk(await seg(`dimension=risk_class&to=${D}`, s.ops.token,
    '/api/v1/ops/dashboard/segments'));
  assert.equal(plat.institution_id, null);
  assert.equal(plat.total.visitors, 14);
  assert.equal(visitorsOf(plat).unassessed, null);
  expectNoDifferencing(plat, 'visitors');
});

test('the CSV export says what the JSON says', async () => {
  const res = await api(w.base, 'GET', `/api/v1/inst/dashboard.csv?from=2026-03-01&to=${D}`,
    { token: s.A.admin.token });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8$/);
  const lines = res.text.split('\r\n');
  assert.equal(lines.at(-1), '');
  const head = lines[0].split(',');
  assert.equal(head[0], 'day');
  assert.equal(lines.length, 3, 'a header and the one rolled-up day');
  const row = Object.fromEntries(lines[1].split(',').map((v, i) => [head[i], v]));
  const day = expectOk(await dash(s.A.admin.token)).by_day[0];
  assert.equal(row.day, D);
  for (const k of ['zone_views', 'visitors', 'buyers', 'followers', 'holders', 'orders']) {
    assert.equal(row[k], String(day[k]), k);
  }
  assert.equal(row.subscribe_amount, day.subscribe_amount);
  assert.equal(row.aum, day.aum);
  assert.equal(row.funnel_order_started, String(day.funnel.order_started));
  assert.equal(row.retention_30d_ppm, ''); // no base: empty, not 0
  // Bad periods are refused here too.
  expectProblem(await api(w.base, 'GET', '/api/v1/inst/dashboard.csv?from=2026-03-05&to=2026-03-01',
    { token: s.A.admin.token }), 400, 'bad_request');
  expectProblem(await api(w.base, 'GET', '/api/v1/inst/dashboard.csv?from=2025-01-01&to=2026-03-01',
    { token: s.A.admin.token }), 400, 'bad_request');
  expectProblem(await api(w.base, 'GET', '/api/v1/inst/dashboard.csv?to=2026-3-1',
    { token: s.A.admin.token }), 400, 'bad_request');
});

test('rolling the day up again, or in three passes, changes nothing', async () => {
  const before = expectOk(await dash(s.A.admin.token));
  const beforeSeg = expectOk(await api(w.base, 'GET',
    `/api/v1/inst/dashboard/segments?dimension=region&to=${D}`, { token: s.A.admin.token }));
  await w.stop();
  await rollup();
  const three = await rollup(['--passes', '3']);
  assert.match(three.stdout, /in 3 pass\(es\)/);
  await w.at('2026-03-03', '10:00:00', ENV);
  await relogin();
  assert.deepEqual(expectOk(await dash(s.A.admin.token)), before);
  assert.deepEqual(expectOk(await api(w.base, 'GET',
    `/api/v1/inst/dashboard/segments?dimension=region&to=${D}`, { token: s.A.admin.token })),
  beforeSeg);
  const runs = await w.sql("SELECT status FROM batch_runs WHERE job = 'rollup';");
  assert.equal(runs.trim(), 'done');
  // Tuesday: one investor of Monday comes back, one comes for the first time.
  const t = cstMs('2026-03-03', '10:05:00');
  await sendOk(s.people[0].token, [{ kind: 'zone_view', at_ms: t, zone_id: s.A.inst.id }]);
  const fresh = await investor(null);
  await sendOk(fresh.token, [{ kind: 'zone_view', at_ms: t, zone_id: s.A.inst.id }]);
});

test('segment_min_investors is a checked setting', async () => {
  for (const bad of ['1', '1001', 'x']) {
    const r = await runCli(['serve', '--db', w.db, '--segment-min-investors', bad]);
    assert.equal(r.code, 2, `segment_min_investors ${bad}: ${r.stderr}`);
    assert.match(r.stderr, /segment-min-investors/);
  }
});

test('the scheduler inside serve rolls up each ended day of the last week by itself', async () => {
  // Tuesday 2026-03-03 had two visits; at ten past midnight on Wednesday it has ended.
  await w.at('2026-03-04', '00:10:00', { ...ENV, CAIFUHAO_SCHEDULER_INTERVAL_S: '1' });
  // The seven days before Wednesday: 2026-02-25 … 2026-03-03.
  const want = Array.from({ length: 7 },
    (_, i) => new Date(Date.UTC(2026, 1, 25 + i)).toISOString().slice(0, 10));
  let done = '';
  for (let i = 0; i < 150 && done.split('\n').length < want.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    done = (await w.sql("SELECT run_date FROM batch_runs WHERE job = 'rollup' AND status = " +
      "'done' ORDER BY run_date;")).trim();
  }
  assert.deepEqual(done.split('\n'), want);
  // The day rolled up by hand before was not redone: its figures stand.
  await relogin();
  const d = expectOk(await dash(s.A.admin.token, 'from=2026-03-02&to=2026-03-03'));
  assert.equal(d.current.figures.zone_views, 13 + 2);
  assert.equal(d.current.figures.days_rolled_up, 2);
  assert.equal(d.by_day[1].day, '2026-03-03');
  assert.equal(d.by_day[1].followers, 4); // carried to the end of a day without follows
  assert.equal(d.by_day[1].holders, 2);
  // Tuesday's returning investor is not new; over both days, both are new to the period.
  assert.deepEqual([d.by_day[1].visitors, d.by_day[1].new_visitors], [2, 1]);
  assert.deepEqual([d.current.figures.visitors, d.current.figures.new_visitors], [14, 14]);
  const nr = expectOk(await api(w.base, 'GET',
    '/api/v1/inst/dashboard/segments?dimension=new_returning&to=2026-03-03',
    { token: s.A.admin.token }));
  // One new and one returning: two investors in all, fewer than 5, so nothing shows.
  assert.equal(nr.total.visitors, 2);
  assert.deepEqual(nr.cells.map((c) => c.visitors), [null, null]);
});
