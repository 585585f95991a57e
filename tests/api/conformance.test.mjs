// Every operation of the served OpenAPI document, exercised once on its success path (and on
// a few of its documented errors): the status must be listed for the operation and the body
// must fit the documented schema, undocumented members included.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadOpenApi, operationFor, operations } from './lib/contract.mjs';
import { STAFF_PASSWORD, login, uniqueMobile, unique } from './lib/fixtures.mjs';
import { api } from './lib/http.mjs';
import { png } from './lib/images.mjs';
import { expectConforms, validate } from './lib/schema.mjs';
import { fileServer } from './lib/server.mjs';
import {
  ANSWERS, BANK_CARD, ID_NUMBER, NO_SCHEDULER, clockEnv, productBody,
} from './lib/trading.mjs';

// The business clock on a known trading day, 2026-03-02 10:00 (UTC+8), for the trading part.
const srv = await fileServer({ ...clockEnv('2026-03-02'), ...NO_SCHEDULER });
const doc = await loadOpenApi(srv.base);
const exercised = new Set();

/** Sends a request, checks it against the document, and answers it if the status is `want`. */
async function call(want, method, path, opts) {
  const res = await api(srv.base, method, path, opts);
  expectConforms(doc, res);
  assert.equal(res.status, want, `${method} ${path}: ${res.status} ${res.text}`);
  const o = operationFor(doc, method, path);
  exercised.add(`${o.method} ${o.template}`);
  return res.json;
}

test('the component schemas accept good objects and refuse bad ones', () => {
  const user = { id: '1', kind: 'investor', role: 'investor', login: '13800000000',
    display_name: 'x', institution_id: null, status: 'active', created_ms: 1 };
  const schema = { $ref: '#/components/schemas/User' };
  assert.deepEqual(validate(doc, schema, user), []);
  assert.notDeepEqual(validate(doc, schema, { ...user, password_hash: 'x' }), []);
  assert.notDeepEqual(validate(doc, schema, { ...user, id: 1 }), []);
  assert.notDeepEqual(validate(doc, schema, { ...user, role: 'root' }), []);
  const { created_ms: _, ...partial } = user;
  assert.notDeepEqual(validate(doc, schema, partial), []);
});

