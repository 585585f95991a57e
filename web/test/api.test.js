import { beforeEach, describe, expect, test } from 'vitest';
import { ApiError, readCookie, request, setCsrfToken } from '../src/lib/api.js';

function fakeFetch(status, body, type = 'application/json') {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init });
    return new Response(status === 204 ? null : (typeof body === 'string' ? body : JSON.stringify(body)),
      { status, headers: { 'Content-Type': type } });
  };
  fn.calls = calls;
  return fn;
}

beforeEach(() => setCsrfToken(null));

describe('request', () => {
  test('JSON in and out, query parameters without empty values', async () => {
    const f = fakeFetch(200, { items: [1] });
    const r = await request('GET', '/api/v1/investor/orders', { query: { limit: 20, status: undefined, side: '' }, fetchImpl: f });
    expect(r).toEqual({ items: [1] });
    expect(f.calls[0].url).toBe('/api/v1/investor/orders?limit=20');
    expect(f.calls[0].init.credentials).toBe('same-origin');
    expect(f.calls[0].init.headers['X-CSRF-Token']).toBeUndefined();
  });
  test('unsafe methods carry the CSRF token and a JSON body', async () => {
    setCsrfToken('tok123');
    const f = fakeFetch(201, { order: { id: '7' } });
    await request('POST', '/api/v1/investor/orders', { body: { amount: '5000' }, fetchImpl: f });
    const init = f.calls[0].init;
    expect(init.method).toBe('POST');
    expect(init.headers['X-CSRF-Token']).toBe('tok123');
    expect(init.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(init.body)).toEqual({ amount: '5000' });
  });
  test('raw bodies keep their content type (CSV upload)', async () => {
    setCsrfToken('t');
    const f = fakeFetch(201, { published: 2 });
    await request('POST', '/x.csv', { raw: 'date,nav\n', contentType: 'text/csv', fetchImpl: f });
    expect(f.calls[0].init.headers['Content-Type']).toBe('text/csv');
    expect(f.calls[0].init.body).toBe('date,nav\n');
  });
  test('204 answers null', async () => {
    expect(await request('POST', '/api/v1/auth/logout', { fetchImpl: fakeFetch(204) })).toBe(null);
  });
  test('a problem+json answer becomes an ApiError with its detail as the message', async () => {
    const problem = { type: '/problems/risk_warning_required', title: 'Risk warning required', status: 409,
      detail: '该产品风险等级高于您的风险承受能力', code: 'risk_warning_required', warning_text: '警示', warning_version: 'v1' };
    const f = fakeFetch(409, problem, 'application/problem+json');
    const err = await request('POST', '/api/v1/investor/orders', { body: {}, fetchImpl: f }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('该产品风险等级高于您的风险承受能力');
    expect(err.status).toBe(409);
    expect(err.code).toBe('risk_warning_required');
    expect(err.problem.warning_version).toBe('v1');
  });
  test('422 carries the field at fault', async () => {
    const f = fakeFetch(422, { status: 422, detail: "field 'mobile' must be an 11-digit mainland mobile number", code: 'invalid_field', field: 'mobile' }, 'application/problem+json');
    const err = await request('POST', '/api/v1/auth/register', { body: {}, fetchImpl: f }).catch((e) => e);
    expect(err.field).toBe('mobile');
    expect(err.message).toMatch(/11-digit/);
  });
  test('an error without a JSON body still reads as something', async () => {
    const err = await request('GET', '/x', { fetchImpl: fakeFetch(502, '<html>bad gateway</html>', 'text/html') }).catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.message).toBe('HTTP 502');
  });
  test('a network failure is an ApiError with code network', async () => {
    const err = await request('GET', '/x', { fetchImpl: async () => { throw new TypeError('Failed to fetch'); } }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('network');
    expect(err.status).toBe(0);
  });
});

describe('readCookie', () => {
  test('finds the CSRF cookie among others', () => {
    expect(readCookie('cfh_csrf', 'a=1; cfh_csrf=abc%3D; b=2')).toBe('abc=');
    expect(readCookie('cfh_csrf', 'a=1')).toBe(null);
    expect(readCookie('cfh_csrf', '')).toBe(null);
  });
});
