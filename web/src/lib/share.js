// Sharing a page of the investor app: the system share sheet where the browser has one (phones),
// else the link copied to the clipboard. The caller records a `share` event (docs/events.md)
// only when something was shared or copied, and shows the link itself when neither worked.

/**
 * Shares {title, text, url}. Answers 'shared' (the share sheet completed), 'cancelled' (the
 * investor closed it: nothing to record or say), 'copied' (the link is on the clipboard) or
 * 'failed' (neither is possible here: show the link). A share sheet that fails for another
 * reason falls back to copying.
 */
export async function shareLink({ title, text, url }, nav = globalThis.navigator) {
  if (typeof nav?.share === 'function') {
    try {
      await nav.share({ title, text, url });
      return 'shared';
    } catch (err) {
      if (err?.name === 'AbortError') return 'cancelled';
    }
  }
  if (typeof nav?.clipboard?.writeText === 'function') {
    try {
      await nav.clipboard.writeText(url);
      return 'copied';
    } catch {
      // not allowed here: the caller shows the link
    }
  }
  return 'failed';
}

/** The address to share for an app path: this origin, the path, no query or fragment. */
export function shareUrl(path, origin = globalThis.location?.origin ?? '') {
  return `${origin}${path.split(/[?#]/)[0]}`;
}
