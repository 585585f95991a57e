// Building blocks for the API tests: accounts, sessions, institutions and staff, made through
// the public API (operators through the command line, as in production).

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';

import { api, describe, expectOk } from './http.mjs';

export const INVESTOR_PASSWORD = 'Investor-pass-1';
export const STAFF_PASSWORD = 'Staff-pass-1';

let mobileSeq = 0;
let nameSeq = 0;

/** A mobile number no other test of this process uses: "139" then 8 digits. */
export function uniqueMobile() {
  mobileSeq += 1;
  const n = (process.pid % 1000) * 100000 + mobileSeq;
  return `139${String(n).padStart(8, '0').slice(-8)}`;
}

/** A name suffix unique within this process. */
export function unique(prefix = 'x') {
  nameSeq += 1;
  return `${prefix}${process.pid % 10000}${nameSeq}${randomInt(1000)}`;
}

/** Registers an investor; answers {user, mobile, password}. */
export async function register(base, { mobile = uniqueMobile(), password = INVESTOR_PASSWORD,
  displayName } = {}) {
  const body = { mobile, password };
  if (displayName !== undefined) body.display_name = displayName;
  const res = await api(base, 'POST', '/api/v1/auth/register', { body });
  const json = expectOk(res, 201);
  return { user: json.user, mobile, password };
}

/** Logs in; answers {token, csrf, cookie, user, expires_ms, res}. */
export async function login(base, loginName, password) {
  const res = await api(base, 'POST', '/api/v1/auth/login',
    { body: { login: loginName, password } });
  const json = expectOk(res, 200);
  const cookies = parseSetCookies(res.headers);
  return {
    token: json.token,
    csrf: json.csrf_token,
    cookie: cookies.cfh_session?.value,
    user: json.user,
    expires_ms: json.expires_ms,
    res,
  };
}

/** Registers an investor and logs in. */
export async function investorSession(base) {
  const r = await register(base);
  return login(base, r.mobile, r.password);
}

/** Creates an operator from the command line and logs in. */
export async function operatorSession(srv, role = 'ops_admin', loginName = unique('ops.')) {
  const { password } = await srv.createOperator(loginName, role);
  return login(srv.base, loginName, password);
}

/** Set-Cookie headers as {name: {value, attrs: Set of lower-case attribute text}}. */
export function parseSetCookies(headers) {
  const out = {};
  for (const line of headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = {
      value: pair.slice(eq + 1),
      attrs: new Set(attrs.map((a) => a.toLowerCase())),
    };
  }
  return out;
}

/** Creates an institution as an ops_admin; answers it. */
export async function createInstitution(base, token, { name = unique('测试基金'),
  shortName = unique('短').slice(0, 16), type = 'fund_company' } = {}) {
  const res = await api(base, 'POST', '/api/v1/ops/institutions',
    { token, body: { name, short_name: shortName, type } });
  return expectOk(res, 201).institution;
}

/** Moves an institution to `status`; answers the institution. */
export async function setStatus(base, token, id, status, reason = `to ${status} for a test`) {
  const res = await api(base, 'POST', `/api/v1/ops/institutions/${id}/status`,
    { token, body: { status, reason } });
  return expectOk(res, 200).institution;
}

/** Accepts an invite and logs the new staff member in. */
export async function acceptAndLogin(base, invite, password = STAFF_PASSWORD) {
  const res = await api(base, 'POST', '/api/v1/auth/accept-invite',
    { body: { token: invite.invite_token, password } });
  const json = expectOk(res, 200);
  assert.equal(json.user.status, 'active', describe(res));
  return login(base, invite.user.login, password);
}

/** An operator invites a staff member of institution `instId`; answers {user, invite_token}. */
export async function opsInvite(base, token, instId, role = 'inst_admin',
  loginName = unique('staff.')) {
  const res = await api(base, 'POST', `/api/v1/ops/institutions/${instId}/staff`,
    { token, body: { login: loginName, display_name: `员工 ${loginName}`, role } });
  return expectOk(res, 201);
}

/** An inst_admin invites a colleague; answers {user, invite_token}. */
export async function instInvite(base, token, role = 'inst_operator', loginName = unique('col.')) {
  const res = await api(base, 'POST', '/api/v1/inst/staff',
    { token, body: { login: loginName, display_name: `同事 ${loginName}`, role } });
  return expectOk(res, 201);
}

/** A new institution with an active inst_admin session: {inst, admin}. */
export async function institutionWithAdmin(base, opsToken) {
  const inst = await createInstitution(base, opsToken);
  const invite = await opsInvite(base, opsToken, inst.id, 'inst_admin');
  const admin = await acceptAndLogin(base, invite);
  return { inst, admin };
}

/** All audit entries after `afterSeq`, following pages. */
export async function auditAfter(base, token, afterSeq = 0) {
  const items = [];
  let cursor = afterSeq;
  for (let page = 0; page < 1000; page++) {
    const res = await api(base, 'GET', `/api/v1/ops/audit?after_seq=${cursor}&limit=200`,
      { token });
    const json = expectOk(res, 200);
    items.push(...json.items);
    if (json.next_after_seq === null || json.next_after_seq === undefined ||
        json.items.length === 0) {
      return items;
    }
    cursor = json.next_after_seq;
  }
  throw new Error('audit log pagination did not end');
}
