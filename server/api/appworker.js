// Doorstep's service worker: go-app's ServiceWorkerTemplate, with
// {{.Version}} and {{.ResourcesToCache}} filled in by the server.
//
// Promises it keeps:
// - It never touches a request that is not a GET, that goes to another
//   origin, or that goes to the API (/api/), the tenant pages (/t/) or
//   /healthz: those always reach the network.
// - A navigation (a cold start, a deep link, a URL with a query string) is
//   answered from the cache ignoring the query, then from the network, then
//   with the cached shell "/", whose wasm router shows the right page.
// - A failed precache never touches a working cache: install fails, the old
//   worker keeps serving from its own cache, and old caches are deleted only
//   on activate, once the new cache is complete.
// - go-app hears of a new version, and only of a new one (see activate).
const cacheName = "doorstep-{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

self.addEventListener("install", (event) => {
  event.waitUntil(install());
});

async function install() {
  const existed = await caches.has(cacheName);
  try {
    const cache = await caches.open(cacheName);
    // "no-cache" revalidates with the server, so the browser's HTTP cache
    // cannot put an older file into this version's cache.
    await cache.addAll(resourcesToCache.map((url) => new Request(url, { cache: "no-cache" })));
  } catch (err) {
    // A half-filled cache for this version must not serve anything later.
    if (!existed) {
      await caches.delete(cacheName);
    }
    throw err;
  }
  await self.skipWaiting();
}

self.addEventListener("activate", (event) => {
  event.waitUntil(activate());
});

async function activate() {
  const old = (await caches.keys()).filter((key) => key !== cacheName);
  await Promise.all(old.map((key) => caches.delete(key)));
  // go-app reports an update when a worker activates while the page has a
  // controller. Claiming the open pages when this version replaces another
  // gives them one, so even a page opened before any worker was installed
  // learns of the update. On a first install there is nothing to update
  // from, and claiming would make go-app announce a new version at once.
  if (old.length > 0) {
    await self.clients.claim();
  }
  console.log("doorstep worker {{.Version}} active");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || passThrough(url.pathname)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});

function passThrough(path) {
  return path === "/api" || path.startsWith("/api/") ||
    path === "/t" || path.startsWith("/t/") ||
    path === "/healthz";
}

async function navigate(request) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) {
    return cached;
  }
  let response;
  try {
    response = await fetch(request);
    if (response.status < 500) {
      return response;
    }
  } catch (err) {
    // Offline, or the server is down: fall back to the shell.
  }
  const shell = await cache.match("/");
  if (shell) {
    return shell;
  }
  return response || Response.error();
}

// cacheFirst reads only this version's cache, so a newer version's
// half-filled cache can never mix its files into this one.
async function cacheFirst(request) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) {
    return cached;
  }
  return fetch(request);
}

// go-app's notifications post this message to the worker.
self.addEventListener("message", (event) => {
  const msg = event.data;
  if (!msg || msg.type !== "goapp:notify") {
    return;
  }
  const n = msg.options || {};
  event.waitUntil(self.registration.showNotification(n.title || "Doorstep", {
    body: n.body,
    icon: n.icon,
    badge: n.badge,
    data: { goapp: { path: n.path || "/" } },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = (event.notification.data && event.notification.data.goapp && event.notification.data.goapp.path) || "/";
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window" });
    for (const client of windows) {
      if ("focus" in client) {
        await client.focus();
        client.postMessage({ goapp: { type: "notification", path: path } });
        return;
      }
    }
    if (self.clients.openWindow) {
      await self.clients.openWindow(path);
    }
  })());
});
