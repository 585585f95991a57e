// Institution zones: image uploads, brand versions through the compliance check and operator
// review, the one-response public zone page, and follows.
//
// Two live institutions, A and B, each with an admin, an operator and a compliance officer;
// operators of every role; investors. The brand story of A runs in order: the default brand,
// a version approved, a version rejected, a version superseded, evasions of review terms held
// with their spans, a blocking term refused at once, bad input, B kept out of A's versions,
// text that looks like script stored as data. Every response must fit the OpenAPI document.

import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';

import { loadOpenApi } from './lib/contract.mjs';
import {
  STAFF_PASSWORD, auditAfter, createInstitution, investorSession, login, operatorSession,
  setStatus,
} from './lib/fixtures.mjs';
import {
  api as rawApi, expectOk, expectProblem, rawRequest, socketRequest,
} from './lib/http.mjs';
import { SVG, decodePng, gif, jpeg, png, pngOfSize, webp } from './lib/images.mjs';
import { expectConforms } from './lib/schema.mjs';
import { fileServer, runCliOk } from './lib/server.mjs';
import { api, checkContract, createProduct, institutionWithStaff } from './lib/trading.mjs';

const srv = await fileServer();
const base = srv.base;
const doc = await loadOpenApi(base);
checkContract(doc);

const A = await institutionWithStaff(srv);
const B = await institutionWithStaff(srv);
const reviewer = await operatorSession(srv, 'ops_reviewer');
const risk = await operatorSession(srv, 'ops_risk');
const investor = await investorSession(base);

const MiB = 1024 * 1024;
const UPLOADS = '/api/v1/inst/uploads';
const ZONE = '/api/v1/inst/zone';
const REVIEW = '/api/v1/ops/review';
const publicPath = (inst) => `/api/v1/public/zones/${inst.id}`;
const decisionPath = (versionId) => `/api/v1/ops/zones/${versionId}/decision`;

// What the story leaves for later tests.
const s = { submitted: [], decided: [] };

function upload(token, body, contentType) {
  return api(base, 'POST', UPLOADS, { token, body, contentType });
}

async function uploadOk(token, body, contentType) {
  return expectOk(await upload(token, body, contentType), 201).upload;
}

/** GET /uploads/<id> with the body as bytes; the response is held against the contract too. */
async function fetchUpload(path) {
  const res = await fetch(base + path);
  const bytes = Buffer.from(await res.arrayBuffer());
  expectConforms(doc, { status: res.status, headers: res.headers, text: '', method: 'GET', path });
  return { status: res.status, headers: res.headers, bytes };
}

function brand(overrides = {}) {
  return {
    display_name: 'A 财富号',
    logo_upload_id: s.logoA.id,
    theme_color: '#1677FF',
    slogan: '长期投资，与您同行',
    introduction: '一家专注于长期投资的基金公司。',
    modules: ['featured_products', 'articles', 'qa'],
    ...overrides,
  };
}

function submit(token, body) {
  return api(base, 'PUT', ZONE, { token, body });
}

/** Submits a brand version; answers it and remembers it for the audit check. */
async function submitOk(token, body, inst = A) {
  const res = await submit(token, body);
  assert.match(res.headers.get('content-type'), /^application\/json\b/);
  const v = expectOk(res, 201).version;
  s.submitted.push({ id: v.version_id, inst: inst.inst.id, status: v.status,
    verdict: v.check.verdict });
  return v;
}

async function ownZone(token = A.admin.token) {
  return expectOk(await api(base, 'GET', ZONE, { token }));
}

async function publicZone(inst = A.inst) {
  const res = await api(base, 'GET', publicPath(inst));
  assert.match(res.headers.get('content-type'), /^application\/json\b/);
  return expectOk(res);
}

function decide(token, versionId, decision, reason) {
  return api(base, 'POST', decisionPath(versionId), { token, body: { decision, reason } });
}

async function decideOk(token, versionId, decision, reason) {
  const json = expectOk(await decide(token, versionId, decision, reason));
  assert.deepEqual(json, { version_id: versionId,
    status: decision === 'approve' ? 'approved' : 'rejected' });
  s.decided.push({ id: versionId, approve: decision === 'approve', reason });
  return json;
}

async function reviewQueue(token = reviewer.token) {
  return expectOk(await api(base, 'GET', REVIEW, { token })).items;
}

/** The members of a submitted brand as a version or the public brand shows them. */
function shown(b) {
  return {
    display_name: b.display_name,
    logo_url: b.logo_upload_id ? `/uploads/${b.logo_upload_id}` : null,
    theme_color: b.theme_color,
    slogan: b.slogan,
    introduction: b.introduction,
    modules: b.modules,
  };
}

function pick(v, keys) {
  return Object.fromEntries(keys.map((k) => [k, v[k]]));
}

