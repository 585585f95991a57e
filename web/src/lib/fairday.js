// Checking a published day of the fair rule in the browser (docs/fair-rule.md): the record's
// canonical text (members sorted by name, no blanks) hashed with WebCrypto's SHA-256 must be
// the published `hash`; `rule_hash` must be the SHA-256 of `rule_text`; `prev_hash` must be the
// previous published day's hash (64 zeros for the first day); the Ed25519 signature over the
// hash's 32 bytes must hold under the platform's public key (GET /api/v1/public/fair-key), where
// the browser's WebCrypto has Ed25519 (Chromium 137+, Firefox 129+, Safari 17+; elsewhere that
// check is left undecided). Recomputing every institution's allocation from the record's inputs
// is `caifuhao verify-allocation`'s work.

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

/** Lowercase hex digits as bytes. */
export function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Whether `signatureHex` (64 bytes) is the Ed25519 signature of the 32 bytes of `hashHex` under
 * `publicKeyHex` (32 bytes). true or false; null when this WebCrypto has no Ed25519, so the
 * check cannot be made here. Malformed hex is false: a published day never has it.
 */
export async function verifySignature(hashHex, signatureHex, publicKeyHex, subtle = globalThis.crypto?.subtle) {
  const hex = (v, len) => typeof v === 'string' && v.length === len && /^[0-9a-f]+$/.test(v);
  if (!hex(hashHex, 64) || !hex(signatureHex, 128) || !hex(publicKeyHex, 64)) return false;
  if (!subtle) return null;
  let key;
  try {
    key = await subtle.importKey('raw', hexBytes(publicKeyHex), { name: 'Ed25519' }, false, ['verify']);
  } catch (err) {
    return err?.name === 'NotSupportedError' ? null : false;
  }
  try {
    return await subtle.verify({ name: 'Ed25519' }, key, hexBytes(signatureHex), hexBytes(hashHex));
  } catch (err) {
    return err?.name === 'NotSupportedError' ? null : false;
  }
}

/**
 * Checks a day as GET /api/v1/public/fair-days/{date} answers it. `prevHash` is the hash of
 * the previous published day as its own answer gives it (undefined when it could not be
 * loaded); `publicKey` the platform's key as GET /api/v1/public/fair-key gives it (undefined
 * when it could not be loaded). Answers {ok, checks: [{key, ok, detail}]}; a check that could
 * not be made has ok null.
 */
export async function verifyFairDay(day, prevHash, subtle, publicKey) {
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
  const signed = publicKey === undefined ? null : await verifySignature(day.hash, day.signature, publicKey, subtle);
  checks.push({ key: 'signature', ok: signed, detail: publicKey ?? null });
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
