// Building blocks for the trading tests: a business clock placed on a chosen moment of China
// Standard Time, servers that share one database across such moments, institutions with
// products, investors with a profile, an assessment and cash, and the fee arithmetic of
// DESIGN §5 redone independently with BigInt, so that the tests check the server's figures
// against their own.

import assert from 'node:assert/strict';

import { api as rawApi, describe, expectOk } from './http.mjs';
import { expectConforms } from './schema.mjs';
import {
  acceptAndLogin, createInstitution, instInvite, login, opsInvite, register, setStatus, unique,
} from './fixtures.mjs';
import { Server, makeWorkdir, runCli, runCliOk } from './server.mjs';

// ---- requests held against the contract ----

let contract = null;

/** From now on, every response of `api` below must fit this OpenAPI document. */
export function checkContract(doc) {
  contract = doc;
}

/** http.mjs's api, plus the OpenAPI check once checkContract has been called. */
export async function api(base, method, path, opts) {
  const res = await rawApi(base, method, path, opts);
  if (contract) expectConforms(contract, res);
  return res;
}

// ---- the business clock ----

/** UTC milliseconds of a wall-clock time in China Standard Time (UTC+8, no DST). */
export function cstMs(date, time = '10:00:00') {
  return Date.parse(`${date}T${time}+08:00`);
}

/** The environment that puts a process's business clock on `date time` CST, now. */
export function clockEnv(date, time = '10:00:00') {
  const offset = Math.round((cstMs(date, time) - Date.now()) / 1000);
  return { CAIFUHAO_CLOCK_OFFSET_S: String(offset) };
}

