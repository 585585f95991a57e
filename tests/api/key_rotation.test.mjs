// Data key rotation (`caifuhao keys status|rotate|retire`), black-box through the CLI and the
// API on one database. Investors with real-name profiles and a consent to institution A; then
// two rotations, each added while the server still runs on the older ring, so that the server
// seals one more profile under the older key, as a real server would until it is restarted
// (which is why --new-key re-seals nothing: that server could not read a row under the new key):
// rotate again picks that row up, and retire refuses a key while such a row exists. After each
// restart the masked profiles and A's customer list (names unsealed) must read as before, every
// row must name the newest key, and the events pseudonyms must not change: they come from key
// 0, whatever key seals. Bad command lines change nothing.

import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { after, afterEach, test } from 'node:test';

import { login, register } from './lib/fixtures.mjs';
import { expectOk } from './lib/http.mjs';
import { BANK_CARD, ID_NUMBER, World, api, cstMs, institutionWithStaff } from './lib/trading.mjs';

const DAY = '2026-03-02';
const w = await World.create();
afterEach((t) => { if (t.passed === false) w.failed = true; });
after(() => w.cleanup());
await w.at(DAY);

const keyFile = `${w.db}.key`;
const A = await institutionWithStaff(w.srv);
const NAMES = ['张三', '李四', '王五', '赵六', '钱七', '孙八'];
const CARD2 = '6222020200112233446';
const investors = [];

/** A registered investor with a profile named `name`, consented to A. */
async function investor(name) {
  const r = await register(w.base);
  const s = await login(w.base, r.mobile, r.password);
  const profile = expectOk(await api(w.base, 'PUT', '/api/v1/investor/profile', { token: s.token,
    body: { real_name: name, id_number: ID_NUMBER, bank_card: BANK_CARD } }), 200).profile;
  expectOk(await api(w.base, 'POST', `/api/v1/investor/consents/${A.inst.id}`,
    { token: s.token, body: { text_version: 'consent-v1' } }));
  const inv = { id: s.user.id, token: s.token, name, profile };
  investors.push(inv);
  return inv;
}

/** Each investor's masked profile, as they read it now. */
async function profiles() {
  const out = {};
  for (const inv of investors) {
    out[inv.id] = expectOk(await api(w.base, 'GET', '/api/v1/investor/profile',
      { token: inv.token })).profile;
  }
  return out;
}

/** A's customers: investor id → name (unsealed by the server). */
async function customerNames() {
  const items = expectOk(await api(w.base, 'GET', '/api/v1/inst/customers',
    { token: A.admin.token })).items;
  return Object.fromEntries(items.map((c) => [c.investor_id, c.name]));
}

const expectedNames = () => Object.fromEntries(investors.map((i) => [i.id, i.name]));

/** Each investor sends one zone view; answers investor id → the stored investor_key. */
async function pseudonyms() {
  const before = (await w.sql('SELECT COALESCE(MAX(id), 0) FROM events;')).trim(); // > 2^53
  const out = {};
  for (const inv of investors) {
    expectOk(await api(w.base, 'POST', '/api/v1/events', { token: inv.token,
      body: { events: [{ kind: 'zone_view', at_ms: cstMs(DAY), zone_id: A.inst.id }] } }), 200);
  }
  const rows = (await w.sql(`.mode list\nSELECT investor_key FROM events WHERE id > ${before}
    ORDER BY id;`)).trim().split('\n');
  assert.equal(rows.length, investors.length, 'one stored event per investor');
  investors.forEach((inv, k) => { out[inv.id] = rows[k]; });
  return out;
}

/** key_id → number of profiles sealed under it. */
async function rowsByKey() {
  const out = (await w.sql('.mode list\nSELECT key_id, COUNT(*) FROM investor_profiles ' +
    'GROUP BY key_id ORDER BY key_id;')).trim();
  return Object.fromEntries(out.split('\n').map((l) => l.split('|').map(Number)));
}

async function keys(args) {
  return w.cli(['keys', ...args]);
}

async function keysOk(args) {
  const r = await keys(args);
  assert.equal(r.code, 0, `keys ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r;
}

/** Asserts a refused command: exit code, message, and neither ring nor rows changed. */
async function refused(args, code, message) {
  const ring = await readFile(keyFile);
  const rows = await rowsByKey();
  const r = await keys(args);
  assert.equal(r.code, code, `keys ${args.join(' ')} exits ${code}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, message);
  assert.deepEqual(await readFile(keyFile), ring, `keys ${args.join(' ')} left the ring alone`);
  assert.deepEqual(await rowsByKey(), rows, `keys ${args.join(' ')} left the rows alone`);
}

const s = {};

