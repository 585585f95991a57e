import { createHash, webcrypto } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { canonicalJson, fieldPath, hexBytes, sha256Hex, verifyFairDay, verifySignature, ZERO_HASH } from '../src/lib/fairday.js';

const sha = (s) => createHash('sha256').update(s).digest('hex');
const hex = (buf) => Buffer.from(buf).toString('hex');
const { subtle } = webcrypto;
// The platform's signing key, as the server's sign_key_file holds one, and a stranger's.
const platform = await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
const stranger = await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
const PUBLIC_KEY = hex(await subtle.exportKey('raw', platform.publicKey));
const signHash = async (hash, key = platform.privateKey) =>
  hex(await subtle.sign({ name: 'Ed25519' }, key, hexBytes(hash)));

const RULE_TEXT = '{"cap_ppm":150000,"floor_days":30,"floor_ppm":10000,"terms":[{"metric":"answer_rate","weight":2}],"total":1000000}';
function record(prev) {
  return {
    total: 1000000, rule_version: 1, rule_text: RULE_TEXT, rule_hash: sha(RULE_TEXT),
    results: [{ score_ppm: 701234, norm_ppm: { answer_rate: 912000 }, institution_id: '1001', impressions: 1000000, floor: 0, cap: 1000000 }],
    prev_hash: prev ? prev.hash : ZERO_HASH, prev_date: prev ? prev.date : null,
    inputs: [{ metrics: { question_response_time: 5400, answer_rate: 912000 }, is_new: false, institution_id: '1001' }],
    format: 1, date: prev ? '2026-03-26' : '2026-03-25',
  };
}
async function day(rec) {
  const hash = sha(canonicalJson(rec));
  return { date: rec.date, rule_version: 1, hash, prev_hash: rec.prev_hash, signature: await signHash(hash), record: rec };
}

describe('canonical JSON', () => {
  test('members sorted by name at every depth, no blanks, arrays kept in order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: true }, 'x'], A: 'q"\\' }))
      .toBe('{"A":"q\\"\\\\","a":[{"c":true,"d":null},"x"],"b":1}');
    expect(canonicalJson({ b: { z: -5, y: 0 } })).toBe('{"b":{"y":0,"z":-5}}');
  });
  test('is what Python writes with sort_keys and compact separators', () => {
    // json.dumps({"prev_date": None, "date": "2026-03-25", "format": 1}, sort_keys=True, separators=(",", ":"))
    expect(canonicalJson({ prev_date: null, date: '2026-03-25', format: 1 }))
      .toBe('{"date":"2026-03-25","format":1,"prev_date":null}');
  });
  test('WebCrypto SHA-256 agrees with node:crypto', async () => {
    expect(await sha256Hex('abc', webcrypto.subtle)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex('公平', webcrypto.subtle)).toBe(sha('公平'));
  });
});

describe('verifyFairDay', () => {
  test('a true first day and the day after it pass, signature included', async () => {
    const first = await day(record(null));
    const r1 = await verifyFairDay(first, undefined, subtle, PUBLIC_KEY);
    expect(r1.ok).toBe(true);
    const second = await day(record(first));
    const r2 = await verifyFairDay(second, first.hash, subtle, PUBLIC_KEY);
    expect(r2.ok).toBe(true);
    expect(r2.checks.map((c) => c.key)).toEqual(['hash', 'rule_hash', 'envelope', 'chain', 'signature']);
  });
  test('a changed allocation, a changed rule text or a broken chain fail', async () => {
    const first = await day(record(null));
    const tampered = structuredClone(first);
    tampered.record.results[0].impressions -= 1;
    expect((await verifyFairDay(tampered, undefined, subtle, PUBLIC_KEY)).checks[0].ok).toBe(false);
    const rule = structuredClone(first);
    rule.record.rule_text = rule.record.rule_text.replace('150000', '150001');
    const rr = await verifyFairDay(rule, undefined, subtle, PUBLIC_KEY);
    expect(rr.ok).toBe(false);
    expect(rr.checks.find((c) => c.key === 'rule_hash').ok).toBe(false);
    const second = await day(record(first));
    expect((await verifyFairDay(second, sha('other'), subtle, PUBLIC_KEY)).ok).toBe(false);
  });
  test('the chain cannot be checked without the previous day, nor the signature without the key', async () => {
    const second = await day(record(await day(record(null))));
    const r = await verifyFairDay(second, undefined, subtle, PUBLIC_KEY);
    expect(r.ok).toBeNull();
    expect(r.checks.find((c) => c.key === 'chain').ok).toBeNull();
    const k = await verifyFairDay(second, second.prev_hash, subtle, undefined);
    expect(k.ok).toBeNull();
    expect(k.checks.find((c) => c.key === 'signature').ok).toBeNull();
  });
  test('a day whose hash was re-signed by another key, or whose signature was altered, fails', async () => {
    const first = await day(record(null));
    const forged = { ...first, signature: await signHash(first.hash, stranger.privateKey) };
    const f = await verifyFairDay(forged, undefined, subtle, PUBLIC_KEY);
    expect(f.ok).toBe(false);
    expect(f.checks.find((c) => c.key === 'signature').ok).toBe(false);
    expect(f.checks.filter((c) => c.key !== 'signature').every((c) => c.ok)).toBe(true);
    const flipped = first.signature.slice(0, 127) + (first.signature[127] === '0' ? '1' : '0');
    expect(await verifySignature(first.hash, flipped, PUBLIC_KEY, subtle)).toBe(false);
  });
});

describe('verifySignature', () => {
  test('holds for the platform key over the hash bytes, not over the hex text', async () => {
    const h = sha('x');
    expect(await verifySignature(h, await signHash(h), PUBLIC_KEY, subtle)).toBe(true);
    const overText = hex(await subtle.sign({ name: 'Ed25519' }, platform.privateKey, new TextEncoder().encode(h)));
    expect(await verifySignature(h, overText, PUBLIC_KEY, subtle)).toBe(false);
  });
  test('malformed hex is false; a WebCrypto without Ed25519 leaves it undecided', async () => {
    const h = sha('x');
    const sig = await signHash(h);
    expect(await verifySignature(h, sig.slice(2), PUBLIC_KEY, subtle)).toBe(false);
    expect(await verifySignature(h, sig, PUBLIC_KEY.toUpperCase(), subtle)).toBe(false);
    expect(await verifySignature(h.slice(1), sig, PUBLIC_KEY, subtle)).toBe(false);
    const noEd25519 = {
      importKey: async () => { throw new DOMException('Unrecognized name.', 'NotSupportedError'); },
    };
    expect(await verifySignature(h, sig, PUBLIC_KEY, noEd25519)).toBeNull();
  });
});

test('a 422 field names the form field', () => {
  expect(fieldPath('terms[2].weight')).toEqual(['terms', 2, 'weight']);
  expect(fieldPath('cap_ppm')).toEqual(['cap_ppm']);
  expect(fieldPath('terms')).toEqual(['terms']);
  expect(fieldPath(null)).toBeNull();
});
