// The report's groups: collapsed by default; opening one fetches its lines once (htmx), closing
// hides them. Kept in a file so the Content-Security-Policy can refuse inline scripts.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.group-toggle");
    if (!button) {
      return;
    }
    var body = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    body.hidden = !open;
    if (open && !body.dataset.loaded) {
      body.dataset.loaded = "1";
      window.htmx.ajax("GET", button.dataset.url, { target: body, swap: "innerHTML" });
    }
  });
})();