const BRAND_KEYS = ['display_name', 'logo_url', 'theme_color', 'slogan', 'introduction',
  'modules'];

/** Asserts that the public page shows `b` as version `versionId`. */
async function expectPublicBrand(b, versionId) {
  const page = await publicZone();
  assert.equal(page.brand.version_id, versionId);
  assert.deepEqual(pick(page.brand, BRAND_KEYS), shown(b));
  assert.equal(page.brand.check, undefined, 'the public page carries no review trail');
  return page;
}

/** Each match's start..end, taken from the field's UTF-8 bytes, is its text. */
function expectSpansConsistent(version) {
  for (const m of version.check.matches) {
    const bytes = Buffer.from(version[m.field], 'utf8');
    assert.equal(bytes.subarray(m.start, m.end).toString('utf8'), m.text, JSON.stringify(m));
  }
}

// ---- uploads ----

suite('uploads', () => {
  test('a PNG, a JPEG and a WebP are stored and served byte for byte', async () => {
    const cases = [
      { bytes: png(48, 32), type: 'image/png', token: A.admin.token, w: 48, h: 32 },
      { bytes: jpeg(40, 24), type: 'image/jpeg', token: A.operator.token, w: 40, h: 24 },
      { bytes: webp(64, 16), type: 'image/webp', token: A.admin.token, w: 64, h: 16 },
    ];
    for (const c of cases) {
      const up = await uploadOk(c.token, c.bytes, c.type);
      assert.match(up.id, /^[0-9a-f]{64}$/);
      assert.deepEqual(up, { id: up.id, url: `/uploads/${up.id}`, content_type: c.type,
        width: c.w, height: c.h, bytes: c.bytes.length });
      const got = await fetchUpload(up.url);
      assert.equal(got.status, 200);
      assert.ok(got.bytes.equals(c.bytes), `${c.type}: the served bytes differ`);
      assert.equal(got.headers.get('content-type'), c.type);
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(got.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(got.headers.get('content-disposition'), 'inline');
      assert.equal(Number(got.headers.get('content-length')), c.bytes.length);
      assert.ok(got.headers.get('x-request-id'));
      if (c.type === 'image/png') {
        assert.deepEqual(decodePng(got.bytes), { width: c.w, height: c.h });
        s.logoA = up;
      }
    }
  });

  test('the same file again is the same upload; another institution has its own', async () => {
    const bytes = png(48, 32);
    assert.equal((await uploadOk(A.operator.token, bytes, 'image/png')).id, s.logoA.id);
    const b = await uploadOk(B.admin.token, bytes, 'image/png');
    assert.notEqual(b.id, s.logoA.id);
    s.logoB = b;
    const got = await fetchUpload(b.url);
    assert.ok(got.bytes.equals(bytes));
  });

  test('the bytes must be an image of the declared type', async () => {
    const refused = [
      ['JPEG bytes declared PNG', jpeg(32, 32), 'image/png', 422],
      ['PNG bytes declared JPEG', png(32, 32), 'image/jpeg', 422],
      ['WebP bytes declared PNG', webp(32, 32), 'image/png', 422],
      ['a GIF as image/gif', gif(), 'image/gif', 415],
      ['a GIF declared PNG', gif(), 'image/png', 422],
      ['an SVG as image/svg+xml', SVG, 'image/svg+xml', 415],
      ['an SVG declared PNG', SVG, 'image/png', 422],
      ['text as text/plain', 'hello, world', 'text/plain', 415],
      ['text declared JPEG', 'hello, world', 'image/jpeg', 422],
      ['JSON as application/json', '{}', 'application/json', 415],
      ['HTML declared WebP', '<!doctype html><script>alert(1)</script>', 'image/webp', 422],
      ['a PNG with no Content-Type', png(32, 32), null, 415],
      ['an empty PNG', Buffer.alloc(0), 'image/png', 422],
    ];
    for (const [label, bytes, type, status] of refused) {
      const res = await upload(A.admin.token, bytes, type);
      expectProblem(res, status, status === 415 ? 'unsupported_media_type' : 'invalid_image');
      assert.ok(res.json.detail, label);
    }
  });

  test('images from 16 to 4096 pixels on a side are accepted, others refused', async () => {
    for (const [w, h] of [[16, 16], [4096, 16], [16, 4096]]) {
      const up = await uploadOk(A.admin.token, png(w, h), 'image/png');
      assert.deepEqual([up.width, up.height], [w, h]);
    }
    const refused = [
      [png(8, 8), 'image/png'], [png(15, 16), 'image/png'], [png(16, 15), 'image/png'],
      [png(4097, 16), 'image/png'], [jpeg(8, 8), 'image/jpeg'], [webp(8, 8), 'image/webp'],
      [jpeg(5000, 16), 'image/jpeg'], [png(0, 16), 'image/png'],
    ];
    for (const [bytes, type] of refused) {
      expectProblem(await upload(A.admin.token, bytes, type), 422, 'invalid_image');
    }
  });

  test('a truncated or malformed header is refused', async () => {
    const whole = png(32, 32);
    for (const n of [8, 16, 20, 23]) {
      expectProblem(await upload(A.admin.token, whole.subarray(0, n), 'image/png'), 422,
        'invalid_image');
    }
    const notIhdr = Buffer.from(whole);
    notIhdr.write('IDAT', 12, 'latin1');
    expectProblem(await upload(A.admin.token, notIhdr, 'image/png'), 422, 'invalid_image');
    const j = jpeg(32, 32);
    const sof = j.indexOf(Buffer.from([0xff, 0xc0]));
    expectProblem(await upload(A.admin.token, j.subarray(0, sof + 6), 'image/jpeg'), 422,
      'invalid_image');
    expectProblem(await upload(A.admin.token, webp(32, 32).subarray(0, 29), 'image/webp'), 422,
      'invalid_image');
  });

  test('an image of 200 KB is accepted', async () => {
    const bytes = pngOfSize(200 * 1000);
    const up = await uploadOk(A.admin.token, bytes, 'image/png');
    assert.equal(up.bytes, bytes.length);
    assert.ok((await fetchUpload(up.url)).bytes.equals(bytes));
  });

  test('an image of exactly 1 MiB is accepted', async () => {
    const bytes = pngOfSize(MiB);
    const up = await uploadOk(A.admin.token, bytes, 'image/png');
    assert.equal(up.bytes, MiB);
    assert.ok((await fetchUpload(up.url)).bytes.equals(bytes));
  });

  test('a byte over 1 MiB is 413 body_too_large', async () => {
    const big = pngOfSize(MiB + 1);
    // Content-Length over the limit: refused before the body is read.
    const head = `POST ${UPLOADS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ` +
      `${A.admin.token}\r\nContent-Type: image/png\r\nContent-Length: ${big.length}\r\n\r\n`;
    const early = await socketRequest(base,
      Buffer.concat([Buffer.from(head), big.subarray(0, 4096)]));
    assert.equal(early.status, 413, early.text);
    assert.equal(JSON.parse(early.text).code, 'body_too_large');
    assert.match(early.headers['content-type'], /^application\/problem\+json/);

    // Chunked, with no Content-Length: refused once the body passes the limit.
    const chunked = await rawRequest(base, 'POST', UPLOADS, { body: big, headers: {
      Authorization: `Bearer ${A.admin.token}`, 'Content-Type': 'image/png',
      'Transfer-Encoding': 'chunked' } });
    assert.equal(chunked.status, 413, chunked.text);
    assert.equal(JSON.parse(chunked.text).code, 'body_too_large');
  });

  test('only the institution\'s admins and operators upload', async () => {
    const bytes = png(20, 20);
    for (const token of [investor.token, A.compliance.token, A.ops.token, reviewer.token]) {
      expectProblem(await upload(token, bytes, 'image/png'), 403, 'forbidden');
    }
    expectProblem(await upload(undefined, bytes, 'image/png'), 401, 'unauthenticated');
    // A cookie session needs the CSRF header on an upload like on any other POST.
    const cookie = await login(base, A.admin.login, STAFF_PASSWORD);
    const res = await api(base, 'POST', UPLOADS, { session: cookie, csrf: false, body: bytes,
      contentType: 'image/png' });
    expectProblem(res, 403, 'csrf_failed');
    expectOk(await api(base, 'POST', UPLOADS, { session: cookie, body: bytes,
      contentType: 'image/png' }), 201);
  });

  test('an unknown or malformed upload id is 404', async () => {
    const id = s.logoA.id;
    for (const bad of ['0'.repeat(64), id.toUpperCase(), id.slice(0, 63), `${id}0`, 'zz',
      'g'.repeat(64), '1234567890123']) {
      const res = await api(base, 'GET', `/uploads/${bad}`);
      expectProblem(res, 404, 'not_found');
    }
  });
});

// ---- the zone's brand ----

suite('zone lifecycle', () => {
  test('before any approval the public page shows the institution\'s name', async () => {
    s.product = await createProduct(base, A.admin.token);
    const page = await publicZone();
    assert.deepEqual(page.brand, {
      version_id: null, display_name: A.inst.name, logo_url: null, theme_color: '#1677FF',
      slogan: '', introduction: '', modules: ['featured_products', 'articles', 'announcements'],
    });
    assert.equal(page.institution_id, A.inst.id);
    assert.equal(page.followers, 0);
    assert.deepEqual(page.modules.featured_products.map((p) => p.id), [s.product.id]);
    assert.deepEqual(await ownZone(), { live: null, pending: null, last_rejected: null });
  });

  test('a clean brand is pending with a pass verdict; the page keeps the default', async () => {
    s.brand1 = brand();
    const v = await submitOk(A.operator.token, s.brand1);
    assert.deepEqual(pick(v, BRAND_KEYS), shown(s.brand1));
    assert.equal(v.status, 'pending');
    assert.deepEqual(v.check, { lexicon_version: 0, verdict: 'pass', match_count: 0,
      matches: [] });
    assert.equal(v.decided_ms, null);
    assert.equal(v.reason, '');
    s.v1 = v;

    const own = await ownZone(A.compliance.token);
    assert.deepEqual(own, { live: null, pending: v, last_rejected: null });
    assert.equal((await publicZone()).brand.display_name, A.inst.name);

    const queued = (await reviewQueue()).filter((i) => i.item.version_id === v.version_id);
    assert.equal(queued.length, 1);
    assert.equal(queued[0].kind, 'zone');
    assert.deepEqual(queued[0].item, { ...v, institution_id: A.inst.id,
      institution_name: A.inst.name });
    // Every operator role reads the queue.
    await reviewQueue(risk.token);
    await reviewQueue(A.ops.token);
  });

  test('a reviewer approves; the public page shows the brand', async () => {
    await decideOk(reviewer.token, s.v1.version_id, 'approve', '品牌信息合规');
    await expectPublicBrand(s.brand1, s.v1.version_id);
    const own = await ownZone();
    assert.equal(own.live.version_id, s.v1.version_id);
    assert.equal(own.live.status, 'approved');
    assert.equal(own.live.reason, '品牌信息合规');
    assert.equal(typeof own.live.decided_ms, 'number');
    assert.equal(own.pending, null);
    assert.ok(!(await reviewQueue()).some((i) => i.item.version_id === s.v1.version_id));
    // Decided once: a second decision finds nothing pending.
    expectProblem(await decide(reviewer.token, s.v1.version_id, 'reject', '再议'), 404,
      'not_found');
    // The logo on the page is served.
    const logo = await fetchUpload((await publicZone()).brand.logo_url);
    assert.ok(logo.bytes.equals(png(48, 32)));
  });

  test('a new version waits while the live one stays; a rejection shows its reason',
    async () => {
      s.brand2 = brand({ slogan: '新的口号', theme_color: '#AA3300', modules: ['qa'] });
      const v2 = await submitOk(A.admin.token, s.brand2);
      assert.equal(v2.status, 'pending');
      await expectPublicBrand(s.brand1, s.v1.version_id);
      let own = await ownZone();
      assert.equal(own.live.version_id, s.v1.version_id);
      assert.equal(own.pending.version_id, v2.version_id);

      const reason = '口号与品牌介绍不一致，请修改后重新提交';
      await decideOk(A.ops.token, v2.version_id, 'reject', reason);
      await expectPublicBrand(s.brand1, s.v1.version_id);
      own = await ownZone();
      assert.equal(own.live.version_id, s.v1.version_id);
      assert.equal(own.pending, null);
      assert.equal(own.last_rejected.version_id, v2.version_id);
      assert.equal(own.last_rejected.status, 'rejected');
      assert.equal(own.last_rejected.reason, reason);
      assert.deepEqual(pick(own.last_rejected, BRAND_KEYS), shown(s.brand2));
    });

  test('a newer submission supersedes the one waiting; only the newest is decided',
    async () => {
      const v3 = await submitOk(A.admin.token, brand({ slogan: '第三版口号' }));
      s.brand4 = brand({ slogan: '第四版口号', logo_upload_id: undefined, // no logo
        modules: ['qa', 'fund_managers', 'announcements', 'articles', 'featured_products'] });
      const v4 = await submitOk(A.operator.token, s.brand4);
      assert.equal(v4.logo_url, null);
      assert.equal((await ownZone()).pending.version_id, v4.version_id);
      const queued = (await reviewQueue()).map((i) => i.item.version_id);
      assert.ok(!queued.includes(v3.version_id) && queued.includes(v4.version_id));
      expectProblem(await decide(reviewer.token, v3.version_id, 'approve', '旧版本'), 404,
        'not_found');
      await decideOk(reviewer.token, v4.version_id, 'approve', '同意');
      await expectPublicBrand(s.brand4, v4.version_id);
      s.v4 = v4;
    });

  test('review terms written with spaces, zero-width and full-width characters are held, ' +
    'their spans pointing at what was written', async () => {
    const b = brand({
      display_name: '零\u3000风险财富号',
      slogan: '稳健投资，保 本为先',
      introduction: '长期持有，保\u200b本之外，目标１００％收益。',
    });
    const v = await submitOk(A.admin.token, b);
    assert.equal(v.status, 'pending');
    const m = (field, start, end, text, term) => ({ field, start, end, text, term,
      severity: 'review', category: 'marketing_claim' });
    assert.deepEqual(v.check, {
      lexicon_version: 0,
      verdict: 'review',
      match_count: 4,
      matches: [
        m('display_name', 0, 12, '零\u3000风险', '零风险'),
        m('slogan', 15, 22, '保 本', '保本'),
        m('introduction', 15, 24, '保\u200b本', '保本'),
        m('introduction', 39, 57, '１００％收益', '100%收益'),
      ],
    });
    expectSpansConsistent(v);
    // The reviewer sees the same spans; the public page still shows the live version.
    const queued = (await reviewQueue()).find((i) => i.item.version_id === v.version_id);
    assert.deepEqual(queued.item.check, v.check);
    await expectPublicBrand(s.brand4, s.v4.version_id);
    await decideOk(reviewer.token, v.version_id, 'reject', '含有保本、零风险等承诺性表述');
    assert.equal((await ownZone()).last_rejected.version_id, v.version_id);
  });

  test('every match is counted; each field lists its first 64', async () => {
    const v = await submitOk(A.admin.token, brand({ slogan: '保本', introduction:
      '保本，'.repeat(300) }));
    assert.equal(v.status, 'pending');
    assert.equal(v.check.verdict, 'review');
    assert.equal(v.check.match_count, 301);
    const intro = v.check.matches.filter((m) => m.field === 'introduction');
    assert.equal(intro.length, 64);
    assert.deepEqual(intro.map((m) => m.start), Array.from({ length: 64 }, (_, i) => 9 * i));
    assert.ok(intro.every((m) => m.end === m.start + 6 && m.text === '保本'));
    assert.deepEqual(v.check.matches[0], { field: 'slogan', start: 0, end: 6, text: '保本',
      term: '保本', severity: 'review', category: 'marketing_claim' });
    await decideOk(reviewer.token, v.version_id, 'reject', '承诺保本');
  });

  test('a blocking term is refused at once, with its spans', async () => {
    const b = brand({
      slogan: '稳赚不赔，加ＶＸ领取',
      introduction: '想了解更多请加w\u0445', // a Cyrillic х in "wx"
    });
    const v = await submitOk(A.admin.token, b);
    assert.equal(v.status, 'rejected');
    assert.equal(typeof v.decided_ms, 'number');
    assert.match(v.reason, /blocked by the compliance check/);
    const m = (field, start, end, text, term, category) => ({ field, start, end, text, term,
      severity: 'block', category });
    assert.deepEqual(v.check, {
      lexicon_version: 0,
      verdict: 'block',
      match_count: 4,
      matches: [
        m('slogan', 0, 6, '稳赚', '稳赚', 'marketing_claim'),
        m('slogan', 0, 12, '稳赚不赔', '稳赚不赔', 'marketing_claim'),
        m('slogan', 15, 24, '加ＶＸ', '加vx', 'sensitive'),
        m('introduction', 18, 24, '加w\u0445', '加wx', 'sensitive'),
      ],
    });
    expectSpansConsistent(v);
    const own = await ownZone();
    assert.equal(own.live.version_id, s.v4.version_id);
    assert.equal(own.pending, null);
    assert.deepEqual(own.last_rejected, v);
    assert.ok(!(await reviewQueue()).some((i) => i.item.version_id === v.version_id));
    expectProblem(await decide(reviewer.token, v.version_id, 'approve', '放行'), 404,
      'not_found');
    await expectPublicBrand(s.brand4, s.v4.version_id);
  });

  test('a blocked submission does not replace the version waiting for review', async () => {
    const waiting = await submitOk(A.admin.token, brand({ slogan: '长期陪伴，专业理财' }));
    assert.equal(waiting.status, 'pending');
    const blocked = await submitOk(A.admin.token, brand({ slogan: '稳赚不赔' }));
    assert.equal(blocked.status, 'rejected');
    const own = await ownZone();
    assert.equal(own.pending.version_id, waiting.version_id);
    assert.equal(own.last_rejected.version_id, blocked.version_id);
    await decideOk(reviewer.token, waiting.version_id, 'reject', '请重新提交');
    assert.equal((await ownZone()).pending, null);
  });

  test('brand texts must show something and carry no bidirectional controls', async () => {
    for (const [field, text] of [['display_name', '\u200b\u200b'], ['slogan', ' '],
      ['introduction', '\u202e'], ['slogan', '正常\u202e文字'], ['display_name', '\u3000\u3000']]) {
      expectProblem(await submit(A.admin.token, brand({ [field]: text })), 422,
        'invalid_field', field);
    }
  });

  test('bad input is 422 and stores nothing', async () => {
    const before = await ownZone();
    const cases = [
      [{ theme_color: 'blue' }, 'invalid_field', 'theme_color'],
      [{ theme_color: '#12345G' }, 'invalid_field', 'theme_color'],
      [{ theme_color: '1677FF#' }, 'invalid_field', 'theme_color'],
      [{ theme_color: '#1677F' }, 'invalid_field', 'theme_color'],
      [{ theme_color: '#1677FFF' }, 'invalid_field', 'theme_color'],
      [{ theme_color: 1677 }, 'invalid_field', 'theme_color'],
      [{ modules: [] }, 'invalid_field', 'modules'],
      [{ modules: ['qa', 'qa'] }, 'invalid_field', 'modules'],
      [{ modules: ['qa', 'news'] }, 'invalid_field', 'modules'],
      [{ modules: ['QA'] }, 'invalid_field', 'modules'],
      [{ modules: [1] }, 'invalid_field', 'modules'],
      [{ modules: 'qa' }, 'invalid_field', 'modules'],
      [{ modules: ['featured_products', 'articles', 'announcements', 'fund_managers', 'qa',
        'qa'] }, 'invalid_field', 'modules'],
      [{ display_name: '名' }, 'invalid_field', 'display_name'],
      [{ display_name: '名'.repeat(33) }, 'invalid_field', 'display_name'],
      [{ slogan: '' }, 'invalid_field', 'slogan'],
      [{ slogan: '口'.repeat(41) }, 'invalid_field', 'slogan'],
      [{ introduction: '' }, 'invalid_field', 'introduction'],
      [{ introduction: '介'.repeat(1001) }, 'invalid_field', 'introduction'],
      [{ logo_upload_id: s.logoA.id.slice(1) }, 'invalid_field', 'logo_upload_id'],
      [{ logo_upload_id: null }, 'invalid_field', 'logo_upload_id'],
      [{ modules: undefined }, 'missing_field', 'modules'],
      [{ display_name: undefined }, 'missing_field', 'display_name'],
      [{ institution_id: B.inst.id }, 'unknown_field', 'institution_id'],
      [{ status: 'approved' }, 'unknown_field', 'status'],
    ];
    for (const [overrides, code, field] of cases) { // undefined members are not sent
      expectProblem(await submit(A.admin.token, brand(overrides)), 422, code, field);
    }
    // The longest texts are accepted (checked, then withdrawn by a rejection below).
    const longest = await submitOk(A.admin.token, brand({ display_name: '名'.repeat(32),
      slogan: '口'.repeat(40), introduction: '介'.repeat(1000) }));
    assert.equal(longest.status, 'pending');
    await decideOk(reviewer.token, longest.version_id, 'reject', '测试最长文本');
    const after = await ownZone();
    assert.deepEqual(after.live, before.live);
    assert.equal(after.pending, null);

    // A logo must be an upload of the caller's own institution.
    for (const logo of [s.logoB.id, 'f'.repeat(64), 'x'.repeat(64)]) {
      const res = await submit(A.admin.token, brand({ logo_upload_id: logo }));
      const p = expectProblem(res, 422, 'invalid_field');
      assert.match(p.detail, /logo/);
    }
    assert.deepEqual((await ownZone()).pending, null);
    assert.deepEqual((await ownZone()).live, before.live);
  });

  test('one institution can neither see nor decide another\'s versions', async () => {
    const pendingA = await submitOk(A.admin.token, brand({ slogan: 'A 的待审版本' }));
    // B sees only its own zone, whatever it asks for.
    const empty = { live: null, pending: null, last_rejected: null };
    assert.deepEqual(await ownZone(B.admin.token), empty);
    const asked = expectOk(await api(base, 'GET', `${ZONE}?institution_id=${A.inst.id}`,
      { token: B.compliance.token }));
    assert.deepEqual(asked, empty);
    const vB = await submitOk(B.operator.token, brand({ display_name: 'B 财富号',
      logo_upload_id: s.logoB.id }), B);
    assert.equal((await ownZone(B.admin.token)).pending.version_id, vB.version_id);
    assert.equal((await ownZone(A.admin.token)).pending.version_id, pendingA.version_id);
    // The queue holds both, oldest first.
    const queued = (await reviewQueue()).map((i) => i.item.version_id);
    assert.ok(queued.indexOf(pendingA.version_id) >= 0, JSON.stringify(queued));
    assert.ok(queued.indexOf(pendingA.version_id) < queued.indexOf(vB.version_id));

    // Nobody but a reviewer or an operations admin decides.
    for (const token of [B.admin.token, A.admin.token, A.compliance.token, investor.token,
      risk.token]) {
      expectProblem(await decide(token, pendingA.version_id, 'approve', '越权'), 403,
        'forbidden');
    }
    expectProblem(await api(base, 'PUT', ZONE, { token: A.compliance.token, body: brand() }),
      403, 'forbidden');
    for (const token of [investor.token, A.ops.token]) {
      expectProblem(await api(base, 'GET', ZONE, { token }), 403, 'forbidden');
    }
    for (const token of [investor.token, A.admin.token]) {
      expectProblem(await api(base, 'GET', REVIEW, { token }), 403, 'forbidden');
    }
    const own = await ownZone();
    assert.equal(own.pending.version_id, pendingA.version_id);
    assert.equal(own.live.version_id, s.v4.version_id);

    // Bad decisions.
    expectProblem(await decide(reviewer.token, pendingA.version_id, 'maybe', '不确定'), 422,
      'invalid_field', 'decision');
    expectProblem(await api(base, 'POST', decisionPath(pendingA.version_id),
      { token: reviewer.token, body: { decision: 'approve' } }), 422, 'missing_field', 'reason');
    expectProblem(await decide(reviewer.token, pendingA.version_id, 'approve', '理'.repeat(501)),
      422, 'invalid_field', 'reason');
    expectProblem(await decide(reviewer.token, 'abc', 'approve', '好'), 400, 'bad_request');
    expectProblem(await decide(reviewer.token, '1234567890123', 'approve', '好'), 404,
      'not_found');
    await decideOk(reviewer.token, pendingA.version_id, 'reject', '测试越权后清理');
    await decideOk(reviewer.token, vB.version_id, 'approve', 'B 的品牌合规');
    assert.equal((await publicZone(B.inst)).brand.display_name, 'B 财富号');
    await expectPublicBrand(s.brand4, s.v4.version_id);
  });

  test('script in brand texts is stored and answered as JSON string data', async () => {
    const script = '<script>alert(1)</script>';
    const b = brand({ display_name: script, slogan: script, introduction: `${script}<img src=x ` +
      'onerror="alert(2)">&lt;b&gt;' });
    const res = await submit(A.admin.token, b);
    assert.equal(res.status, 201, res.text);
    assert.match(res.headers.get('content-type'), /^application\/json\b/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(res.text.startsWith('{'), res.text);
    const v = res.json.version;
    s.submitted.push({ id: v.version_id, inst: A.inst.id, status: v.status,
      verdict: v.check.verdict });
    assert.deepEqual(pick(v, BRAND_KEYS), shown(b));
    assert.equal(v.check.verdict, 'pass');
    const own = await api(base, 'GET', ZONE, { token: A.admin.token });
    assert.match(own.headers.get('content-type'), /^application\/json\b/);
    assert.deepEqual(pick(own.json.pending, BRAND_KEYS), shown(b));

    await decideOk(reviewer.token, v.version_id, 'approve', '显示为纯文本');
    const page = await api(base, 'GET', publicPath(A.inst));
    assert.match(page.headers.get('content-type'), /^application\/json\b/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(pick(page.json.brand, BRAND_KEYS), shown(b));
    assert.equal(page.json.brand.introduction, b.introduction);
    s.live = { brand: b, id: v.version_id };
  });

  test('the audit log has every submission and decision, and verifies', async () => {
    const entries = await auditAfter(base, A.ops.token);
    const submits = entries.filter((e) => e.action === 'zone.submit');
    const decides = entries.filter((e) => e.action === 'zone.decide');
    assert.deepEqual(submits.map((e) => e.subject), s.submitted.map((x) => `zone:${x.id}`));
    submits.forEach((e, i) => {
      const x = s.submitted[i];
      assert.equal(e.institution_id, x.inst);
      assert.ok(['inst_admin', 'inst_operator'].includes(e.actor_role), e.actor_role);
      assert.deepEqual(e.detail, { status: x.status, verdict: x.verdict });
    });
    assert.deepEqual(decides.map((e) => e.subject), s.decided.map((x) => `zone:${x.id}`));
    decides.forEach((e, i) => {
      assert.ok(['ops_admin', 'ops_reviewer'].includes(e.actor_role), e.actor_role);
      assert.deepEqual(e.detail, { approve: s.decided[i].approve, reason: s.decided[i].reason });
    });
    const verify = expectOk(await api(base, 'GET', '/api/v1/ops/audit/verify',
      { token: risk.token }));
    assert.equal(verify.ok, true);
    assert.equal(verify.checked, entries.length);
  });
});

// ---- follows ----

suite('follows', () => {
  function follow(token, instId, method = 'POST') {
    return api(base, method, `/api/v1/investor/follows/${instId}`, { token });
  }

  async function follows(token) {
    return expectOk(await api(base, 'GET', '/api/v1/investor/follows', { token })).items;
  }

  test('follow, list and unfollow, each idempotent; the page counts followers', async () => {
    const other = await investorSession(base);
    assert.deepEqual(await follows(investor.token), []);
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(expectOk(await follow(investor.token, A.inst.id)),
        { institution_id: A.inst.id, following: true });
    }
    let list = await follows(investor.token);
    assert.equal(list.length, 1);
    assert.equal(list[0].institution_id, A.inst.id);
    assert.equal(list[0].name, A.inst.name);
    assert.equal((await publicZone()).followers, 1);

    expectOk(await follow(other.token, A.inst.id));
    expectOk(await follow(investor.token, B.inst.id));
    assert.equal((await publicZone()).followers, 2);
    assert.equal((await publicZone(B.inst)).followers, 1);
    list = await follows(investor.token);
    assert.deepEqual(list.map((f) => f.institution_id).sort(), [A.inst.id, B.inst.id].sort());
    assert.ok(list[0].since_ms >= list[1].since_ms, 'newest first');

    for (let i = 0; i < 2; i++) {
      assert.deepEqual(expectOk(await follow(investor.token, A.inst.id, 'DELETE')),
        { institution_id: A.inst.id, following: false });
    }
    assert.deepEqual((await follows(investor.token)).map((f) => f.institution_id), [B.inst.id]);
    assert.equal((await publicZone()).followers, 1);
    assert.deepEqual((await follows(other.token)).map((f) => f.institution_id), [A.inst.id]);
    // The brand is unaffected by follows.
    assert.deepEqual(pick((await publicZone()).brand, BRAND_KEYS), shown(s.live.brand));
  });

  test('unknown, applied and suspended institutions cannot be followed or viewed',
    async () => {
      const applied = await createInstitution(base, A.ops.token);
      const suspended = await createInstitution(base, A.ops.token);
      await setStatus(base, A.ops.token, suspended.id, 'live');
      await setStatus(base, A.ops.token, suspended.id, 'suspended');
      for (const id of ['1234567890123', applied.id, suspended.id]) {
        expectProblem(await follow(investor.token, id), 404, 'not_found');
        expectProblem(await api(base, 'GET', `/api/v1/public/zones/${id}`), 404, 'not_found');
      }
      expectProblem(await follow(investor.token, 'abc'), 400, 'bad_request');
      expectProblem(await follow(investor.token, '0'), 400, 'bad_request');
      expectProblem(await api(base, 'GET', '/api/v1/public/zones/abc'), 400, 'bad_request');
      assert.deepEqual((await follows(investor.token)).map((f) => f.institution_id),
        [B.inst.id]);

      // A pilot institution's zone is public and can be followed.
      const pilot = await createInstitution(base, A.ops.token);
      await setStatus(base, A.ops.token, pilot.id, 'pilot');
      expectOk(await follow(investor.token, pilot.id));
      assert.equal((await publicZone(pilot)).followers, 1);
      expectOk(await follow(investor.token, pilot.id, 'DELETE'));
    });

  test('a suspended institution can still be unfollowed', async () => {
    const inst = await createInstitution(base, A.ops.token);
    await setStatus(base, A.ops.token, inst.id, 'live');
    const who = await investorSession(base);
    expectOk(await follow(who.token, inst.id));
    await setStatus(base, A.ops.token, inst.id, 'suspended');
    expectOk(await follow(who.token, inst.id, 'DELETE'));
    assert.deepEqual(await follows(who.token), []);
  });

  test('only investors follow', async () => {
    for (const token of [A.admin.token, A.compliance.token, A.ops.token, reviewer.token]) {
      expectProblem(await follow(token, A.inst.id), 403, 'forbidden');
      expectProblem(await follow(token, A.inst.id, 'DELETE'), 403, 'forbidden');
      expectProblem(await api(base, 'GET', '/api/v1/investor/follows', { token }), 403,
        'forbidden');
    }
    expectProblem(await follow(undefined, A.inst.id), 401, 'unauthenticated');
  });

  test('the institution learns how many follow, never who', async () => {
    expectOk(await follow(investor.token, A.inst.id));
    // No route outside the investor's own lists anything about follows.
    const { stdout } = await runCliOk(['routes']);
    const routes = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    const followRoutes = routes.filter((r) => /follow/i.test(r));
    assert.deepEqual(followRoutes.sort(), [
      'DELETE /api/v1/investor/follows/{id}',
      'GET /api/v1/investor/follows',
      'POST /api/v1/investor/follows/{id}',
    ]);
    for (const path of ['/api/v1/inst/followers', '/api/v1/inst/zone/followers',
      `/api/v1/public/zones/${A.inst.id}/followers`]) {
      expectProblem(await rawApi(base, 'GET', path, { token: A.admin.token }), 404,
        'not_found');
    }
    // What the institution and the public read carries no trace of the investor.
    const traces = [investor.user.id, investor.user.login];
    for (const res of [
      await api(base, 'GET', ZONE, { token: A.admin.token }),
      await api(base, 'GET', '/api/v1/inst/institution', { token: A.admin.token }),
      await api(base, 'GET', '/api/v1/inst/staff', { token: A.admin.token }),
      await api(base, 'GET', publicPath(A.inst)),
    ]) {
      expectOk(res);
      for (const t of traces) assert.ok(!res.text.includes(t), `${res.path} shows ${t}`);
    }
    assert.equal((await publicZone()).followers, 2);
  });
});
