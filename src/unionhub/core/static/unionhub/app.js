// Small behaviours for every page, kept out of the templates so the Content-Security-Policy
// can refuse inline scripts.
(function () {
  "use strict";
  // <select data-submit-on-change>: the language switcher submits its form when changed.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
  // <input data-select-on-click>: one click selects a link to copy.
  document.addEventListener("click", function (event) {
    var field = event.target;
    if (field.matches && field.matches("input[data-select-on-click]")) {
      field.select();
    }
  });
  // [data-reload-when-finished]: a page that follows a background job reloads to show the job's
  // outcome once its progress bar (core/_job_progress.html) says it is done or failed.
  document.addEventListener("htmx:afterSettle", function () {
    var bar = document.querySelector("[data-reload-when-finished] .job");
    if (bar && (bar.dataset.status === "done" || bar.dataset.status === "failed")) {
      window.location.reload();
    }
  });
})();
// A link to a folded section (e.g. the home page's "grassroots unions directly under, by
// sector" → the unit page's group) opens it.
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", openTarget);
})();
