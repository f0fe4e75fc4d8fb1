// Yishi's service worker (issue 15): the app installs to the home screen and the pages a member
// last read — a session's pages and topics — stay readable without a connection.
// - Navigations are network-first; a session or topic page that loaded is kept, and offline the
//   kept copy is answered, marked (data-offline-copy on <html>) so the page says "离线副本".
// - The build's hashed assets and the icons are kept so a kept page still runs offline.
// - Nothing else: no API answers, no photos, no POSTs. Signing in or out empties the cache, so a
//   shared phone never shows the previous person's pages.
const PAGES = "yishi-pages-v1";
const ASSETS = "yishi-assets-v1";
const KEPT = new Set([PAGES, ASSETS]);
/** Pages kept at most: the newest win. */
const MAX_PAGES = 30;
const KEPT_PAGE = /^\/(sessions\/[A-Za-z0-9_-]+(\/(agenda|minutes|items\/[A-Za-z0-9_-]+))?|topics\/[A-Za-z0-9_-]+)\/?$/;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (!KEPT.has(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function forget() {
  await caches.delete(PAGES);
}

async function keepPage(url, response) {
  const cache = await caches.open(PAGES);
  // Re-inserting moves the page to the end, so the oldest is first to go.
  await cache.delete(url);
  await cache.put(url, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) await cache.delete(old);
}

async function offlineCopy(url) {
  const cached = await (await caches.open(PAGES)).match(url);
  if (!cached) return null;
  const html = (await cached.text()).replace(/<html\b/i, '<html data-offline-copy="1"');
  const headers = new Headers(cached.headers);
  headers.delete("content-length");
  return new Response(html, { status: 200, headers });
}

async function navigate(event) {
  const url = new URL(event.request.url);
  try {
    const response = await fetch(event.request);
    if (response.ok && KEPT_PAGE.test(url.pathname) && !url.search && (response.headers.get("content-type") || "").includes("text/html")) {
      event.waitUntil(keepPage(url.href, response.clone()));
    }
    return response;
  } catch (error) {
    const copy = KEPT_PAGE.test(url.pathname) ? await offlineCopy(url.origin + url.pathname) : null;
    if (copy) return copy;
    throw error;
  }
}

async function asset(request) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Another person may sign in on this phone next: their pages are not the last person's.
    if (url.pathname === "/logout" || url.pathname === "/login") event.waitUntil(forget());
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
    return;
  }
  if (url.pathname.startsWith("/assets/") || url.pathname.startsWith("/icons/")) event.respondWith(asset(request));
});

self.addEventListener("message", (event) => {
  if (event.data === "yishi:forget") event.waitUntil(forget());
});
