// Follow and consent: following a zone shares nothing personal; a separate, revocable consent
// lets one institution see the investor's verified name, mobile number and holdings of its own
// products, and nothing more.
//
// Business clock on Monday 2026-03-02 10:00 (UTC+8). Two live institutions, A and B, each with
// one product that the investor holds after the batch confirms the day's subscriptions; a
// third institution C that is suspended and a fourth still applied. The story runs in order:
// follow alone, the consent text, a grant, the institutions' views, a revoke, a grant again.
// Every response must fit the OpenAPI document; no institution response may carry the ID
// number or the bank card number.

import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import { createInstitution, investorSession, operatorSession, setStatus } from './lib/fixtures.mjs';
import { expectOk, expectProblem } from './lib/http.mjs';
import {
  ANSWERS, BANK_CARD, ID_NUMBER, World, api, checkContract, createProduct, cstMs, fmt,
  institutionWithStaff, publishNavOk, readyInvestor, subQuote, subscribe, units,
} from './lib/trading.mjs';

/** Market value at NAV 1.0100: shares × NAV, half-up to the fen (as the consent text says). */
const valueAt101 = (shares) => fmt((units(shares, 2) * 10100n + 5000n) / 10000n, 2);

const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());

await w.at('2026-03-02');
const base = w.base;
const doc = await loadOpenApi(base);
checkContract(doc);

const VERSION = 'consent-v1';
const CUSTOMERS = '/api/v1/inst/customers';
const consentPath = (inst) => `/api/v1/investor/consents/${inst.id}`;
const followPath = (inst) => `/api/v1/investor/follows/${inst.id}`;

const A = await institutionWithStaff(w.srv);
const B = await institutionWithStaff(w.srv);
const C = await institutionWithStaff(w.srv);
await setStatus(base, C.ops.token, C.inst.id, 'suspended');
const applied = await createInstitution(base, A.ops.token);

// What the story leaves for later tests.
const s = {};

/** The customer list of an institution, as one of its staff sees it; PII never in it. */
async function customers(token) {
  const res = await api(base, 'GET', CUSTOMERS, { token });
  const json = expectOk(res);
  expectNoSecrets(res);
  return json.items;
}

/** The one customer `investorId` in the list, or undefined. */
async function customer(token, investorId) {
  const items = await customers(token);
  const mine = items.filter((c) => c.investor_id === investorId);
  assert.ok(mine.length <= 1, `investor ${investorId} listed ${mine.length} times`);
  return mine[0];
}

function expectNoSecrets(res) {
  assert.ok(!res.text.includes(ID_NUMBER), `${res.method} ${res.path} shows the ID number`);
  assert.ok(!res.text.includes(BANK_CARD), `${res.method} ${res.path} shows the bank card`);
}

async function consentText(token, inst) {
  return expectOk(await api(base, 'GET', consentPath(inst), { token })).consent;
}

function grant(token, inst, version = VERSION) {
  return api(base, 'POST', consentPath(inst), { token, body: { text_version: version } });
}

async function grantOk(token, inst) {
  assert.deepEqual(expectOk(await grant(token, inst)), { institution_id: inst.id, granted: true });
}

async function revokeOk(token, inst) {
  const res = await api(base, 'DELETE', consentPath(inst), { token });
  assert.deepEqual(expectOk(res), { institution_id: inst.id, granted: false });
}

/** Every staff role of the institution sees the same list. */
async function everyRoleSees(staff, investorId) {
  const seen = [];
  for (const role of ['admin', 'operator', 'compliance']) {
    seen.push(await customer(staff[role].token, investorId));
  }
  assert.deepEqual(seen[1], seen[0], 'inst_operator sees what inst_admin sees');
  assert.deepEqual(seen[2], seen[0], 'inst_compliance sees what inst_admin sees');
  return seen[0];
}

test('setup: the investor holds a product of A and one of B after the batch', async () => {
  s.productA = await createProduct(base, A.admin.token, { name: 'A成长混合' });
  s.productB = await createProduct(base, B.admin.token, { name: 'B价值精选' });
  for (const [staff, p] of [[A, s.productA], [B, s.productB]]) {
    await publishNavOk(base, staff.admin.token, p.id, '2026-02-27', '1.0000', '1.5000');
  }
  s.investor = await readyInvestor(base, { answers: ANSWERS.C4, cashAmount: '10000' });
  s.id = s.investor.user.id;
  expectOk(await subscribe(base, s.investor.token, s.productA.id, '1000.00'), 201);
  expectOk(await subscribe(base, s.investor.token, s.productB.id, '2000.00'), 201);
  for (const [staff, p] of [[A, s.productA], [B, s.productB]]) {
    await publishNavOk(base, staff.admin.token, p.id, '2026-03-02', '1.0100', '1.5100');
  }
  const rep = await w.confirm('2026-03-02');
  assert.equal(rep.processed, 2, rep.stdout);
  const quote = (amount) => subQuote({ amount, rate: '0.008', discount: '0.1', nav: '1.0100' });
  s.sharesA = quote('1000.00').shares;
  s.sharesB = quote('2000.00').shares;
});

