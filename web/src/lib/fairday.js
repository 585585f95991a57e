// Checking a published day of the fair rule in the browser (docs/fair-rule.md): the record's
// canonical text (members sorted by name, no blanks) hashed with WebCrypto's SHA-256 must be
// the published `hash`; `rule_hash` must be the SHA-256 of `rule_text`; `prev_hash` must be the
// previous published day's hash (64 zeros for the first day). The Ed25519 signature is not
// checked here: WebCrypto's Ed25519 is not in every browser, and `caifuhao verify-allocation`
// checks it together with a full recomputation of the allocation.

export const ZERO_HASH = '0'.repeat(64);

/**
 * The canonical JSON text of a value: object members sorted by name (code unit order, as
 * jansson's JSON_SORT_KEYS), arrays in order, no blanks. Every number of a record is an integer
 * well under 2^53 and every string ASCII, so this is byte for byte the text the server hashed.
 */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('not a JSON number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

/** SHA-256 of a text's UTF-8 bytes, as 64 lowercase hex digits. */
export async function sha256Hex(text, subtle = globalThis.crypto?.subtle) {
  if (!subtle) throw new Error('WebCrypto is not available (a secure context is needed)');
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Checks a day as GET /api/v1/public/fair-days/{date} answers it. `prevHash` is the hash of
 * the previous published day as its own answer gives it (undefined when it could not be
 * loaded). Answers {ok, checks: [{key, ok, detail}]}; a check that could not be made has
 * ok null. The signature is always left to `caifuhao verify-allocation`.
 */
export async function verifyFairDay(day, prevHash, subtle) {
  const checks = [];
  const computed = await sha256Hex(canonicalJson(day.record), subtle);
  checks.push({ key: 'hash', ok: computed === day.hash, detail: computed });
  const rule = await sha256Hex(day.record.rule_text ?? '', subtle);
  checks.push({ key: 'rule_hash', ok: rule === day.record.rule_hash, detail: rule });
  const sameDate = day.record.date === day.date && day.record.prev_hash === day.prev_hash;
  checks.push({ key: 'envelope', ok: sameDate, detail: null });
  if (day.record.prev_date === null) {
    checks.push({ key: 'chain', ok: day.prev_hash === ZERO_HASH, detail: ZERO_HASH });
  } else if (prevHash === undefined) {
    checks.push({ key: 'chain', ok: null, detail: null });
  } else {
    checks.push({ key: 'chain', ok: prevHash === day.prev_hash, detail: prevHash });
  }
  const ok = checks.some((c) => c.ok === false) ? false : checks.every((c) => c.ok === true) ? true : null;
  return { ok, checks };
}

/** A 422 `field` of the rule ("terms[2].weight") as an antd form name path. */
export function fieldPath(field) {
  if (!field) return null;
  const path = [];
  for (const part of String(field).split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return null;
    path.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  return path;
}