/** The CST calendar date of UTC milliseconds, 'YYYY-MM-DD'. */
export function cstDate(ms) {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The batches inside `serve` stay off unless a test turns them on. */
export const NO_SCHEDULER = { CAIFUHAO_SCHEDULER_INTERVAL_S: '0' };

/**
 * One database shared by servers started at different business times: `at(date, time)`
 * stops the running server (checking its exit code) and starts one whose clock reads that
 * time. `cli(args, date, time)` runs a subcommand on the same database with its clock there.
 */
export class World {
  constructor(work) {
    this.work = work;
    this.db = work.db;
    this.srv = null;
    this.failed = false;
  }

  static async create() {
    return new World(await makeWorkdir());
  }

  get base() {
    return this.srv.base;
  }

  async at(date, time = '10:00:00', env = {}) {
    await this.stop();
    this.srv = new Server(this.work, { ...NO_SCHEDULER, ...clockEnv(date, time), ...env });
    await this.srv.start();
    return this.srv;
  }

  async stop() {
    if (this.srv) {
      const s = this.srv;
      this.srv = null;
      await s.stop();
    }
  }

  cli(args, date = '2026-03-02', time = '10:00:00') {
    return runCli([...args, '--db', this.db], { env: clockEnv(date, time), timeoutMs: 120000 });
  }

  async cliOk(args, date, time) {
    const r = await this.cli(args, date, time);
    assert.equal(r.code, 0, `caifuhao ${args.join(' ')} exited with ${r.code ?? r.signal}\n` +
      `${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** `batch confirm --date T`: answers the parsed report line. */
  async confirm(t, date = t, time = '20:00:00') {
    return batchReport(await this.cliOk(['batch', 'confirm', '--date', t], date, time));
  }

  async settle(d, date = d, time = '20:00:00') {
    return batchReport(await this.cliOk(['batch', 'settle', '--date', d], date, time));
  }

  /** `ledger check`: answers {code, stdout}. */
  async ledgerCheck() {
    return ledgerCheck(this.db);
  }

  sql(statements) {
    const s = this.srv ?? new Server(this.work, {});
    return s.sql(statements);
  }

  async cleanup() {
    await this.stop();
    if (this.failed) {
      process.stderr.write(`work directory kept: ${this.work.dir}\n`);
    } else {
      await new Server(this.work, {}).removeWorkdir();
    }
  }
}

/** Parses "batch confirm D: N processed, F failed, W waiting for NAV, C chunks". */
export function batchReport(r) {
  const m = /(\d+) processed, (\d+) failed, (\d+) waiting for NAV, (\d+) chunks/.exec(r.stdout);
  assert.ok(m, `unexpected batch output: ${r.stdout}\n${r.stderr}`);
  return { processed: Number(m[1]), failed: Number(m[2]), waiting: Number(m[3]),
    chunks: Number(m[4]), stdout: r.stdout };
}

export async function ledgerCheck(db) {
  const r = await runCli(['ledger', 'check', '--db', db]);
  return { code: r.code, stdout: r.stdout + r.stderr };
}

export async function expectLedgerOk(db) {
  const r = await ledgerCheck(db);
  assert.equal(r.code, 0, `ledger check failed:\n${r.stdout}`);
  assert.match(r.stdout, /ledger check: ok/);
}

export { runCliOk };

// ---- decimal arithmetic ----

/** "1234.56" at scale 2 → 123456n. Exact; throws on more decimals than the scale. */
export function units(s, scale) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  assert.ok(m, `not a decimal: ${s}`);
  const frac = m[3] ?? '';
  assert.ok(frac.length <= scale, `${s} has more than ${scale} decimals`);
  const v = BigInt(m[2] + frac.padEnd(scale, '0'));
  return m[1] ? -v : v;
}

/** 123456n at scale 2 → "1234.56", the server's format. */
export function fmt(v, scale) {
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(scale + 1, '0');
  const out = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  return neg ? `-${out}` : out;
}

/** a × b / c for non-negative BigInts, rounded half-up or truncated. */
export function mulDiv(a, b, c, mode = 'half_up') {
  const n = a * b;
  const q = n / c;
  const r = n % c;
  return mode === 'half_up' && 2n * r >= c ? q + 1n : q;
}

const PPM = 1000000n;

/**
 * A subscription by 外扣法 (DESIGN §5): {fee, net, shares} as strings.
 *   rate = list × discount / 10^6, half-up to the ppm
 *   net = amount / (1 + rate), half-up to the fen; fee = amount − net
 *   shares = net / NAV, rounded per product
 * A fixed-fee tier (`fixed`) ignores the discount: net = amount − fixed.
 */
export function subQuote({ amount, rate, fixed, discount = '1', nav, rounding = 'half_up' }) {
  const a = units(amount, 2);
  let net;
  if (fixed !== undefined) {
    net = a - units(fixed, 2);
  } else {
    const applied = mulDiv(units(rate, 6), units(discount, 6), PPM);
    net = mulDiv(a * PPM, 1n, PPM + applied);
  }
  const shares = mulDiv(net, 10000n, units(nav, 4), rounding);
  return { fee: fmt(a - net, 2), net: fmt(net, 2), shares: fmt(shares, 2) };
}

/** Days from date a to date b ('YYYY-MM-DD'). */
export function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

/**
 * A redemption first in first out: lots [{shares, date}] oldest first, red tiers
 * [{min_days, max_days, rate}]. Per lot gross = shares × NAV half-up to the fen, fee =
 * gross × rate half-up; totals are sums. Answers {gross, fee, net, lines}.
 */
export function redQuote({ lots, tiers, shares, nav, tradeDate }) {
  let left = units(shares, 2);
  let gross = 0n;
  let fee = 0n;
  const lines = [];
  for (const lot of lots) {
    if (left === 0n) break;
    const have = units(lot.shares, 2);
    const take = have < left ? have : left;
    const days = daysBetween(lot.date, tradeDate);
    const tier = tiers.find((t) => days >= t.min_days
      && (t.max_days === null || days < t.max_days));
    const g = mulDiv(take, units(nav, 4), 10000n);
    const f = mulDiv(g, units(tier.rate, 6), PPM);
    gross += g;
    fee += f;
    lines.push({ take: fmt(take, 2), days, rate: tier.rate, gross: fmt(g, 2), fee: fmt(f, 2) });
    left -= take;
  }
  assert.equal(left, 0n, 'the lots do not hold that many shares');
  return { gross: fmt(gross, 2), fee: fmt(fee, 2), net: fmt(gross - fee, 2), lines };
}

/** shares × NAV, half-up to the fen, as the holdings' market value. */
export function marketValue(shares, nav) {
  return fmt(mulDiv(units(shares, 2), units(nav, 4), 10000n), 2);
}

/** Sum of decimal strings at a scale. */
export function sum(values, scale = 2) {
  return fmt(values.reduce((acc, v) => acc + units(v, scale), 0n), scale);
}

export function sub(a, b, scale = 2) {
  return fmt(units(a, scale) - units(b, scale), scale);
}

// ---- institutions and products ----

/** An operator, a live institution, its admin and an operator colleague. */
export async function institutionWithStaff(srv, opsLogin = unique('tops.')) {
  const { password } = await srv.createOperator(opsLogin, 'ops_admin');
  const ops = await login(srv.base, opsLogin, password);
  const inst = await createInstitution(srv.base, ops.token);
  await setStatus(srv.base, ops.token, inst.id, 'live');
  const admin = await acceptAndLogin(srv.base,
    await opsInvite(srv.base, ops.token, inst.id, 'inst_admin'));
  const operator = await acceptAndLogin(srv.base,
    await instInvite(srv.base, admin.token, 'inst_operator'));
  const compliance = await acceptAndLogin(srv.base,
    await instInvite(srv.base, admin.token, 'inst_compliance'));
  return {
    ops: { login: opsLogin, password, token: ops.token },
    inst,
    admin: { login: admin.user.login, token: admin.token, user: admin.user },
    operator: { login: operator.user.login, token: operator.token, user: operator.user },
    compliance: { login: compliance.user.login, token: compliance.token,
      user: compliance.user },
  };
}

let codeSeq = 0;

/** A 6-digit fund code no other product of this process uses. */
export function uniqueCode() {
  codeSeq += 1;
  return String(((process.pid % 900) + 100) * 1000 + codeSeq).padStart(6, '0').slice(-6);
}

export const EQUITY_SUB_FEES = [
  { min_amount: '0.00', max_amount: '1000000.00', rate: '0.008' },
  { min_amount: '1000000.00', max_amount: null, fixed: '1000.00' },
];
export const EQUITY_RED_FEES = [
  { min_days: 0, max_days: 7, rate: '0.015' },
  { min_days: 7, max_days: 365, rate: '0.005' },
  { min_days: 365, max_days: null, rate: '0' },
];

/** A product body with sensible defaults (an equity fund, R3, 1折 on the rate). */
export function productBody(overrides = {}) {
  return {
    code: uniqueCode(),
    name: unique('测试成长混合'),
    type: 'equity',
    equity_leaning: true,
    risk_level: 'R3',
    min_purchase: '100.00',
    daily_limit: '50000.00',
    sub_fees: EQUITY_SUB_FEES,
    red_fees: EQUITY_RED_FEES,
    fee_discount: '0.1',
    share_rounding: 'half_up',
    redeem_delay_days: 3,
    prospectus_url: 'https://example.com/prospectus.pdf',
    key_facts_url: 'https://example.com/key-facts.pdf',
    benchmark: '沪深300指数收益率×80%+中债总指数收益率×20%',
    inception_date: '2020-01-06',
    ...overrides,
  };
}

export async function createProduct(base, token, overrides = {}) {
  const res = await api(base, 'POST', '/api/v1/inst/products',
    { token, body: productBody(overrides) });
  return expectOk(res, 201).product;
}

/** Publishes a NAV; answers the response (201 or 202). */
export function publishNav(base, token, productId, body) {
  return api(base, 'POST', `/api/v1/inst/products/${productId}/navs`, { token, body });
}

export async function publishNavOk(base, token, productId, date, nav, acc = nav) {
  const res = await publishNav(base, token, productId, { date, nav, acc_nav: acc });
  const json = expectOk(res, 201);
  assert.equal(json.nav.confirmed, true, describe(res));
  return json.nav;
}

// ---- investors ----

export const ID_NUMBER = '11010519491231002X';
export const BANK_CARD = '6222021234567890128';

/** Answer sheets of the built-in questionnaire (core/questionnaire.c) per category. */
export const ANSWERS = {
  lowest: [1, 1, 1, 1, 1, 1, 0, 1, 1, 1],  // "不能承受任何损失": lowest category
  C1: [0, 0, 0, 0, 0, 0, 1, 3, 0, 0],      // total 25: C1 but not the lowest
  C2: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],      // 42
  C3: [4, 1, 1, 1, 1, 1, 1, 1, 1, 1],      // 48
  C4: [4, 4, 4, 1, 1, 1, 1, 1, 1, 1],      // 60
  C5: [4, 4, 4, 4, 3, 3, 4, 3, 3, 2],      // 100
};

export async function putProfile(base, token) {
  const res = await api(base, 'PUT', '/api/v1/investor/profile', { token,
    body: { real_name: '张三', id_number: ID_NUMBER, bank_card: BANK_CARD } });
  return expectOk(res, 200).profile;
}

export async function assess(base, token, answers) {
  const res = await api(base, 'POST', '/api/v1/investor/assessments',
    { token, body: { questionnaire_version: 1, answers } });
  return expectOk(res, 201).assessment;
}

export async function topup(base, token, amount) {
  const res = await api(base, 'POST', '/api/v1/investor/cash/topup',
    { token, body: { amount } });
  return expectOk(res, 200).cash;
}

export async function cash(base, token) {
  return expectOk(await api(base, 'GET', '/api/v1/investor/cash', { token })).cash;
}

/** Asserts the investor's cash: {available, held, in_transit} (held/in_transit default 0). */
export async function expectCash(base, token, want, msg = '') {
  const have = await cash(base, token);
  assert.deepEqual(
    { available: have.available, held: have.held, in_transit: have.in_transit },
    { held: '0.00', in_transit: '0.00', ...want }, `cash ${msg}`);
  assert.equal(have.currency, 'CNY');
  return have;
}

/** A registered investor with a profile, an assessment and optionally cash: {token, ...}. */
export async function readyInvestor(base, { answers = ANSWERS.C2, cashAmount } = {}) {
  const r = await register(base);
  const s = await login(base, r.mobile, r.password);
  await putProfile(base, s.token);
  const assessment = answers ? await assess(base, s.token, answers) : null;
  if (cashAmount) await topup(base, s.token, cashAmount);
  return { token: s.token, user: s.user, mobile: r.mobile, password: r.password, assessment };
}

export function placeOrder(base, token, body) {
  return api(base, 'POST', '/api/v1/investor/orders', { token, body });
}

let orderSeq = 0;

/** A client order id no other order of this process uses. */
export function clientId(prefix = 'c') {
  orderSeq += 1;
  return `${prefix}-${process.pid}-${orderSeq}`;
}

export function subscribe(base, token, productId, amount, extra = {}) {
  return placeOrder(base, token, { client_order_id: clientId('s'), product_id: productId,
    side: 'subscribe', amount, ...extra });
}

export function redeem(base, token, productId, shares, extra = {}) {
  return placeOrder(base, token, { client_order_id: clientId('r'), product_id: productId,
    side: 'redeem', shares, ...extra });
}

/** A confirmed risk warning for subscriptions above the investor's category. */
export const CONFIRMED = { confirm_risk_warning: true, risk_warning_version: 'suit-warning-v1' };

export async function getOrder(base, token, id) {
  return expectOk(await api(base, 'GET', `/api/v1/investor/orders/${id}`, { token })).order;
}

export async function holdings(base, token) {
  return expectOk(await api(base, 'GET', '/api/v1/investor/holdings', { token }));
}
