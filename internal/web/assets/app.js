// Loyal's own script: small behaviours the pages need without inline
// script (the Content-Security-Policy allows none). Everything works
// without it; it only saves a click.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  document.addEventListener("click", function (e) {
    var btn = e.target && e.target.closest ? e.target.closest("[data-copy]") : null;
    if (!btn) return;
    var src = document.getElementById(btn.getAttribute("data-copy"));
    if (src && navigator.clipboard) {
      navigator.clipboard.writeText(src.textContent.trim());
      btn.setAttribute("aria-label", btn.getAttribute("data-copied") || "Copied");
    }
  });
  // A form is sent once: a second click while the first is on its way
  // does nothing (the server also ignores repeats of the same form).
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.getAttribute("data-sending")) { e.preventDefault(); return; }
    f.setAttribute("data-sending", "1");
    setTimeout(function () { f.removeAttribute("data-sending"); }, 4000);
  });
})();
