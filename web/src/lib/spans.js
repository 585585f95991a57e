// The compliance check reports matches as UTF-8 byte offsets into a text. These helpers cut
// the text into segments, each either plain or one (possibly several overlapping) match.

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * splitBySpans(text, matches) → [{text, matches: [...]}], in order, covering the whole text.
 * A segment carries every match that covers it; overlapping matches are merged by cutting at
 * every boundary. Offsets outside the text or inside a character are clamped to whole
 * characters.
 */
export function splitBySpans(text, matches = []) {
  const bytes = enc.encode(text ?? '');
  const n = bytes.length;
  const snap = (i) => {
    let k = Math.max(0, Math.min(n, i | 0));
    while (k > 0 && k < n && (bytes[k] & 0xc0) === 0x80) k -= 1; // not inside a character
    return k;
  };
  const spans = matches
    .map((m) => ({ m, s: snap(m.start), e: snap(m.end) }))
    .filter((x) => x.e > x.s);
  const cuts = new Set([0, n]);
  for (const x of spans) { cuts.add(x.s); cuts.add(x.e); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const a = points[i];
    const b = points[i + 1];
    const covering = spans.filter((x) => x.s <= a && x.e >= b).map((x) => x.m);
    const seg = dec.decode(bytes.subarray(a, b));
    const last = out[out.length - 1];
    if (last && covering.length === 0 && last.matches.length === 0) last.text += seg;
    else out.push({ text: seg, matches: covering });
  }
  return out;
}

/** The matches of one field of a check. */
export function matchesOf(check, field) {
  return (check?.matches ?? []).filter((m) => m.field === field);
}