test('before any rotation: a bare key, every row under key 0', async () => {
  for (const name of NAMES.slice(0, 3)) await investor(name);
  assert.equal((await stat(keyFile)).size, 32);
  assert.deepEqual(await rowsByKey(), { 0: 3 });
  s.profiles = await profiles();
  s.pseudonyms = await pseudonyms();
  assert.deepEqual(await customerNames(), expectedNames());
  const st = await keysOk(['status']);
  assert.match(st.stdout, /1 key\(s\) \(a bare 32-byte key file/);
  assert.match(st.stdout, /\n0 +\S+ +3 +newest, pseudonyms\n/);
  // Nothing older to re-seal and no --new-key: nothing changes, the bare file included.
  const r = await keysOk(['rotate']);
  assert.match(r.stdout, /nothing to re-seal/);
  assert.equal((await stat(keyFile)).size, 32);
});

test('bad command lines: a clear message, non-zero, nothing changed', async () => {
  await refused(['rotate', '--bogus'], 2, /unknown flag/);
  await refused(['retire'], 2, /needs --id N/);
  await refused(['retire', '--id', 'abc'], 2, /needs --id N/);
  await refused(['retire', '--id', '-1'], 2, /needs --id N/);
  await refused(['retire', '--id', '1000000'], 2, /needs --id N/);
  await refused(['status', '--new-key'], 2, /takes no --new-key/);
  await refused(['rotate', '--id', '1'], 2, /takes no --id/);
  await refused(['frobnicate'], 2, /usage: caifuhao keys/);
  await refused(['retire', '--id', '0'], 1, /key 0 derives the events pseudonyms/);
  await refused(['retire', '--id', '7'], 1, /no key 7 in the ring/);
});

test('rotate --new-key adds a key and re-seals nothing; the old-ring server reads on', async () => {
  const r = await keysOk(['rotate', '--new-key']);
  assert.match(r.stdout, /added key 1/);
  assert.match(r.stdout, /restart every server/);
  const text = await readFile(keyFile, 'utf8');
  assert.match(text, /^caifuhao-keyring 1\nkey 0 \d+ [0-9a-f]{64}\nkey 1 \d+ [0-9a-f]{64}\nsum [0-9a-f]{64}\n$/);
  assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
  assert.deepEqual(await rowsByKey(), { 0: 3 }, 'nothing re-sealed before the restart');
  // Not restarted yet: the server still seals with key 0, and reads every row.
  await investor(NAMES[3]);
  assert.deepEqual(await rowsByKey(), { 0: 4 });
  assert.deepEqual(await customerNames(), expectedNames());
});

test('after a restart: rotate re-seals every older row; profiles, names, pseudonyms unchanged',
  async () => {
    await w.at(DAY);
    const st = await keysOk(['status']);
    assert.match(st.stdout, /\n0 +\S+ +4 +pseudonyms\n1 +\S+ +0 +newest\n/);
    // The last one changes its card on the restarted server: its row is re-sealed whole
    // under key 1 first, so one key id still names all three columns.
    expectOk(await api(w.base, 'PUT', '/api/v1/investor/profile', { token: investors[3].token,
      body: { real_name: NAMES[3], id_number: ID_NUMBER, bank_card: CARD2 } }), 200);
    assert.deepEqual(await rowsByKey(), { 0: 3, 1: 1 });
    const moved = await keysOk(['rotate']);
    assert.match(moved.stdout, /3 row\(s\) re-sealed under key 1/);
    assert.deepEqual(await rowsByKey(), { 1: 4 });
    assert.deepEqual(await customerNames(), expectedNames());
    await investor(NAMES[4]);
    assert.deepEqual(await rowsByKey(), { 1: 5 });
    const again = await keysOk(['rotate']);
    assert.match(again.stdout, /nothing to re-seal/);
    const p = await profiles();
    for (const inv of investors.slice(0, 3)) assert.deepEqual(p[inv.id], s.profiles[inv.id]);
    assert.match(p[investors[3].id].bank_card, /3446$/, 'the new card is the one shown');
    const now = await pseudonyms();
    for (const inv of investors.slice(0, 3)) assert.equal(now[inv.id], s.pseudonyms[inv.id]);
    s.pseudonyms = now;
  });

test('retire refuses a key in use, succeeds once rotate has moved its rows', async () => {
  const r = await keysOk(['rotate', '--new-key']);
  assert.match(r.stdout, /added key 2/);
  // The server, still on keys 0 and 1, seals the next profile under key 1.
  await investor(NAMES[5]);
  assert.deepEqual(await rowsByKey(), { 1: 6 });
  await refused(['retire', '--id', '1'], 1, /key 1 still seals 6 row\(s\)/);
  await refused(['retire', '--id', '2'], 1, /key 2 is the newest/);
  await w.at(DAY);
  const moved = await keysOk(['rotate']);
  assert.match(moved.stdout, /6 row\(s\) re-sealed under key 2/);
  assert.deepEqual(await rowsByKey(), { 2: 6 });
  const gone = await keysOk(['retire', '--id', '1']);
  assert.match(gone.stdout, /key 1 removed/);
  const text = await readFile(keyFile, 'utf8');
  assert.match(text, /\nkey 0 .*\nkey 2 /);
  assert.doesNotMatch(text, /\nkey 1 /);
  const st = await keysOk(['status']);
  assert.match(st.stdout, /2 key\(s\)/);
  assert.match(st.stdout, /\n0 +\S+ +0 +pseudonyms\n2 +\S+ +6 +newest\n/);
});

test('restarted on the final ring: everything reads as before', async () => {
  await w.at(DAY);
  assert.deepEqual(await customerNames(), expectedNames());
  const p = await profiles();
  for (const inv of investors.slice(0, 3)) assert.deepEqual(p[inv.id], s.profiles[inv.id]);
  for (const inv of investors) assert.equal(p[inv.id].real_name, inv.profile.real_name);
  const now = await pseudonyms();
  assert.equal(Object.keys(s.pseudonyms).length, 5);
  for (const [id, key] of Object.entries(s.pseudonyms)) {
    assert.equal(now[id], key, `investor ${id}'s events pseudonym did not change`);
  }
  assert.deepEqual(await rowsByKey(), { 2: 6 });
  // A damaged ring stops the server from starting rather than leaving rows unreadable.
  const text = await readFile(keyFile, 'utf8');
  await writeFile(keyFile, text.slice(0, text.indexOf('\nsum ') + 1), { mode: 0o600 });
  const r = await keys(['status']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /is truncated or damaged/);
  await writeFile(keyFile, text, { mode: 0o600 });
  await keysOk(['status']);
});
