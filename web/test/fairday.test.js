import { createHash, webcrypto } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { canonicalJson, fieldPath, sha256Hex, verifyFairDay, ZERO_HASH } from '../src/lib/fairday.js';

const sha = (s) => createHash('sha256').update(s).digest('hex');

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
function day(rec) {
  const hash = sha(canonicalJson(rec));
  return { date: rec.date, rule_version: 1, hash, prev_hash: rec.prev_hash, signature: 'ab'.repeat(64), record: rec };
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
  test('a true first day and the day after it pass', async () => {
    const first = day(record(null));
    const r1 = await verifyFairDay(first, undefined, webcrypto.subtle);
    expect(r1.ok).toBe(true);
    const second = day(record(first));
    const r2 = await verifyFairDay(second, first.hash, webcrypto.subtle);
    expect(r2.ok).toBe(true);
    expect(r2.checks.map((c) => c.key)).toEqual(['hash', 'rule_hash', 'envelope', 'chain']);
  });
  test('a changed allocation, a changed rule text or a broken chain fail', async () => {
    const first = day(record(null));
    const tampered = structuredClone(first);
    tampered.record.results[0].impressions -= 1;
    expect((await verifyFairDay(tampered, undefined, webcrypto.subtle)).checks[0].ok).toBe(false);
    const rule = structuredClone(first);
    rule.record.rule_text = rule.record.rule_text.replace('150000', '150001');
    const rr = await verifyFairDay(rule, undefined, webcrypto.subtle);
    expect(rr.ok).toBe(false);
    expect(rr.checks.find((c) => c.key === 'rule_hash').ok).toBe(false);
    const second = day(record(first));
    expect((await verifyFairDay(second, sha('other'), webcrypto.subtle)).ok).toBe(false);
  });
  test('the chain cannot be checked without the previous day', async () => {
    const second = day(record(day(record(null))));
    const r = await verifyFairDay(second, undefined, webcrypto.subtle);
    expect(r.ok).toBeNull();
    expect(r.checks.find((c) => c.key === 'chain').ok).toBeNull();
  });
});

test('a 422 field names the form field', () => {
  expect(fieldPath('terms[2].weight')).toEqual(['terms', 2, 'weight']);
  expect(fieldPath('cap_ppm')).toEqual(['cap_ppm']);
  expect(fieldPath('terms')).toEqual(['terms']);
  expect(fieldPath(null)).toBeNull();
});
