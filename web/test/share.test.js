import { describe, expect, test } from 'vitest';
import { shareLink, shareUrl } from '../src/lib/share.js';

const ITEM = { title: '博时稳健纯债', text: '博时稳健纯债 · 财富号', url: 'https://cfh.example/product/21' };

function nav({ share, write } = {}) {
  const calls = { shared: [], copied: [] };
  const n = {};
  if (share) n.share = async (data) => { calls.shared.push(data); return share(data); };
  if (write) n.clipboard = { writeText: async (t) => { calls.copied.push(t); return write(t); } };
  return { n, calls };
}

describe('shareLink', () => {
  test('the share sheet when there is one', async () => {
    const { n, calls } = nav({ share: () => undefined, write: () => undefined });
    expect(await shareLink(ITEM, n)).toBe('shared');
    expect(calls.shared).toEqual([ITEM]);
    expect(calls.copied).toEqual([]);
  });
  test('closing the sheet is not a share, and copies nothing', async () => {
    const { n, calls } = nav({
      share: () => { throw new DOMException('Share canceled', 'AbortError'); },
      write: () => undefined,
    });
    expect(await shareLink(ITEM, n)).toBe('cancelled');
    expect(calls.copied).toEqual([]);
  });
  test('a sheet that fails otherwise, or none, falls back to copying the link', async () => {
    const failing = nav({
      share: () => { throw new DOMException('Not allowed', 'NotAllowedError'); },
      write: () => undefined,
    });
    expect(await shareLink(ITEM, failing.n)).toBe('copied');
    expect(failing.calls.copied).toEqual([ITEM.url]);
    const desktop = nav({ write: () => undefined });
    expect(await shareLink(ITEM, desktop.n)).toBe('copied');
  });
  test('failed when neither the sheet nor the clipboard works', async () => {
    const denied = nav({ write: () => { throw new DOMException('denied', 'NotAllowedError'); } });
    expect(await shareLink(ITEM, denied.n)).toBe('failed');
    expect(await shareLink(ITEM, {})).toBe('failed');
    expect(await shareLink(ITEM, undefined)).toBe('failed');
  });
});

test('shareUrl keeps the path and drops the query and fragment', () => {
  expect(shareUrl('/product/21?from=home#fees', 'https://cfh.example')).toBe('https://cfh.example/product/21');
  expect(shareUrl('/zone/5', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/zone/5');
});
