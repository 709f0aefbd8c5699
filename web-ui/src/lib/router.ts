// History-based routing. The server answers every unknown non-API path with
// index.html, so deep links such as /units/12?as_of=2024-12-31 work on reload.
import { h } from './dom';

export interface Route {
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

type Listener = (route: Route) => void;
let listener: Listener | null = null;

export function currentRoute(): Route {
  return { path: location.pathname, params: {}, query: new URLSearchParams(location.search) };
}

export function onRoute(f: Listener): void {
  listener = f;
  window.addEventListener('popstate', () => listener?.(currentRoute()));
}

export function navigate(href: string, opts: { replace?: boolean } = {}): void {
  const target = new URL(href, location.href);
  const same = target.pathname === location.pathname && target.search === location.search;
  if (opts.replace || same) history.replaceState(null, '', target.pathname + target.search);
  else history.pushState(null, '', target.pathname + target.search);
  listener?.(currentRoute());
}

/** Replaces the query string without re-rendering the page (filters that the page already applied). */
export function setQuery(query: Record<string, string | number | null | undefined>): void {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  history.replaceState(null, '', location.pathname + (s ? `?${s}` : ''));
}

/** An <a> that navigates inside the app without reloading. */
export function link(href: string, attrs: Record<string, string> | null, ...children: (Node | string)[]): HTMLAnchorElement {
  const a = h('a', { href, ...(attrs ?? {}) }, ...children);
  a.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    navigate(href);
  });
  return a;
}

/** Matches "/units/:id" against a path; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}
