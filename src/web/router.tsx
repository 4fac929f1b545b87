/**
 * A tiny history-based router: no library, because the app has a handful of routes. Links are real
 * `<a href>` elements (so they work with middle-click, "open in new tab" and without JavaScript
 * semantics lost), and plain left-clicks are intercepted to navigate without a page load.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

export interface Location {
  pathname: string;
  search: string;
  /** history.state: holds what must not go in the URL, such as a search term. */
  state: Record<string, unknown>;
  /** Changes on every navigation, including back/forward, so effects can tell entries apart. */
  key: number;
}

const listeners = new Set<() => void>();
let counter = 0;

const read = (): Location => ({
  pathname: window.location.pathname,
  search: window.location.search,
  state: (window.history.state as Record<string, unknown> | null) ?? {},
  key: ++counter,
});

let current: Location = read();

const notify = () => {
  current = read();
  for (const listener of listeners) listener();
};

window.addEventListener('popstate', notify);

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const currentLocation = (): Location => current;

export const useLocation = (): Location => useSyncExternalStore(subscribe, currentLocation);

export function navigate(to: string, options: { replace?: boolean; state?: Record<string, unknown> } = {}): void {
  const state = options.state ?? {};
  if (options.replace) window.history.replaceState(state, '', to);
  else window.history.pushState(state, '', to);
  notify();
  if (!options.replace) window.scrollTo(0, 0);
}

/** Updates the current entry's state without a navigation (e.g. remembering a search term). */
export function replaceState(state: Record<string, unknown>, to?: string): void {
  window.history.replaceState(state, '', to ?? window.location.pathname + window.location.search);
  current = { ...current, pathname: window.location.pathname, search: window.location.search, state };
  for (const listener of listeners) listener();
}

const isPlainClick = (event: MouseEvent<HTMLAnchorElement>) =>
  event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey && !event.defaultPrevented;

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a
      href={href}
      onClick={(event) => {
        onClick?.(event);
        if (!isPlainClick(event) || event.currentTarget.target === '_blank') return;
        event.preventDefault();
        navigate(href);
      }}
      {...rest}
    />
  );
}

/** Matches `/actors/:id` style patterns; returns the named segments or null. */
export function match(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const h = have[i] as string;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(h);
    else if (w !== h) return null;
  }
  return params;
}
