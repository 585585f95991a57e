// Search as the investor types it: the query checked as the server will (trimmed of spaces,
// 1 to 64 characters, no control or bidirectional characters), and a result's text cut into
// the parts that match the query and the rest, Latin letters in any case.

export const SEARCH_TYPES = ['zones', 'products', 'contents'];
export const MAX_QUERY_CHARS = 64;

// C0 and C1 controls, DEL, and the bidirectional marks, embeddings, overrides and isolates.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** {q, problem}: the trimmed query, and null, 'empty', 'too_long' or 'control'. */
export function cleanQuery(raw) {
  const q = String(raw ?? '').replace(/^[ \t\u3000]+|[ \t\u3000]+$/g, '');
  if (q === '') return { q, problem: 'empty' };
  if (FORBIDDEN.test(q)) return { q, problem: 'control' };
  if ([...q].length > MAX_QUERY_CHARS) return { q, problem: 'too_long' };
  return { q, problem: null };
}

const foldAscii = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * markQuery('Bosera 债券A', 'bosera') → [{text: 'Bosera', hit: true}, {text: ' 债券A', hit:
 * false}]: every occurrence of the query, ASCII letters compared in any case. Folding ASCII
 * keeps every offset, so the parts are cut from the text as written.
 */
export function markQuery(text, query) {
  const t = String(text ?? '');
  const q = foldAscii(String(query ?? ''));
  if (!q) return t ? [{ text: t, hit: false }] : [];
  const hay = foldAscii(t);
  const out = [];
  let from = 0;
  for (;;) {
    const at = hay.indexOf(q, from);
    if (at < 0) break;
    if (at > from) out.push({ text: t.slice(from, at), hit: false });
    out.push({ text: t.slice(at, at + q.length), hit: true });
    from = at + q.length;
  }
  if (from < t.length) out.push({ text: t.slice(from), hit: false });
  return out;
}
