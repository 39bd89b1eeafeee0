// The portal's service worker: it keeps the last card page (and the
// assets it needs) so the card opens without signal, and forgets it at
// sign-out. Everything else goes to the network.
"use strict";
var CACHE = "loyal-card-v1";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (/\/sign-in$/.test(url.pathname)) { e.waitUntil(caches.delete(CACHE)); return; }
  var keep = url.pathname === "/p/" || url.pathname.indexOf("/assets/") === 0 || url.pathname.indexOf("/p/static/") === 0;
  if (!keep) return;
  e.respondWith(fetch(req).then(function (res) {
    if (res.ok && !res.redirected) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { c.put(req, copy); });
    }
    return res;
  }).catch(function () {
    return caches.match(req).then(function (hit) { return hit || Response.error(); });
  }));
});