test('following a zone alone shares nothing with the institution', async () => {
  const res = await api(base, 'POST', followPath(A.inst), { token: s.investor.token });
  assert.deepEqual(expectOk(res), { institution_id: A.inst.id, following: true });
  assert.equal(await customer(A.admin.token, s.id), undefined);
  assert.deepEqual(await customers(A.admin.token), []);
  const zone = expectOk(await api(base, 'GET', `/api/v1/public/zones/${A.inst.id}`));
  assert.equal(zone.followers, 1);
  assert.ok(!JSON.stringify(zone).includes(s.investor.mobile), 'the zone page names no follower');
});

test('the consent text names the institution and says what, to whom, for what', async () => {
  const c = await consentText(s.investor.token, A.inst);
  assert.deepEqual({ ...c, text: undefined }, {
    institution_id: A.inst.id, institution_name: A.inst.name, text_version: VERSION,
    text: undefined, granted: false, granted_ms: null,
  });
  assert.ok(c.text.includes(A.inst.name), c.text);
  assert.ok(!c.text.includes(B.inst.name), 'the text names only this institution');
  for (const item of ['姓名', '手机号码', '持有', '用途', '撤回', 'name', 'mobile number',
    'holdings', 'revoke']) {
    assert.ok(c.text.includes(item), `the text does not mention ${item}: ${c.text}`);
  }
  // The text of B names B.
  const b = await consentText(s.investor.token, B.inst);
  assert.equal(b.institution_name, B.inst.name);
  assert.ok(b.text.includes(B.inst.name) && !b.text.includes(A.inst.name));
});

test('granting: A sees the name, mobile and holdings of its own product only', async () => {
  await grantOk(s.investor.token, A.inst);
  const c = await consentText(s.investor.token, A.inst);
  assert.equal(c.granted, true);
  // On the business clock: shortly after 10:00 on the day the server runs.
  assert.ok(c.granted_ms >= cstMs('2026-03-02', '09:59:00') &&
    c.granted_ms <= cstMs('2026-03-02', '10:30:00'), String(c.granted_ms));
  s.grantedMs = c.granted_ms;

  const seen = await everyRoleSees(A, s.id);
  assert.deepEqual(seen, {
    investor_id: s.id, name: '张三', mobile: s.investor.mobile, consented_ms: s.grantedMs,
    holdings: [{ product_code: s.productA.code, product_name: s.productA.name,
      shares: s.sharesA, market_value: valueAt101(s.sharesA) }],
  });
  // B, which was not asked, sees nothing.
  assert.equal(await customer(B.admin.token, s.id), undefined);
  assert.equal(await customer(C.admin.token, s.id), undefined);
});

test('granting twice changes nothing', async () => {
  await grantOk(s.investor.token, A.inst);
  assert.equal((await consentText(s.investor.token, A.inst)).granted_ms, s.grantedMs);
  assert.equal((await customer(A.admin.token, s.id)).consented_ms, s.grantedMs);
  const rows = await w.sql(`SELECT count(*) FROM consents WHERE investor_id = ${s.id};`);
  assert.equal(rows.trim(), '1');
});

test('B with its own consent sees only its own product', async () => {
  await grantOk(s.investor.token, B.inst);
  const seen = await everyRoleSees(B, s.id);
  assert.deepEqual(seen.holdings, [{ product_code: s.productB.code,
    product_name: s.productB.name, shares: s.sharesB, market_value: valueAt101(s.sharesB) }]);
  assert.equal(seen.name, '张三');
  // A's view is unchanged.
  assert.deepEqual((await customer(A.admin.token, s.id)).holdings.map((h) => h.product_code),
    [s.productA.code]);
  await revokeOk(s.investor.token, B.inst);
  assert.equal(await customer(B.admin.token, s.id), undefined);
});

test('an investor without a profile is listed with an empty name and no holdings', async () => {
  const bare = await investorSession(base);
  await grantOk(bare.token, A.inst);
  const seen = await customer(A.admin.token, bare.user.id);
  assert.deepEqual({ ...seen, consented_ms: undefined }, {
    investor_id: bare.user.id, name: '', mobile: bare.user.login, consented_ms: undefined,
    holdings: [],
  });
  // Most recent consent first.
  const ids = (await customers(A.admin.token)).map((c) => c.investor_id);
  assert.deepEqual(ids, [bare.user.id, s.id]);
  await revokeOk(bare.token, A.inst);
});

