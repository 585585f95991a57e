// The investor app's interaction events (docs/events.md): what an investor opens, follows and
// buys, and which recommended zones were shown. They feed the institutions' dashboards and the
// fair rule, so they are sent, but never at the investor's expense: events wait in memory and
// go in one POST /api/v1/events every few seconds, when 50 are waiting, and when the page is
// hidden; nothing is ever thrown or shown, and a failure is at most a console.debug line.
//
// Only a signed-in investor may send (the server refuses anonymous events by design). Until the
// app knows who is signed in, events wait; once it knows nobody is, they are dropped.
import { useEffect, useRef } from 'react';
import { request } from './api.js';

export const FLUSH_INTERVAL_MS = 5000;
export const FLUSH_AT = 50;
export const MAX_QUEUE = 500;
/** Events per POST: the server takes 500 but also at most 64 KiB, as does a keepalive fetch. */
export const MAX_BATCH = 200;
const DEFAULT_BACKOFF_S = 30;

function debug(...args) {
  try {
    globalThis.console?.debug?.('[events]', ...args);
  } catch {
    // nothing to do
  }
}

/**
 * createTracker({fetchImpl, now, setTimer, clearTimer, intervalMs}) → a tracker with
 * track(kind, subject), flush({keepalive}), setSignedIn(true | false | null) and `size`.
 * A fresh tracker does not know yet whether an investor is signed in (null): it queues.
 */
export function createTracker(opts = {}) {
  const {
    fetchImpl,
    now = () => Date.now(),
    setTimer = (fn, ms) => setTimeout(fn, ms),
    clearTimer = (t) => clearTimeout(t),
    intervalMs = FLUSH_INTERVAL_MS,
  } = opts;
  let queue = [];
  let signedIn = null; // null: not known yet
  let timer = null;
  let backoffUntil = 0;

  function schedule(ms = intervalMs) {
    if (timer !== null || queue.length === 0 || signedIn !== true) return;
    timer = setTimer(() => {
      timer = null;
      flush();
    }, ms);
  }

  function requeue(batch) {
    queue = batch.concat(queue);
    if (queue.length > MAX_QUEUE) queue = queue.slice(queue.length - MAX_QUEUE);
  }

  /** Sends one batch; answers false when the rest should wait (busy server, no network). */
  async function send(batch, keepalive) {
    try {
      const r = await request('POST', '/api/v1/events', {
        body: { events: batch }, keepalive, ...(fetchImpl ? { fetchImpl } : {}),
      });
      if (r?.rejected?.length) debug('rejected', r.rejected);
      return true;
    } catch (err) {
      const status = err?.status;
      if (status === 429) {
        const s = Number.isFinite(err.retryAfter) ? err.retryAfter : DEFAULT_BACKOFF_S;
        backoffUntil = now() + s * 1000;
        requeue(batch);
        debug(`over budget, waiting ${s} s`);
        return false;
      }
      if (status === 0 || status >= 500) {
        requeue(batch); // the network or the server: try again later
        debug('not sent', status);
        return false;
      }
      if (status === 401 || status === 403) {
        signedIn = false;
        queue = [];
      }
      debug('dropped', status, err?.message); // a batch the server refuses is not retried
      return true;
    }
  }

  /** Sends what is waiting (in batches of MAX_BATCH), unless backing off or not signed in. */
  async function flush({ keepalive = false } = {}) {
    try {
      if (timer !== null) {
        clearTimer(timer);
        timer = null;
      }
      const waiting = backoffUntil - now();
      if (signedIn !== true || queue.length === 0) return;
      if (waiting > 0) {
        schedule(waiting);
        return;
      }
      if (keepalive) {
        // The page is going away: every batch leaves now, none can wait for another.
        const sends = [];
        while (queue.length > 0) sends.push(send(queue.splice(0, MAX_BATCH), true));
        await Promise.all(sends);
      } else {
        while (queue.length > 0 && await send(queue.splice(0, MAX_BATCH), false));
      }
      schedule(Math.max(intervalMs, backoffUntil - now()));
    } catch (err) {
      debug('flush failed', err);
    }
  }

  /** Queues one event: `subject` holds the ids its kind needs ({zone_id}, {product_id}, ...). */
  function track(kind, subject = {}) {
    try {
      if (signedIn === false) return;
      queue.push({ kind, at_ms: Math.round(now()), ...subject });
      if (queue.length > MAX_QUEUE) queue.shift();
      if (queue.length >= FLUSH_AT) flush();
      else schedule();
    } catch (err) {
      debug('not queued', err);
    }
  }

  /** true: an investor is signed in; false: nobody (or not an investor); null: not known. */
  function setSignedIn(value) {
    signedIn = value;
    if (value === false) {
      queue = [];
      backoffUntil = 0;
      if (timer !== null) {
        clearTimer(timer);
        timer = null;
      }
    } else if (value === true) {
      schedule();
    }
  }

  return {
    track, flush, setSignedIn,
    get size() { return queue.length; },
  };
}

/** The app's one tracker. */
export const events = createTracker();

export function track(kind, subject) {
  events.track(kind, subject);
}

/** Flushes with keepalive when the page is hidden or left; answers a function that stops it. */
export function flushOnPageHide(tracker = events, win = globalThis.window) {
  if (!win?.addEventListener) return () => {};
  const doc = win.document;
  const onHide = () => tracker.flush({ keepalive: true });
  const onVisibility = () => {
    if (doc?.visibilityState === 'hidden') onHide();
  };
  win.addEventListener('pagehide', onHide);
  doc?.addEventListener?.('visibilitychange', onVisibility);
  return () => {
    win.removeEventListener('pagehide', onHide);
    doc?.removeEventListener?.('visibilitychange', onVisibility);
  };
}

/**
 * Tracks one view event when `shown` first becomes true for these ids: once per page view, not
 * again when the screen reloads its data (after a follow, say).
 */
export function useViewEvent(kind, subject, shown) {
  const key = `${kind}:${JSON.stringify(subject)}`;
  const done = useRef(null);
  useEffect(() => {
    if (shown && done.current !== key) {
      done.current = key;
      track(kind, subject);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, shown]);
}
