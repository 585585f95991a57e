import { describe, expect, test } from 'vitest';
import { cleanQuery, markQuery } from '../src/lib/search.js';

describe('cleanQuery', () => {
  test('spaces around the query are trimmed, the ideographic space too; inside they stay', () => {
    expect(cleanQuery('  债券 ')).toEqual({ q: '债券', problem: null });
    expect(cleanQuery('\u3000养老\u3000')).toEqual({ q: '养老', problem: null });
    expect(cleanQuery(' 科技 成长 ').q).toBe('科技 成长');
  });
  test('one or two Chinese characters are a query', () => {
    expect(cleanQuery('债').problem).toBe(null);
    expect(cleanQuery('基金').problem).toBe(null);
  });
  test('empty, too long, or with control or bidirectional characters is refused before sending', () => {
    expect(cleanQuery('   ').problem).toBe('empty');
    expect(cleanQuery('债'.repeat(64)).problem).toBe(null);
    expect(cleanQuery('债'.repeat(65)).problem).toBe('too_long');
    expect(cleanQuery('a\u202eb').problem).toBe('control');
    expect(cleanQuery('a\nb').problem).toBe('control');
  });
  test('characters outside the basic plane count once', () => {
    expect(cleanQuery('𠀀'.repeat(64)).problem).toBe(null);
  });
});

describe('markQuery', () => {
  test('every occurrence of a Chinese query is marked', () => {
    expect(markQuery('远航纯债债券A，债券型', '债券')).toEqual([
      { text: '远航纯债', hit: false }, { text: '债券', hit: true }, { text: 'A，', hit: false },
      { text: '债券', hit: true }, { text: '型', hit: false }]);
  });
  test('Latin letters match in any case, and the text keeps its own case', () => {
    expect(markQuery('Bosera Growth', 'bosera')).toEqual([{ text: 'Bosera', hit: true }, { text: ' Growth', hit: false }]);
  });
  test('no query, or no occurrence: the text unmarked', () => {
    expect(markQuery('养老目标', '')).toEqual([{ text: '养老目标', hit: false }]);
    expect(markQuery('养老目标', '债')).toEqual([{ text: '养老目标', hit: false }]);
    expect(markQuery('', 'x')).toEqual([]);
  });
});
