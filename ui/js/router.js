// router.js - client-side routes on the History API. The server answers index.html for any path
// without a file extension, so /incidents/12 can be loaded directly or bookmarked.

const routes = [];
let onRoute = null;

// route('/incidents/:id', handler): handler({params, query, path}).
export function route(pattern, handler, meta = {}) {
  const keys = [];
  const re = new RegExp('^' + pattern.replace(/\/:(\w+)/g, (m, k) => { keys.push(k); return '/([^/]+)'; }) + '/?$');
  routes.push({ pattern, re, keys, handler, meta });
}

export function match(path) {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params = {};
      r.keys.forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
      return { ...r, params };
    }
  }
  return null;
}

export function current() {
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

export function navigate(to, { replace = false } = {}) {
  if (to === location.pathname + location.search) {
    if (onRoute) onRoute();
    return;
  }
  if (replace) history.replaceState({}, '', to);
  else history.pushState({}, '', to);
  if (onRoute) onRoute();
}

// Updates the query string of the current page without re-rendering it (filters, tabs).
export function setQuery(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== undefined && v !== null) q.set(k, v);
  const s = q.toString();
  history.replaceState({}, '', location.pathname + (s ? '?' + s : ''));
}

export function start(handler) {
  onRoute = handler;
  window.addEventListener('popstate', () => onRoute && onRoute());
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download') || a.dataset.external !== undefined) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
  onRoute();
}
