import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { setCsrfToken } from '../src/lib/api.js';
import { createTracker, FLUSH_AT, FLUSH_INTERVAL_MS, MAX_QUEUE } from '../src/lib/events.js';

/** A fetch that answers each call from `answers` in turn (the last one repeats). */
function fakeFetch(...answers) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init, body: init.body ? JSON.parse(init.body) : null });
    const a = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (a === 'network') throw new TypeError('Failed to fetch');
    const headers = { 'Content-Type': 'application/json', ...(a.headers ?? {}) };
    return new Response(JSON.stringify(a.body ?? {}), { status: a.status, headers });
  };
  fn.calls = calls;
  return fn;
}

const OK = { status: 200, body: { accepted: 1, rejected: [] } };
let clock;

function tracker(fetchImpl) {
  return createTracker({ fetchImpl, now: () => clock });
}

async function settle() {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers();
  clock = 1772416800000;
  setCsrfToken('csrf-1');
  vi.spyOn(console, 'debug').mockImplementation(() => {});
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  setCsrfToken(null);
});

describe('the events tracker', () => {
  test('batches the events of a few seconds into one POST with the session and CSRF header', async () => {
    const f = fakeFetch(OK);
    const t = tracker(f);
    t.setSignedIn(true);
    t.track('zone_view', { zone_id: '17' });
    clock += 1000;
    t.track('product_view', { product_id: '42' });
    t.track('recommendation_impression', { zone_id: '17', slot: 'home' });
    await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS - 100);
    expect(f.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(f.calls).toHaveLength(1);
    const { url, init, body } = f.calls[0];
    expect(url).toBe('/api/v1/events');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers['X-CSRF-Token']).toBe('csrf-1');
    expect(body.events).toEqual([
      { kind: 'zone_view', at_ms: 1772416800000, zone_id: '17' },
      { kind: 'product_view', at_ms: 1772416801000, product_id: '42' },
      { kind: 'recommendation_impression', at_ms: 1772416801000, zone_id: '17', slot: 'home' },
    ]);
    expect(t.size).toBe(0);
    await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS * 3);
    expect(f.calls).toHaveLength(1); // nothing waiting, nothing sent
  });

  test('flushes at once when 50 are waiting', async () => {
    const f = fakeFetch(OK);
    const t = tracker(f);
    t.setSignedIn(true);
    for (let i = 0; i < FLUSH_AT - 1; i += 1) t.track('product_view', { product_id: String(i) });
    await settle();
    expect(f.calls).toHaveLength(0);
    t.track('product_view', { product_id: 'last' });
    await settle();
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0].body.events).toHaveLength(FLUSH_AT);
    expect(t.size).toBe(0);
  });

  test('a keepalive flush for the page hide', async () => {
    const f = fakeFetch(OK);
    const t = tracker(f);
    t.setSignedIn(true);
    t.track('order_placed', { product_id: '42' });
    await t.flush({ keepalive: true });
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0].init.keepalive).toBe(true);
  });

  test('on 429 it keeps the events and waits for Retry-After', async () => {
    const f = fakeFetch({ status: 429, headers: { 'Retry-After': '20' },
      body: { code: 'rate_limited', detail: 'over budget' } }, OK);
    const t = tracker(f);
    t.setSignedIn(true);
    t.track('zone_view', { zone_id: '1' });
    await t.flush();
    expect(f.calls).toHaveLength(1);
    expect(t.size).toBe(1);
    t.track('zone_view', { zone_id: '2' });
    await t.flush(); // still backing off: nothing goes
    await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS * 2);
    expect(f.calls).toHaveLength(1);
    clock += 20000;
    await vi.advanceTimersByTimeAsync(20000);
    expect(f.calls).toHaveLength(2);
    expect(f.calls[1].body.events.map((e) => e.zone_id)).toEqual(['1', '2']);
    expect(t.size).toBe(0);
  });

  test('anonymous: events are dropped silently, nothing is sent', async () => {
    const f = fakeFetch(OK);
    const t = tracker(f);
    t.setSignedIn(false);
    for (let i = 0; i < FLUSH_AT + 5; i += 1) t.track('zone_view', { zone_id: '1' });
    await t.flush({ keepalive: true });
    await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS * 2);
    expect(f.calls).toHaveLength(0);
    expect(t.size).toBe(0);
  });

  test('before the session is known events wait; signed out drops them, signed in sends them', async () => {
    const f = fakeFetch(OK);
    const a = tracker(f);
    a.track('zone_view', { zone_id: '1' });
    await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS * 2);
    expect(f.calls).toHaveLength(0);
    expect(a.size).toBe(1);
    a.setSignedIn(true);
    await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
    expect(f.calls).toHaveLength(1);

    const b = tracker(f);
    b.track('zone_view', { zone_id: '1' });
    b.setSignedIn(false);
    expect(b.size).toBe(0);
  });

  test('the queue keeps the newest 500; failures never throw', async () => {
    const f = fakeFetch('network', { status: 500, body: {} }, { status: 422, body: { detail: 'bad' } });
    const t = tracker(f);
    for (let i = 0; i < MAX_QUEUE + 20; i += 1) t.track('product_view', { product_id: String(i) });
    expect(t.size).toBe(MAX_QUEUE);
    t.setSignedIn(true);
    await expect(t.flush()).resolves.toBeUndefined(); // network: kept
    expect(f.calls[0].body.events[0].product_id).toBe('20');
    expect(t.size).toBe(MAX_QUEUE);
    await t.flush(); // 500: kept
    expect(t.size).toBe(MAX_QUEUE);
    await t.flush(); // 422: dropped, not retried for ever
    expect(t.size).toBe(0);
    expect(console.debug).toHaveBeenCalled();
  });
});
