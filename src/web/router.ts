import { useSyncExternalStore } from "react";

/**
 * A tiny history router: the server answers every non-/api path with index.html, so real paths work on reload.
 * Pages are matched with `match`; links go through `navigate` so the page is not reloaded.
 */

const NAVIGATE = "camsweep:navigate";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATE, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATE, onChange);
  };
}

const snapshot = (): string => window.location.pathname + window.location.search;

/** The current path and query string; re-renders on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const q = href.indexOf("?");
  return {
    path: q < 0 ? href : href.slice(0, q),
    search: new URLSearchParams(q < 0 ? "" : href.slice(q + 1)),
  };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATE));
}

/**
 * Matches `/devices/:id` against a path: the decoded parameters, or null. Pure, so it is unit-tested in Node.
 */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":")) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null; // malformed escape
      }
    } else if (w !== g) return null;
  }
  return params;
}
