import { describe, expect, test } from 'vitest';
import { splitBySpans } from '../src/lib/spans.js';

const bytes = (s) => new TextEncoder().encode(s).length;

describe('splitBySpans', () => {
  test('byte offsets of CJK text become whole-character segments', () => {
    const text = '本基金保本保息，欢迎购买';
    const start = bytes('本基金');
    const m = { start, end: start + bytes('保本'), term: '保本', severity: 'review' };
    const segs = splitBySpans(text, [m]);
    expect(segs.map((s) => s.text)).toEqual(['本基金', '保本', '保息，欢迎购买']);
    expect(segs[1].matches).toEqual([m]);
  });
  test('overlapping matches are cut at every boundary', () => {
    const text = '稳赚不赔';
    const a = { start: 0, end: bytes('稳赚'), term: '稳赚' };
    const b = { start: 0, end: bytes('稳赚不赔'), term: '稳赚不赔' };
    const segs = splitBySpans(text, [a, b]);
    expect(segs.map((s) => [s.text, s.matches.length])).toEqual([['稳赚', 2], ['不赔', 1]]);
  });
  test('spans past the end or inside a character are clamped', () => {
    const segs = splitBySpans('保本', [{ start: 1, end: 99 }]);
    expect(segs.map((s) => s.text).join('')).toBe('保本');
  });
  test('no matches: the text as one segment', () => {
    expect(splitBySpans('abc', [])).toEqual([{ text: 'abc', matches: [] }]);
  });
});
