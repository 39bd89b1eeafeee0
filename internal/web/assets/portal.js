// The portal's script: the phone's share sheet for the referral link,
// the service worker that keeps the card for offline use, and a note when
// offline. Everything works without it.
(function () {
  "use strict";
  if (navigator.share) document.documentElement.classList.add("can-share");
  document.addEventListener("click", function (e) {
    var btn = e.target && e.target.closest ? e.target.closest("[data-share]") : null;
    if (!btn || !navigator.share) return;
    e.preventDefault();
    navigator.share({ title: btn.getAttribute("data-title") || document.title, url: btn.getAttribute("data-share") }).catch(function () {});
  });
  function online() { document.documentElement.classList.toggle("is-offline", !navigator.onLine); }
  window.addEventListener("online", online);
  window.addEventListener("offline", online);
  online();
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/p/sw.js", { scope: "/p/" }).catch(function () {});
})();