test('every operation answers as documented', async () => {
  await call(200, 'GET', '/healthz');
  await call(200, 'GET', '/readyz');
  await call(200, 'GET', '/metrics');
  await call(200, 'GET', '/api/v1/openapi.json');
  await call(200, 'GET', '/api/v1/public/institutions');

  // Accounts and sessions.
  const mobile = uniqueMobile();
  const password = 'Investor-pass-1';
  await call(201, 'POST', '/api/v1/auth/register',
    { body: { mobile, password, display_name: '文档' } });
  await call(409, 'POST', '/api/v1/auth/register', { body: { mobile, password } });
  await call(422, 'POST', '/api/v1/auth/register', { body: { mobile: 'x', password } });
  await call(400, 'POST', '/api/v1/auth/register', { body: '{' });
  await call(415, 'POST', '/api/v1/auth/register', { body: '{}', contentType: 'text/plain' });
  await call(401, 'POST', '/api/v1/auth/login', { body: { login: mobile, password: 'Wrong-1x' } });
  const inv = await call(200, 'POST', '/api/v1/auth/login', { body: { login: mobile, password } });
  await call(200, 'GET', '/api/v1/me', { token: inv.token });
  await call(401, 'GET', '/api/v1/me');
  await call(422, 'POST', '/api/v1/me/password', { token: inv.token,
    body: { current_password: 'Wrong-pass-1', new_password: 'Next-pass-2' } });
  await call(204, 'POST', '/api/v1/me/password', { token: inv.token,
    body: { current_password: password, new_password: 'Next-pass-2' } });
  await call(403, 'GET', '/api/v1/ops/institutions', { token: inv.token });
  await call(204, 'POST', '/api/v1/auth/logout', { token: inv.token });

  // Operators and institutions.
  const { password: opsPassword } = await srv.createOperator('conf.ops', 'ops_admin');
  const ops = (await login(srv.base, 'conf.ops', opsPassword)).token;
  const created = await call(201, 'POST', '/api/v1/ops/institutions',
    { token: ops, body: { name: unique('文档基金'), short_name: '文档', type: 'fund_company' } });
  const id = created.institution.id;
  await call(200, 'GET', '/api/v1/ops/institutions', { token: ops });
  await call(200, 'GET', `/api/v1/ops/institutions/${id}`, { token: ops });
  await call(404, 'GET', '/api/v1/ops/institutions/1234567890123', { token: ops });
  await call(400, 'GET', '/api/v1/ops/institutions/abc', { token: ops });
  await call(409, 'POST', `/api/v1/ops/institutions/${id}/status`,
    { token: ops, body: { status: 'suspended', reason: 'not allowed from applied' } });
  await call(200, 'POST', `/api/v1/ops/institutions/${id}/status`,
    { token: ops, body: { status: 'pilot', reason: '试点' } });
  await call(200, 'GET', `/api/v1/ops/institutions/${id}`, { token: ops });

  // Staff.
  const invite = await call(201, 'POST', `/api/v1/ops/institutions/${id}/staff`,
    { token: ops, body: { login: unique('conf.a'), display_name: '管理员', role: 'inst_admin' } });
  await call(200, 'GET', `/api/v1/ops/institutions/${id}/staff`, { token: ops });
  await call(404, 'POST', '/api/v1/auth/accept-invite',
    { body: { token: 'f'.repeat(64), password: STAFF_PASSWORD } });
  await call(200, 'POST', '/api/v1/auth/accept-invite',
    { body: { token: invite.invite_token, password: STAFF_PASSWORD } });
  const admin = (await login(srv.base, invite.user.login, STAFF_PASSWORD)).token;
  await call(200, 'GET', '/api/v1/inst/institution', { token: admin });
  const colleague = await call(201, 'POST', '/api/v1/inst/staff', { token: admin,
    body: { login: unique('conf.o'), display_name: '运营', role: 'inst_operator' } });
  await call(200, 'GET', '/api/v1/inst/staff', { token: admin });
  await call(200, 'PATCH', `/api/v1/inst/staff/${colleague.user.id}`,
    { token: admin, body: { role: 'inst_compliance' } });
  await call(409, 'PATCH', `/api/v1/inst/staff/${invite.user.id}`,
    { token: admin, body: { status: 'disabled' } });
  await call(404, 'PATCH', '/api/v1/inst/staff/1234567890123',
    { token: admin, body: { status: 'disabled' } });

  // Audit.
  await call(200, 'GET', '/api/v1/ops/audit?limit=3', { token: ops });
  await call(400, 'GET', '/api/v1/ops/audit?limit=0', { token: ops });
  await call(200, 'GET', '/api/v1/ops/audit/verify', { token: ops });

  // Products and NAV.
  const operatorInvite = await call(201, 'POST', '/api/v1/inst/staff', { token: admin,
    body: { login: unique('conf.n'), display_name: '净值复核', role: 'inst_operator' } });
  await call(200, 'POST', '/api/v1/auth/accept-invite',
    { body: { token: operatorInvite.invite_token, password: STAFF_PASSWORD } });
  const operator = (await login(srv.base, operatorInvite.user.login, STAFF_PASSWORD)).token;
  const body = productBody();
  const { product } = await call(201, 'POST', '/api/v1/inst/products', { token: admin, body });
  await call(409, 'POST', '/api/v1/inst/products', { token: admin, body });
  await call(422, 'POST', '/api/v1/inst/products', { token: admin,
    body: productBody({ sub_fees: [{ min_amount: '0', rate: '0.009' }] }) });
  await call(200, 'GET', '/api/v1/inst/products', { token: admin });
  await call(200, 'GET', `/api/v1/inst/products/${product.id}`, { token: admin });
  await call(404, 'GET', '/api/v1/inst/products/1234567890123', { token: admin });
  await call(200, 'POST', `/api/v1/inst/products/${product.id}/status`,
    { token: admin, body: { status: 'open' } });
  const navs = `/api/v1/inst/products/${product.id}/navs`;
  await call(201, 'POST', navs,
    { token: admin, body: { date: '2026-02-27', nav: '1.0000', acc_nav: '1.0000' } });
  await call(202, 'POST', navs,
    { token: admin, body: { date: '2026-03-02', nav: '1.5000', acc_nav: '1.5000' } });
  // A held NAV that is wrong is withdrawn, once; the right one is published again.
  const reject = `${navs}/2026-03-02/reject`;
  await call(200, 'POST', reject, { token: operator, body: { reason: 'misplaced decimal' } });
  await call(404, 'POST', reject, { token: operator, body: { reason: 'again' } });
  await call(422, 'POST', reject, { token: operator, body: {} });
  await call(202, 'POST', navs,
    { token: admin, body: { date: '2026-03-02', nav: '1.5000', acc_nav: '1.5000' } });
  await call(409, 'POST', navs,
    { token: admin, body: { date: '2026-03-02', nav: '1.0100', acc_nav: '1.0100' } });
  await call(422, 'POST', navs,
    { token: admin, body: { date: '2026-03-01', nav: '1.0100', acc_nav: '1.0100' } });
  const trades = await call(200, 'GET', '/api/v1/inst/trades?date=2026-03-02', { token: admin });
  assert.deepEqual(trades.products, []);
  await call(400, 'GET', '/api/v1/inst/trades', { token: admin });
  await call(200, 'GET', '/api/v1/inst/trades.csv?date=2026-03-02', { token: admin });
  await call(400, 'GET', '/api/v1/inst/trades.csv?date=2026-13-01', { token: admin });
  const heldNavs = await call(200, 'GET', '/api/v1/inst/navs/held', { token: operator });
  assert.deepEqual(heldNavs.items.map((n) => [n.date, n.move_pct, n.yours]),
    [['2026-03-02', '50.00', false]]);
  const confirm = `${navs}/2026-03-02/confirm`;
  await call(409, 'POST', confirm, { token: admin });
  await call(200, 'POST', confirm, { token: operator });
  await call(400, 'POST', `${navs}/2026-3-2/confirm`, { token: operator });
  await call(201, 'POST', `${navs}.csv`, { token: admin, contentType: 'text/csv',
    body: 'date,nav,acc_nav\n2026-02-25,1.0000,1.0000\n2026-02-26,1.0010,1.0010\n' });
  await call(422, 'POST', `${navs}.csv`, { token: admin, contentType: 'text/csv',
    body: 'date,nav,acc_nav\n2026-02-24,abc,1.0000\n' });
  await call(415, 'POST', `${navs}.csv`, { token: admin, body: '{}' });
  await call(200, 'GET', '/api/v1/public/products');
  await call(200, 'GET', `/api/v1/public/products?institution_id=${id}`);
  await call(200, 'GET', `/api/v1/public/products/${product.id}`);
  await call(404, 'GET', '/api/v1/public/products/1234567890123');
  await call(200, 'GET', `/api/v1/public/products/${product.id}/navs?from=2026-01-01`);

  // An investor: profile, assessment, cash, orders, holdings.
  const im = uniqueMobile();
  await call(201, 'POST', '/api/v1/auth/register', { body: { mobile: im, password } });
  const it = (await call(200, 'POST', '/api/v1/auth/login',
    { body: { login: im, password } })).token;
  await call(404, 'GET', '/api/v1/investor/profile', { token: it });
  await call(409, 'POST', '/api/v1/investor/cash/topup', { token: it, body: { amount: '1.00' } });
  await call(422, 'PUT', '/api/v1/investor/profile',
    { token: it, body: { real_name: '张三', id_number: '110105194912310021',
      bank_card: BANK_CARD } });
  await call(200, 'PUT', '/api/v1/investor/profile',
    { token: it, body: { real_name: '张三', id_number: ID_NUMBER, bank_card: BANK_CARD } });
  await call(200, 'GET', '/api/v1/investor/profile', { token: it });
  await call(200, 'GET', '/api/v1/investor/questionnaire', { token: it });
  await call(404, 'GET', '/api/v1/investor/assessment', { token: it });
  await call(409, 'POST', '/api/v1/investor/assessments',
    { token: it, body: { questionnaire_version: 9, answers: ANSWERS.C2 } });
  await call(201, 'POST', '/api/v1/investor/assessments',
    { token: it, body: { questionnaire_version: 1, answers: ANSWERS.C2 } });
  await call(200, 'GET', '/api/v1/investor/assessment', { token: it });
  await call(200, 'GET', '/api/v1/investor/cash', { token: it });
  await call(200, 'POST', '/api/v1/investor/cash/topup', { token: it, body: { amount: '5000' } });
  await call(200, 'POST', '/api/v1/investor/cash/withdraw', { token: it, body: { amount: '1' } });
  await call(409, 'POST', '/api/v1/investor/cash/withdraw',
    { token: it, body: { amount: '5000' } });
  const order = { client_order_id: 'conf-1', product_id: product.id, side: 'subscribe',
    amount: '1000.00' };
  await call(409, 'POST', '/api/v1/investor/orders', { token: it, body: order });
  const confirmed = { ...order, confirm_risk_warning: true,
    risk_warning_version: 'suit-warning-v1' };
  const placed = await call(201, 'POST', '/api/v1/investor/orders', { token: it, body: confirmed });
  await call(200, 'POST', '/api/v1/investor/orders', { token: it, body: confirmed });
  await call(422, 'POST', '/api/v1/investor/orders',
    { token: it, body: { ...confirmed, client_order_id: 'conf-2', amount: '99.99' } });
  await call(404, 'POST', '/api/v1/investor/orders',
    { token: it, body: { ...confirmed, client_order_id: 'conf-3', product_id: '1234567890123' } });
  await call(200, 'GET', '/api/v1/investor/orders?limit=10&side=subscribe', { token: it });
  await call(200, 'GET', `/api/v1/investor/orders/${placed.order.id}`, { token: it });
  await call(404, 'GET', '/api/v1/investor/orders/1234567890123', { token: it });
  await call(200, 'POST', `/api/v1/investor/orders/${placed.order.id}/cancel`, { token: it });
  await call(409, 'POST', `/api/v1/investor/orders/${placed.order.id}/cancel`, { token: it });
  await call(200, 'GET', '/api/v1/investor/holdings', { token: it });

  // Professional investors.
  await call(404, 'GET', '/api/v1/investor/professional', { token: it });
  const app = await call(201, 'POST', '/api/v1/investor/professional',
    { token: it, body: { statement: '金融资产超过500万元，投资经历两年以上。' } });
  await call(409, 'POST', '/api/v1/investor/professional',
    { token: it, body: { statement: '金融资产超过500万元，投资经历两年以上。' } });
  await call(200, 'GET', '/api/v1/investor/professional', { token: it });
  await call(200, 'GET', '/api/v1/ops/professional?status=pending', { token: ops });
  await call(200, 'POST', `/api/v1/ops/professional/${app.application.id}/decision`,
    { token: ops, body: { decision: 'approve', reason: '材料齐全' } });
  await call(404, 'POST', `/api/v1/ops/professional/${app.application.id}/decision`,
    { token: ops, body: { decision: 'reject', reason: '重复' } });

  // The trading calendar.
  await call(200, 'GET', '/api/v1/ops/calendar', { token: ops });
  await call(201, 'POST', '/api/v1/ops/calendar/closures', { token: ops, body: {
    first_day: '2027-01-01', last_day: '2027-01-01', reason: '元旦', source: '测试通知' } });
  await call(422, 'POST', '/api/v1/ops/calendar/closures', { token: ops, body: {
    first_day: '2027-01-02', last_day: '2027-01-01', reason: '元旦', source: '测试通知' } });
  await call(201, 'POST', '/api/v1/ops/calendar/years',
    { token: ops, body: { year: 2027, source: '测试通知' } });
  await call(409, 'POST', '/api/v1/ops/calendar/years',
    { token: ops, body: { year: 2027, source: '测试通知' } });

  // The investor's statement: a top-up, a withdrawal, a hold and its release.
  const st = await call(200, 'GET', '/api/v1/investor/statement?from=2026-03-01&to=2026-03-02',
    { token: it });
  assert.deepEqual(st.movements.map((m) => m.event),
    ['topup', 'withdraw', 'subscribe.hold', 'subscribe.release']);
  await call(400, 'GET', '/api/v1/investor/redemption-quote?product_id=x&shares=1.00',
    { token: it });
  await call(400, 'GET', '/api/v1/investor/statement?from=2026-03-02&to=2026-03-01',
    { token: it });
  await call(400, 'GET', '/api/v1/investor/statement?from=2025-03-01&to=2026-03-02',
    { token: it });
  await call(403, 'GET', '/api/v1/investor/statement?from=2026-03-01&to=2026-03-02',
    { token: ops });

  // Risk questionnaire versions: publishing the current definition again makes version 2.
  const current = await call(200, 'GET', '/api/v1/ops/questionnaire', { token: ops });
  await call(422, 'POST', '/api/v1/ops/questionnaire',
    { token: ops, body: { ...current.definition, thresholds: [30, 30, 60, 80] } });
  await call(422, 'POST', '/api/v1/ops/questionnaire',
    { token: ops, body: { ...current.definition, thresholds: [30, 45, 60] } });
  await call(403, 'POST', '/api/v1/ops/questionnaire',
    { token: it, body: current.definition });
  const published = await call(201, 'POST', '/api/v1/ops/questionnaire',
    { token: ops, body: current.definition });
  assert.equal(published.version, current.version + 1);
  await call(409, 'POST', '/api/v1/investor/assessments',
    { token: it, body: { questionnaire_version: current.version, answers: ANSWERS.C2 } });
  await call(201, 'POST', '/api/v1/investor/assessments',
    { token: it, body: { questionnaire_version: published.version, answers: ANSWERS.C2 } });

  // The compliance lexicon: the built-in version 0, published again as version 1.
  const lexicon = await call(200, 'GET', '/api/v1/ops/lexicon', { token: ops });
  assert.equal(lexicon.version, 0);
  await call(422, 'POST', '/api/v1/ops/lexicon', { token: ops, body: { terms: [
    { term: '保本', severity: 'block', category: 'marketing_claim' },
    { term: '保 本', severity: 'review', category: 'marketing_claim' }] } });
  await call(422, 'POST', '/api/v1/ops/lexicon',
    { token: ops, body: { terms: [{ term: '保本', severity: 'warn', category: 'x' }] } });
  await call(403, 'POST', '/api/v1/ops/lexicon', { token: it, body: { terms: lexicon.terms } });
  const lexPublished = await call(201, 'POST', '/api/v1/ops/lexicon',
    { token: ops, body: { terms: lexicon.terms } });
  assert.deepEqual(lexPublished, { version: 1, terms: lexicon.terms.length });
  assert.equal((await call(200, 'GET', '/api/v1/ops/lexicon', { token: ops })).version, 1);

  // Zones: an uploaded logo, brand versions through review, the public page, follows.
  const image = png(32, 32);
  const { upload } = await call(201, 'POST', '/api/v1/inst/uploads',
    { token: admin, body: image, contentType: 'image/png' });
  await call(415, 'POST', '/api/v1/inst/uploads',
    { token: admin, body: image, contentType: 'image/gif' });
  await call(422, 'POST', '/api/v1/inst/uploads',
    { token: admin, body: png(8, 8), contentType: 'image/png' });
  await call(200, 'GET', upload.url);
  await call(404, 'GET', `/uploads/${'0'.repeat(64)}`);
  await call(200, 'GET', '/api/v1/inst/zone', { token: admin });
  const brand = { display_name: '文档财富号', logo_upload_id: upload.id,
    theme_color: '#1677FF', slogan: '长期投资', introduction: '保 本之外，更看重长期回报。',
    modules: ['featured_products', 'qa'] };
  await call(422, 'PUT', '/api/v1/inst/zone',
    { token: admin, body: { ...brand, theme_color: 'blue' } });
  await call(201, 'PUT', '/api/v1/inst/zone',
    { token: admin, body: { ...brand, slogan: '稳赚不赔' } });
  const held = await call(201, 'PUT', '/api/v1/inst/zone', { token: admin, body: brand });
  assert.equal(held.version.check.verdict, 'review');
  await call(200, 'GET', '/api/v1/inst/zone', { token: admin });
  await call(200, 'GET', '/api/v1/ops/review', { token: ops });
  const decision = `/api/v1/ops/zones/${held.version.version_id}/decision`;
  await call(422, 'POST', decision, { token: ops, body: { decision: 'maybe', reason: '?' } });
  await call(200, 'POST', decision, { token: ops, body: { decision: 'approve', reason: '合规' } });
  await call(404, 'POST', decision, { token: ops, body: { decision: 'reject', reason: '重复' } });
  await call(200, 'GET', '/api/v1/inst/zone', { token: admin });
  await call(200, 'GET', `/api/v1/public/zones/${id}`);
  await call(404, 'GET', '/api/v1/public/zones/1234567890123');
  await call(200, 'POST', `/api/v1/investor/follows/${id}`, { token: it });
  await call(404, 'POST', '/api/v1/investor/follows/1234567890123', { token: it });
  await call(200, 'GET', '/api/v1/investor/follows', { token: it });
  const page = await call(200, 'GET', `/api/v1/public/zones/${id}`);
  assert.equal(page.followers, 1);
  assert.equal(page.modules.featured_products.length, 1);
  await call(200, 'DELETE', `/api/v1/investor/follows/${id}`, { token: it });

  // Consent: the text, a grant on the current version only, the institution's customer list,
  // a revoke.
  const consent = `/api/v1/investor/consents/${id}`;
  const text = await call(200, 'GET', consent, { token: it });
  assert.equal(text.consent.granted, false);
  await call(404, 'GET', '/api/v1/investor/consents/1234567890123', { token: it });
  await call(400, 'GET', '/api/v1/investor/consents/abc', { token: it });
  await call(409, 'POST', consent, { token: it, body: { text_version: 'consent-v0' } });
  await call(422, 'POST', consent, { token: it, body: {} });
  await call(404, 'POST', '/api/v1/investor/consents/1234567890123',
    { token: it, body: { text_version: text.consent.text_version } });
  await call(200, 'POST', consent,
    { token: it, body: { text_version: text.consent.text_version } });
  await call(200, 'GET', consent, { token: it });
  const customers = await call(200, 'GET', '/api/v1/inst/customers', { token: admin });
  assert.equal(customers.items.length, 1);
  await call(403, 'GET', '/api/v1/inst/customers', { token: it });
  await call(403, 'POST', consent, { token: admin, body: { text_version: 'consent-v1' } });
  await call(200, 'DELETE', consent, { token: it });

  // Content: a post published at once, an edit held and approved, the dry-run check, a
  // held version in the review queue, a takedown.
  const contents = '/api/v1/inst/contents';
  const post = await call(201, 'POST', contents, { token: admin,
    body: { kind: 'post', title: '文档动态', body: '长期投资，**理性**看待[波动](https://example.com)。' } });
  assert.equal(post.status, 'published');
  await call(422, 'POST', contents,
    { token: admin, body: { kind: 'news', title: 'x', body: 'y' } });
  await call(403, 'POST', contents, { token: it, body: { kind: 'post', title: 'x', body: 'y' } });
  const dry = await call(200, 'POST', `${contents}/check`,
    { token: admin, body: { title: '申购良机', body: '稳赚不赔' } });
  assert.equal(dry.check.verdict, 'block');
  await call(422, 'POST', `${contents}/check`,
    { token: admin, body: { title: 'x', body: '\u0001' } });
  const shown = await call(200, 'GET', `/api/v1/public/contents/${post.id}`);
  assert.match(shown.content.html, /<strong>理性<\/strong>/);
  await call(404, 'GET', '/api/v1/public/contents/1234567890123');
  const edited = await call(200, 'PUT', `${contents}/${post.id}`,
    { token: admin, body: { title: '文档动态', body: '保 本之外，更看重长期回报。' } });
  assert.equal(edited.status, 'held');
  await call(404, 'PUT', `${contents}/1234567890123`,
    { token: admin, body: { title: 'x', body: 'y' } });
  await call(422, 'PUT', `${contents}/${post.id}`,
    { token: admin, body: { title: '', body: 'y' } });
  await call(200, 'GET', contents, { token: admin });
  const queue = await call(200, 'GET', '/api/v1/ops/review', { token: ops });
  assert.ok(queue.items.some((e) => e.kind === 'content' && e.item.id === post.id));
  const verdict = `/api/v1/ops/contents/${post.id}/versions/${edited.version}/decision`;
  await call(422, 'POST', verdict, { token: ops, body: { decision: 'maybe', reason: '?' } });
  await call(400, 'POST', `/api/v1/ops/contents/${post.id}/versions/abc/decision`,
    { token: ops, body: { decision: 'approve', reason: '合规' } });
  await call(200, 'POST', verdict, { token: ops, body: { decision: 'approve', reason: '合规' } });
  await call(404, 'POST', verdict, { token: ops, body: { decision: 'reject', reason: '重复' } });
  const takedown = `/api/v1/ops/contents/${post.id}/takedown`;
  await call(422, 'POST', takedown, { token: ops, body: {} });
  await call(200, 'POST', takedown, { token: ops, body: { reason: '下架' } });
  await call(404, 'POST', takedown, { token: ops, body: { reason: '再次下架' } });
  await call(404, 'GET', `/api/v1/public/contents/${post.id}`);

  // Q&A: a question published at once and answered, one held and approved, one blocked.
  const asks = '/api/v1/investor/questions';
  const asked = await call(201, 'POST', asks,
    { token: it, body: { institution_id: id, body: '这只基金的费率是多少？' } });
  assert.equal(asked.question.status, 'published');
  const heldQ = await call(201, 'POST', asks,
    { token: it, body: { institution_id: id, body: '哪只基金最好？' } });
  assert.equal(heldQ.question.status, 'held');
  const blockedQ = await call(422, 'POST', asks,
    { token: it, body: { institution_id: id, body: '稳赚不赔吗？' } });
  assert.equal(blockedQ.code, 'compliance_blocked');
  await call(404, 'POST', asks,
    { token: it, body: { institution_id: '1234567890123', body: '你好' } });
  await call(422, 'POST', asks, { token: it, body: { institution_id: id } });
  await call(200, 'GET', asks, { token: it });
  await call(200, 'GET', '/api/v1/inst/questions', { token: admin });
  const answer = `/api/v1/inst/questions/${asked.question.id}/answer`;
  await call(422, 'POST', answer, { token: admin, body: { answer: '这是最好的选择。' } });
  await call(200, 'POST', answer, { token: admin, body: { answer: '申购费率为0.15%。' } });
  await call(404, 'POST', answer, { token: admin, body: { answer: '再答一次。' } });
  const queueQ = await call(200, 'GET', '/api/v1/ops/review', { token: ops });
  assert.ok(queueQ.items.some((e) => e.kind === 'question' && e.item.id === heldQ.question.id));
  const decideQ = `/api/v1/ops/questions/${heldQ.question.id}/decision`;
  await call(422, 'POST', decideQ, { token: ops, body: { decision: 'maybe', reason: '?' } });
  await call(200, 'POST', decideQ, { token: ops, body: { decision: 'approve', reason: '可以' } });
  await call(404, 'POST', decideQ, { token: ops, body: { decision: 'reject', reason: '重复' } });
  await call(200, 'GET', `/api/v1/public/zones/${id}/questions`);
  await call(400, 'GET', '/api/v1/public/zones/abc/questions');

  // Messages: one delivered at once, one held and approved, one blocked, the daily limit; the
  // inbox with its read marks, mutes, the feed, and the notifications of the decisions above.
  await call(200, 'POST', `/api/v1/investor/follows/${id}`, { token: it });
  const messages = '/api/v1/inst/messages';
  const note = (title, text, extra = {}) =>
    ({ audience: 'followers', title, body: text, ...extra });
  const sent = await call(201, 'POST', messages,
    { token: admin, body: note('文档消息', '净值已更新。') });
  assert.equal(sent.message.status, 'delivered');
  const heldM = await call(201, 'POST', messages, { token: admin,
    body: note('文档提醒', '哪只基金最好？', { audience: 'holders', product_id: product.id }) });
  assert.equal(heldM.message.status, 'held');
  const blockedM = await call(422, 'POST', messages,
    { token: admin, body: note('x', '稳赚不赔') });
  assert.equal(blockedM.code, 'compliance_blocked');
  await call(422, 'POST', messages,
    { token: admin, body: note('x', 'y', { audience: 'all' }) });
  await call(403, 'POST', messages, { token: it, body: note('x', 'y') });
  await call(201, 'POST', messages, { token: admin, body: note('文档消息三', '第三条。') });
  const limited = await call(429, 'POST', messages,
    { token: admin, body: note('第四条', '四。') });
  assert.equal(limited.limit, 3);
  await call(200, 'GET', `${messages}?limit=2`, { token: admin });
  await call(400, 'GET', `${messages}?cursor=abc`, { token: admin });
  const queueM = await call(200, 'GET', '/api/v1/ops/review', { token: ops });
  assert.ok(queueM.items.some((e) => e.kind === 'message' && e.item.id === heldM.message.id));
  const decideM = `/api/v1/ops/messages/${heldM.message.id}/decision`;
  await call(422, 'POST', decideM, { token: ops, body: { decision: 'maybe', reason: '?' } });
  await call(200, 'POST', decideM,
    { token: ops, body: { decision: 'approve', reason: '可以' } });
  await call(404, 'POST', decideM,
    { token: ops, body: { decision: 'reject', reason: '重复' } });
  const inbox = await call(200, 'GET', '/api/v1/investor/messages?limit=1', { token: it });
  assert.equal(inbox.items.length, 1);
  await call(200, 'GET', `/api/v1/investor/messages?cursor=${inbox.next_cursor}`,
    { token: it });
  await call(400, 'GET', '/api/v1/investor/messages?limit=201', { token: it });
  await call(200, 'GET', '/api/v1/investor/messages/unread', { token: it });
  await call(200, 'POST', `/api/v1/investor/messages/${sent.message.id}/read`,
    { token: it });
  // Held until just now, and to the holders of a product the investor does not hold.
  await call(404, 'POST', `/api/v1/investor/messages/${heldM.message.id}/read`,
    { token: it });
  await call(400, 'POST', '/api/v1/investor/messages/abc/read', { token: it });
  await call(200, 'POST', '/api/v1/investor/messages/read-all', { token: it });
  await call(200, 'POST', `/api/v1/investor/mutes/${id}`, { token: it });
  await call(404, 'POST', '/api/v1/investor/mutes/1234567890123', { token: it });
  await call(200, 'GET', '/api/v1/investor/mutes', { token: it });
  await call(200, 'DELETE', `/api/v1/investor/mutes/${id}`, { token: it });
  await call(404, 'DELETE', '/api/v1/investor/mutes/1234567890123', { token: it });
  await call(200, 'GET', '/api/v1/investor/feed', { token: it });
  await call(400, 'GET', '/api/v1/investor/feed?cursor=zz', { token: it });
  const staffNotes = await call(200, 'GET', '/api/v1/inst/notifications', { token: admin });
  assert.ok(staffNotes.items.some((n) => n.kind === 'message_approved'));
  await call(200, 'POST', `/api/v1/inst/notifications/${staffNotes.items[0].id}/read`,
    { token: admin });
  await call(404, 'POST', '/api/v1/inst/notifications/1234567890123/read', { token: admin });
  await call(200, 'POST', '/api/v1/inst/notifications/read-all', { token: admin });
  const invNotes = await call(200, 'GET', '/api/v1/investor/notifications', { token: it });
  assert.ok(invNotes.items.some((n) => n.kind === 'question_approved'));
  await call(200, 'POST', `/api/v1/investor/notifications/${invNotes.items[0].id}/read`,
    { token: it });
  await call(404, 'POST', `/api/v1/investor/notifications/${staffNotes.items[0].id}/read`,
    { token: it });
  await call(200, 'POST', '/api/v1/investor/notifications/read-all', { token: it });
  // Comments: one published at once, one held and approved, a page of the public list, a
  // deletion.
  const article = await call(201, 'POST', contents, { token: admin,
    body: { kind: 'article', title: '文档文章', body: '长期投资，理性看待波动。' } });
  const comments = '/api/v1/investor/comments';
  const said = await call(201, 'POST', comments,
    { token: it, body: { content_id: article.id, body: '写得好。' } });
  assert.equal(said.comment.status, 'published');
  const heldC = await call(201, 'POST', comments,
    { token: it, body: { content_id: article.id, body: '这是最好的基金吗？' } });
  assert.equal(heldC.comment.status, 'held');
  await call(422, 'POST', comments,
    { token: it, body: { content_id: article.id, body: '稳赚不赔' } });
  await call(404, 'POST', comments,
    { token: it, body: { content_id: post.id, body: '已下架' } });
  await call(200, 'GET', comments, { token: it });
  const queueC = await call(200, 'GET', '/api/v1/ops/review', { token: ops });
  assert.ok(queueC.items.some((e) => e.kind === 'comment' && e.item.id === heldC.comment.id));
  const decideC = `/api/v1/ops/comments/${heldC.comment.id}/decision`;
  await call(422, 'POST', decideC, { token: ops, body: { decision: 'maybe', reason: '?' } });
  await call(200, 'POST', decideC, { token: ops, body: { decision: 'approve', reason: '可以' } });
  await call(404, 'POST', decideC, { token: ops, body: { decision: 'reject', reason: '重复' } });
  const commentPage = await call(200, 'GET',
    `/api/v1/public/contents/${article.id}/comments?limit=1`);
  assert.ok(commentPage.next_cursor);
  await call(200, 'GET',
    `/api/v1/public/contents/${article.id}/comments?cursor=${commentPage.next_cursor}`);
  await call(400, 'GET', `/api/v1/public/contents/${article.id}/comments?cursor=x`);
  await call(404, 'GET', `/api/v1/public/contents/${post.id}/comments`);
  await call(200, 'DELETE', `${comments}/${said.comment.id}`, { token: it });
  await call(404, 'DELETE', `${comments}/${said.comment.id}`, { token: it });

  // Reports: one filed, a repeat of it, the queue, a dismissal.
  const reports = '/api/v1/investor/reports';
  const reportBody = { target_kind: 'content', target_id: article.id,
    category: 'misleading_claims', text: '标题夸大' };
  const filed = await call(201, 'POST', reports, { token: it, body: reportBody });
  const repeated = await call(200, 'POST', reports, { token: it, body: reportBody });
  assert.equal(repeated.report.id, filed.report.id);
  await call(404, 'POST', reports,
    { token: it, body: { target_kind: 'content', target_id: post.id, category: 'other' } });
  await call(422, 'POST', reports,
    { token: it, body: { target_kind: 'user', target_id: article.id, category: 'other' } });
  await call(200, 'GET', reports, { token: it });
  const queueR = await call(200, 'GET', '/api/v1/ops/review', { token: ops });
  assert.ok(queueR.items.some((e) => e.kind === 'report' && e.item.id === filed.report.id));
  const resolution = `/api/v1/ops/reports/${filed.report.id}/resolution`;
  await call(422, 'POST', resolution, { token: ops, body: { decision: 'maybe', reason: '?' } });
  await call(200, 'POST', resolution,
    { token: ops, body: { decision: 'dismiss', reason: '内容正常' } });
  await call(404, 'POST', resolution,
    { token: ops, body: { decision: 'take_down', reason: '再次' } });

  // Fund managers: one live at once, an edit held and approved, the public profile and page,
  // a removal.
  const managers = '/api/v1/inst/managers';
  const manager = { name: '文档经理', photo_upload_id: upload.id, title: '基金经理',
    years_experience: 8, bio: '八年投资经验。', product_ids: [product.id] };
  const made = await call(201, 'POST', managers, { token: admin, body: manager });
  assert.equal(made.manager.live.status, 'approved');
  await call(422, 'POST', managers,
    { token: admin, body: { ...manager, bio: '稳赚不赔。' } });
  await call(422, 'POST', managers,
    { token: admin, body: { ...manager, product_ids: ['1234567890123'] } });
  const managerPath = `${managers}/${made.manager.id}`;
  const heldMgr = await call(200, 'PUT', managerPath,
    { token: admin, body: { ...manager, title: '最好的基金经理' } });
  assert.equal(heldMgr.manager.pending.status, 'pending');
  await call(404, 'PUT', `${managers}/1234567890123`, { token: admin, body: manager });
  await call(200, 'GET', managers, { token: admin });
  const queueMgr = await call(200, 'GET', '/api/v1/ops/review', { token: ops });
  assert.ok(queueMgr.items.some((e) => e.kind === 'manager' && e.item.id === made.manager.id));
  const decideMgr = `/api/v1/ops/managers/${made.manager.id}/versions/2/decision`;
  await call(422, 'POST', decideMgr, { token: ops, body: { decision: 'maybe', reason: '?' } });
  await call(200, 'POST', decideMgr, { token: ops, body: { decision: 'approve', reason: '可以' } });
  await call(404, 'POST', decideMgr, { token: ops, body: { decision: 'reject', reason: '重复' } });
  await call(200, 'GET', `/api/v1/public/managers/${made.manager.id}`);
  await call(404, 'GET', '/api/v1/public/managers/1234567890123');
  await call(200, 'GET', `/api/v1/public/zones/${id}`);
  await call(200, 'DELETE', managerPath, { token: admin });
  await call(404, 'DELETE', managerPath, { token: admin });

  // Campaigns: a fee discount drafted, submitted, reviewed and approved; a forbidden type; a
  // segment message over the messages' daily limit; the list, one campaign, its report; an
  // order placed through it and one naming no campaign that applies; a draft edited, submitted
  // and withdrawn; the approved one stopped, and an order naming it refused; the marketing
  // opt-out.
  const campaigns = '/api/v1/inst/campaigns';
  const campaign = { type: 'fee_discount', name: '文档费率优惠', text: '指定产品申购费5折。',
    start_date: '2026-03-02', end_date: '2026-03-31', budget: '100.00', discount: '0.5',
    product_ids: [product.id] };
  const drafted = await call(201, 'POST', campaigns, { token: admin, body: campaign });
  const refusedK = await call(422, 'POST', campaigns,
    { token: admin, body: { ...campaign, type: 'red_packet' } });
  assert.equal(refusedK.rule, 'no_red_packet');
  await call(403, 'POST', campaigns, { token: it, body: campaign });
  const kPath = `${campaigns}/${drafted.campaign.id}`;
  await call(200, 'POST', `${kPath}/submit`, { token: admin });
  await call(409, 'POST', `${kPath}/submit`, { token: admin });
  await call(404, 'POST', `${campaigns}/1234567890123/submit`, { token: admin });
  const segment = await call(201, 'POST', campaigns, { token: admin,
    body: { type: 'segment_message', name: '文档活动消息', text: '欢迎参加。',
      start_date: '2026-03-02', end_date: '2026-03-02' } });
  await call(429, 'POST', `${campaigns}/${segment.campaign.id}/submit`, { token: admin });
  const queueK = await call(200, 'GET', '/api/v1/ops/review', { token: ops });
  assert.ok(queueK.items.some((e) => e.kind === 'campaign' && e.item.id === drafted.campaign.id));
  const decideK = `/api/v1/ops/campaigns/${drafted.campaign.id}/decision`;
  await call(422, 'POST', decideK, { token: ops, body: { decision: 'maybe', reason: '?' } });
  await call(200, 'POST', decideK, { token: ops, body: { decision: 'approve', reason: '可以' } });
  await call(404, 'POST', decideK, { token: ops, body: { decision: 'reject', reason: '重复' } });
  await call(200, 'GET', `${campaigns}?limit=1`, { token: admin });
  await call(400, 'GET', `${campaigns}?cursor=x`, { token: admin });
  await call(200, 'GET', kPath, { token: admin });
  await call(404, 'GET', `${campaigns}/1234567890123`, { token: admin });
  await call(200, 'GET', `${kPath}/report`, { token: admin });
  await call(404, 'GET', `${campaigns}/1234567890123/report`, { token: admin });
  const viaK = await call(201, 'POST', '/api/v1/investor/orders', { token: it,
    body: { ...confirmed, client_order_id: 'conf-k1', campaign_id: drafted.campaign.id } });
  assert.equal(viaK.order.campaign_id, drafted.campaign.id);
  const notK = await call(422, 'POST', '/api/v1/investor/orders', { token: it,
    body: { ...confirmed, client_order_id: 'conf-k2', campaign_id: '1234567890123' } });
  assert.equal(notK.reason, 'not_found');
  // Edit (the draft refused at the limit becomes a fee discount), withdraw and stop.
  const sPath = `${campaigns}/${segment.campaign.id}`;
  const editedK = await call(200, 'PUT', sPath,
    { token: admin, body: { ...campaign, name: '文档费率优惠二' } });
  assert.equal(editedK.campaign.type, 'fee_discount');
  await call(422, 'PUT', sPath, { token: admin, body: { ...campaign, text: '申购抽奖。' } });
  await call(409, 'PUT', kPath, { token: admin, body: campaign });
  await call(404, 'PUT', `${campaigns}/1234567890123`, { token: admin, body: campaign });
  await call(403, 'PUT', sPath, { token: it, body: campaign });
  await call(200, 'POST', `${sPath}/submit`, { token: admin });
  const withdrawn = await call(200, 'POST', `${sPath}/withdraw`, { token: admin });
  assert.equal(withdrawn.campaign.status, 'draft');
  await call(409, 'POST', `${sPath}/withdraw`, { token: admin });
  await call(404, 'POST', `${campaigns}/1234567890123/withdraw`, { token: admin });
  await call(422, 'POST', `${kPath}/stop`, { token: admin, body: {} });
  const stoppedK = await call(200, 'POST', `${kPath}/stop`,
    { token: admin, body: { reason: '文档：提前结束' } });
  assert.equal(stoppedK.campaign.status, 'stopped');
  const again = await call(409, 'POST', `${kPath}/stop`, { token: admin, body: { reason: '再次' } });
  assert.equal(again.campaign_status, 'stopped');
  await call(404, 'POST', `${campaigns}/1234567890123/stop`,
    { token: admin, body: { reason: '文档' } });
  const afterStop = await call(422, 'POST', '/api/v1/investor/orders', { token: it,
    body: { ...confirmed, client_order_id: 'conf-k3', campaign_id: drafted.campaign.id } });
  assert.equal(afterStop.reason, 'stopped');
  await call(200, 'GET', '/api/v1/investor/marketing', { token: it });
  await call(200, 'PUT', '/api/v1/investor/marketing', { token: it, body: { opted_out: true } });
  await call(422, 'PUT', '/api/v1/investor/marketing', { token: it, body: { opted_out: 'yes' } });

  // Search: a product by code, content by a two-character word, zones; bad queries.
  const found = await call(200, 'GET',
    `/api/v1/public/search?type=products&q=${product.code}`);
  assert.deepEqual(found.items.map((p) => p.id), [product.id]);
  const words = await call(200, 'GET',
    `/api/v1/public/search?type=contents&q=${encodeURIComponent('文档')}&limit=1`);
  assert.equal(words.items.length, 1);
  await call(200, 'GET', '/api/v1/public/search?type=zones&q=%E6%96%87%E6%A1%A3%E8%B4%A2%E5%AF%8C');
  await call(400, 'GET', '/api/v1/public/search?type=zones&q=');
  await call(400, 'GET', '/api/v1/public/search?type=people&q=abc');

  // Events, then the day rolled up, so that the dashboards have figures to show; the
  // marketing opt-out.
  const at = Date.parse('2026-03-02T10:00:00+08:00');
  const evs = [
    { kind: 'zone_view', at_ms: at, zone_id: id },
    { kind: 'product_view', at_ms: at, product_id: product.id },
    { kind: 'content_view', at_ms: at, content_id: post.id },
    { kind: 'recommendation_impression', at_ms: at, zone_id: id, slot: 'home' },
    { kind: 'zone_view', at_ms: at },
  ];
  const got = await call(200, 'POST', '/api/v1/events', { token: it, body: { events: evs } });
  assert.equal(got.accepted, 4);
  await call(422, 'POST', '/api/v1/events', { token: it, body: { events: [] } });
  await call(403, 'POST', '/api/v1/events', { token: admin, body: { events: evs } });
  await srv.cli(['batch', 'rollup', '--date', '2026-03-02']);
  await call(200, 'GET', '/api/v1/investor/marketing', { token: it });
  await call(200, 'PUT', '/api/v1/investor/marketing', { token: it, body: { opted_out: true } });
  await call(422, 'PUT', '/api/v1/investor/marketing', { token: it, body: { opted_out: 1 } });
  const day = 'from=2026-03-02&to=2026-03-02';
  const board = await call(200, 'GET', `/api/v1/inst/dashboard?${day}`, { token: admin });
  assert.equal(board.current.figures.zone_views, 1);
  assert.equal(board.metrics.length, 7);
  await call(400, 'GET', '/api/v1/inst/dashboard?from=2026-03-09&to=2026-03-02',
    { token: admin });
  await call(403, 'GET', `/api/v1/inst/dashboard?institution_id=1234567890123`,
    { token: admin });
  await call(200, 'GET', `/api/v1/inst/dashboard.csv?${day}`, { token: admin });
  await call(200, 'GET', `/api/v1/inst/dashboard/segments?dimension=age_band&${day}`,
    { token: admin });
  await call(400, 'GET', '/api/v1/inst/dashboard/segments?dimension=age', { token: admin });
  await call(200, 'GET', `/api/v1/inst/dashboard/segments.csv?dimension=region&${day}`,
    { token: admin });
  await call(200, 'GET', `/api/v1/inst/dashboard/products/${product.id}?${day}`,
    { token: admin });
  await call(404, 'GET', '/api/v1/inst/dashboard/products/1234567890123', { token: admin });
  const platform = await call(200, 'GET', `/api/v1/ops/dashboard?${day}`, { token: ops });
  assert.ok(platform.institutions.some((i) => i.institution_id === id));
  await call(404, 'GET', '/api/v1/ops/dashboard?institution_id=1234567890123', { token: ops });
  await call(200, 'GET', `/api/v1/ops/dashboard/segments?dimension=risk_class&${day}`,
    { token: ops });
  await call(403, 'GET', '/api/v1/ops/dashboard', { token: admin });
  // The fair rule: a draft, its publication, a day scored from the metrics table (written
  // here as the daily roll-up would), the public record and key, the slots, the breakdown.
  const rules = '/api/v1/ops/fair-rules';
  const fairRule = { terms: [{ metric: 'answer_rate', weight: 1, normalisation: 'range',
    lo: 0, hi: 1000000, missing_ppm: 0 }], floor_days: 30, floor_ppm: 0, cap_ppm: 1000000,
  total: 1000 };
  await call(422, 'POST', rules, { token: ops, body: { ...fairRule, total: 0 } });
  const draft = await call(201, 'POST', rules, { token: ops, body: fairRule });
  await call(200, 'PUT', `${rules}/${draft.version}`, { token: ops, body: fairRule });
  await call(404, 'PUT', `${rules}/424242`, { token: ops, body: fairRule });
  await call(200, 'GET', `${rules}/${draft.version}`, { token: ops });
  await call(404, 'GET', `${rules}/424242`, { token: ops });
  await call(200, 'GET', rules, { token: ops });
  await call(404, 'GET', `/api/v1/public/fair-rules/${draft.version}`);
  await call(422, 'POST', `${rules}/${draft.version}/publish`,
    { token: ops, body: { notice_days: 1 } });
  await call(200, 'POST', `${rules}/${draft.version}/publish`,
    { token: ops, body: { notice_days: 15 } });
  await call(409, 'POST', `${rules}/${draft.version}/publish`, { token: ops });
  await call(409, 'PUT', `${rules}/${draft.version}`, { token: ops, body: fairRule });
  await call(200, 'GET', '/api/v1/public/fair-rules');
  await call(200, 'GET', `/api/v1/public/fair-rules/${draft.version}`);
  await srv.sql('INSERT INTO fair_rule_versions (version, status, text, hash, created_ms, ' +
    "updated_ms, published_ms, published_date, notice_days, effective_date) SELECT 1000, " +
    "'published', text, hash, 0, 0, 0, '2025-12-01', 15, '2025-12-16' FROM fair_rule_versions " +
    `WHERE version = ${draft.version}; INSERT INTO inst_metrics_daily (day, institution_id, ` +
    `metric, value, unit, denominator, window_days) VALUES ('2026-03-01', ${id}, 'answer_rate', ` +
    '900000, \'ppm\', 1, 30);');
  await srv.cli(['batch', 'score', '--date', '2026-03-01']);
  await call(200, 'GET', '/api/v1/public/fair-days?limit=5');
  await call(400, 'GET', '/api/v1/public/fair-days?before=x');
  await call(200, 'GET', '/api/v1/public/fair-days/2026-03-01');
  await call(404, 'GET', '/api/v1/public/fair-days/2026-02-01');
  await call(400, 'GET', '/api/v1/public/fair-days/x');
  await call(200, 'GET', '/api/v1/public/fair-key');
  const recs = await call(200, 'GET', '/api/v1/public/recommendations?slots=2');
  assert.deepEqual(recs.items.map((i) => i.institution_id), [id]);
  await call(400, 'GET', '/api/v1/public/recommendations?slots=0');
  const breakdown = await call(200, 'GET', '/api/v1/inst/fair-score?from=2026-02-25',
    { token: admin });
  assert.equal(breakdown.items[0].impressions, 1000);
  await call(400, 'GET', '/api/v1/inst/fair-score?from=x', { token: admin });
  await call(200, 'GET', '/api/v1/ops/fair-deliveries/2026-03-02', { token: ops });
  await call(400, 'GET', '/api/v1/ops/fair-deliveries/x', { token: ops });
  const own = await call(200, 'POST', `/api/v1/ops/institutions/${id}/platform-own`,
    { token: ops, body: { platform_own: true, reason: '平台自营' } });
  assert.equal(own.institution.platform_own, true);
  await call(404, 'POST', '/api/v1/ops/institutions/1234567890123/platform-own',
    { token: ops, body: { platform_own: true, reason: '平台自营' } });
  await call(422, 'POST', `/api/v1/ops/institutions/${id}/platform-own`,
    { token: ops, body: { platform_own: true } });

  // Money-market income by day: none yet for a fund the investor never held.
  const { product: mmf } = await call(201, 'POST', '/api/v1/inst/products', { token: admin,
    body: productBody({ type: 'money_market', equity_leaning: false, risk_level: 'R1',
      sub_fees: [{ min_amount: '0.00', max_amount: null, rate: '0' }],
      red_fees: [{ min_days: 0, max_days: null, rate: '0' }], fee_discount: '1' }) });
  const inc = await call(200, 'GET', `/api/v1/investor/holdings/${mmf.id}/income`, { token: it });
  assert.deepEqual([inc.items, inc.shares], [[], '0.00']);
  await call(404, 'GET', `/api/v1/investor/holdings/${product.id}/income`, { token: it });
  await call(400, 'GET', `/api/v1/investor/holdings/${mmf.id}/income?from=2026-03-02&to=2026-03-01`,
    { token: it });

  // Buying through a campaign: the offers on a product (one approved for it now; the stopped
  // one is not among them), 404 and 403; the estimate of the order placed through the stopped
  // one still carries its campaign discount, as confirmation would still give it.
  const offer = await call(201, 'POST', campaigns, { token: admin,
    body: { ...campaign, name: '文档申购优惠', discount: '0.4' } });
  await call(200, 'POST', `${campaigns}/${offer.campaign.id}/submit`, { token: admin });
  await call(200, 'POST', `/api/v1/ops/campaigns/${offer.campaign.id}/decision`,
    { token: ops, body: { decision: 'approve', reason: '可以' } });
  const offers = await call(200, 'GET', `/api/v1/investor/products/${product.id}/campaigns`,
    { token: it });
  assert.deepEqual(offers.items.map((k) => [k.id, k.discount, k.has_budget_left]),
    [[offer.campaign.id, '0.400000', true]]);
  await call(404, 'GET', '/api/v1/investor/products/1234567890123/campaigns', { token: it });
  await call(403, 'GET', `/api/v1/investor/products/${product.id}/campaigns`, { token: admin });
  const viaKNow = await call(200, 'GET', `/api/v1/investor/orders/${viaK.order.id}`,
    { token: it });
  assert.equal(typeof viaKNow.order.estimate.campaign_discount, 'string');

  const missing = operations(doc).map((o) => `${o.method} ${o.template}`)
    .filter((k) => !exercised.has(k));
  assert.deepEqual(missing, [], 'operations this test does not exercise yet');
});