test('revoking: A sees nothing at once; revoking again changes nothing', async () => {
  await revokeOk(s.investor.token, A.inst);
  assert.equal(await customer(A.admin.token, s.id), undefined);
  assert.deepEqual(await customers(A.admin.token), []);
  const c = await consentText(s.investor.token, A.inst);
  assert.equal(c.granted, false);
  assert.equal(c.granted_ms, null);
  await revokeOk(s.investor.token, A.inst);
  await revokeOk(s.investor.token, B.inst); // never active now: still fine
  assert.deepEqual(await customers(A.admin.token), []);
  // Still following: following and consent are separate.
  const follows = expectOk(await api(base, 'GET', '/api/v1/investor/follows',
    { token: s.investor.token })).items;
  assert.ok(follows.some((f) => f.institution_id === A.inst.id), JSON.stringify(follows));
});

test('granting again works and is a new consent; the old one is kept', async () => {
  await grantOk(s.investor.token, A.inst);
  const c = await consentText(s.investor.token, A.inst);
  assert.equal(c.granted, true);
  assert.ok(c.granted_ms >= s.grantedMs);
  const seen = await customer(A.admin.token, s.id);
  assert.equal(seen.consented_ms, c.granted_ms);
  assert.equal(seen.name, '张三');
  assert.equal(seen.holdings.length, 1);
  // Kept: each grant with its text, text version and times.
  const rows = (await w.sql('SELECT text_version, revoked_ms IS NULL, ' +
    `instr(text, '${A.inst.name.replaceAll("'", "''")}') > 0 FROM consents ` +
    `WHERE investor_id = ${s.id} AND institution_id = ${A.inst.id} ORDER BY granted_ms, ` +
    'revoked_ms IS NULL;')).trim().split('\n');
  assert.deepEqual(rows, [`${VERSION}|0|1`, `${VERSION}|1|1`]);
});

test('a grant of another text version is refused with 409 and changes nothing', async () => {
  await revokeOk(s.investor.token, B.inst);
  for (const version of ['consent-v0', 'consent-v2', 'CONSENT-V1']) {
    expectProblem(await grant(s.investor.token, B.inst, version), 409, 'conflict');
  }
  assert.equal((await consentText(s.investor.token, B.inst)).granted, false);
  assert.equal(await customer(B.admin.token, s.id), undefined);
  for (const body of [{}, { text_version: '' }, { text_version: 1 },
    { text_version: VERSION, extra: true }]) {
    const res = await api(base, 'POST', consentPath(B.inst), { token: s.investor.token, body });
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
  }
  assert.equal(await customer(B.admin.token, s.id), undefined);
});

test('unknown, suspended and applied institutions answer 404', async () => {
  const inv = s.investor.token;
  for (const inst of [{ id: '1234567890123' }, C.inst, applied]) {
    expectProblem(await api(base, 'GET', consentPath(inst), { token: inv }), 404, 'not_found');
    expectProblem(await grant(inv, inst), 404, 'not_found');
  }
  assert.deepEqual(await customers(C.admin.token), []);
  const bad = await api(base, 'GET', '/api/v1/investor/consents/abc', { token: inv });
  assert.equal(bad.status, 400, bad.text);
});

test('roles: investors cannot list customers; staff and operators cannot grant', async () => {
  expectProblem(await api(base, 'GET', CUSTOMERS, { token: s.investor.token }), 403,
    'forbidden');
  const ops = await operatorSession(w.srv, 'ops_admin');
  expectProblem(await api(base, 'GET', CUSTOMERS, { token: ops.token }), 403, 'forbidden');
  for (const token of [A.admin.token, A.operator.token, A.compliance.token, ops.token]) {
    expectProblem(await grant(token, A.inst), 403, 'forbidden');
    expectProblem(await api(base, 'GET', consentPath(A.inst), { token }), 403, 'forbidden');
    expectProblem(await api(base, 'DELETE', consentPath(A.inst), { token }), 403, 'forbidden');
  }
  const anon = await api(base, 'GET', CUSTOMERS);
  assert.equal(anon.status, 401, anon.text);
  assert.equal((await api(base, 'POST', consentPath(A.inst),
    { body: { text_version: VERSION } })).status, 401);
});

test('no institution response carries the ID or bank card number', async () => {
  for (const staff of [A, B, C]) {
    for (const role of ['admin', 'operator', 'compliance']) {
      for (const path of [CUSTOMERS, '/api/v1/inst/institution', '/api/v1/inst/zone',
        '/api/v1/inst/products']) {
        const res = await api(base, 'GET', path, { token: staff[role].token });
        expectOk(res);
        expectNoSecrets(res);
      }
    }
  }
});
