// A small router over the History API: the server answers index.html for every path without
// a dot, so /console/products/123 and /product/123 load the app, which picks the page here.
import { useSyncExternalStore } from 'react';

const listeners = new Set();
function emit() {
  for (const fn of listeners) fn();
}
if (globalThis.window) window.addEventListener('popstate', emit);

function snapshot() {
  return globalThis.location ? location.pathname + location.search : '/';
}

export function useLocation() {
  const full = useSyncExternalStore((fn) => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  }, snapshot, snapshot);
  const i = full.indexOf('?');
  return {
    path: i < 0 ? full : full.slice(0, i),
    query: new URLSearchParams(i < 0 ? '' : full.slice(i + 1)),
  };
}

export function navigate(to, { replace = false } = {}) {
  if (to === snapshot()) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  globalThis.scrollTo?.(0, 0);
  emit();
}

export function back(fallback = '/') {
  if (history.length > 1) history.back();
  else navigate(fallback, { replace: true });
}

/**
 * matchRoute('/product/:id', '/product/42') → {id: '42'}; null when it does not match.
 * A trailing '*' matches any rest.
 */
export function matchRoute(pattern, path) {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('/').filter(Boolean);
  const params = {};
  for (let i = 0; i < ps.length; i += 1) {
    if (ps[i] === '*') return params;
    if (i >= xs.length) return null;
    if (ps[i].startsWith(':')) params[ps[i].slice(1)] = decodeURIComponent(xs[i]);
    else if (ps[i] !== xs[i]) return null;
  }
  return xs.length === ps.length ? params : null;
}

/** The first route whose pattern matches: [element(params), params] or null. */
export function pick(routes, path) {
  for (const [pattern, render] of routes) {
    const params = matchRoute(pattern, path);
    if (params) return render(params);
  }
  return null;
}

/** An <a> that navigates without reloading. */
export function linkProps(to) {
  return {
    href: to,
    onClick: (e) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      navigate(to);
    },
  };
}
