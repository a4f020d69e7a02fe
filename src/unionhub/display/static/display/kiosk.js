/* The wall. Runs for days without anyone near it, so:
 * - one setTimeout chain drives everything (slide changes and polls); nothing else schedules;
 * - the playlist is fetched every `refresh` seconds; on any failure the last good content stays
 *   on the wall and the next try backs off exponentially (1 s, 2 s, 4 s … 30 s);
 * - a 404 means the link was revoked: the wall goes blank (it keeps asking, slowly);
 * - slides are patched into the same DOM nodes (a small morph), so an unchanged picture is not
 *   reloaded and the node count stays flat; no listener is added after start-up.
 */
(function () {
  "use strict";

  var stage = document.getElementById("stage");
  var source = stage.getAttribute("data-src");
  var scratch = document.createElement("template");
  var MIN_WAIT = 50;
  var MAX_BACKOFF = 30000;
  var REVOKED_POLL = 60000;
  var FETCH_TIMEOUT = 8000;

  var slides = [];
  var idle = "";
  var refresh = 10000;
  var index = -1;
  var shownKey = null;
  var shownHtml = null;
  var slideEndsAt = 0;
  var nextFetchAt = 0;
  var failures = 0;
  var etag = null;
  var inFlight = false;
  var timer = 0;

  function now() {
    return performance.now();
  }

  // DOM patching ------------------------------------------------------------------------------

  function sameKind(a, b) {
    return a.nodeType === b.nodeType && a.nodeName === b.nodeName;
  }

  function morphAttributes(target, from) {
    var i, attribute;
    for (i = target.attributes.length - 1; i >= 0; i--) {
      attribute = target.attributes[i];
      if (!from.hasAttribute(attribute.name)) target.removeAttribute(attribute.name);
    }
    for (i = 0; i < from.attributes.length; i++) {
      attribute = from.attributes[i];
      if (target.getAttribute(attribute.name) !== attribute.value) {
        target.setAttribute(attribute.name, attribute.value);
      }
    }
  }

  function morphChildren(target, from) {
    var current = target.firstChild;
    var incoming = from.firstChild;
    var nextIncoming, nextCurrent;
    while (incoming) {
      nextIncoming = incoming.nextSibling;
      if (!current) {
        target.appendChild(incoming);
      } else if (sameKind(current, incoming)) {
        if (current.nodeType === 1) {
          morphAttributes(current, incoming);
          morphChildren(current, incoming);
        } else if (current.nodeValue !== incoming.nodeValue) {
          current.nodeValue = incoming.nodeValue;
        }
        current = current.nextSibling;
      } else {
        nextCurrent = current.nextSibling;
        target.replaceChild(incoming, current);
        current = nextCurrent;
      }
      incoming = nextIncoming;
    }
    while (current) {
      nextCurrent = current.nextSibling;
      target.removeChild(current);
      current = nextCurrent;
    }
  }

  function overflowing(element) {
    return element.scrollHeight > element.clientHeight + 1 ||
      element.scrollWidth > element.clientWidth + 1;
  }

  // Start from a size proportional to the height and shrink until the whole slide fits.
  function fit() {
    var size = Math.max(4, window.innerHeight * 0.055);
    var slide = stage.firstElementChild;
    stage.style.fontSize = size + "px";
    for (var i = 0; slide && i < 25 && overflowing(slide); i++) {
      size *= 0.9;
      stage.style.fontSize = size + "px";
    }
  }

  function show(key, html) {
    if (html === shownHtml) return;
    scratch.innerHTML = html;
    morphChildren(stage, scratch.content);
    scratch.innerHTML = "";
    shownKey = key;
    shownHtml = html;
    fit();
  }

  function blank() {
    slides = [];
    idle = "";
    index = -1;
    show(null, "");
  }

  // The playlist --------------------------------------------------------------------------------

  function advance() {
    if (!slides.length) {
      index = -1;
      show(null, idle);
      slideEndsAt = now() + refresh;
      return;
    }
    index = (index + 1) % slides.length;
    show(slides[index].key, slides[index].html);
    slideEndsAt = now() + Math.max(1, slides[index].duration) * 1000;
  }

  function apply(data) {
    refresh = Math.max(1, data.refresh || 10) * 1000;
    idle = data.idle || "";
    slides = data.slides || [];
    var found = -1;
    for (var i = 0; i < slides.length; i++) {
      if (slides[i].key === shownKey) found = i;
    }
    if (found >= 0) {
      // The slide on the wall is still in the playlist: refresh its figures in place.
      index = found;
      show(slides[found].key, slides[found].html);
    } else {
      // It was removed or unscheduled (or nothing was shown): go on with the next one now.
      index = Math.max(-1, Math.min(index, slides.length) - 1);
      advance();
    }
  }

  function backoff() {
    var delay = Math.min(MAX_BACKOFF, 1000 * Math.pow(2, Math.min(failures, 15)));
    return delay * (0.75 + Math.random() * 0.5);
  }

  function received(response) {
    if (response.status === 304) return null;
    if (response.status === 404) {
      var error = new Error("revoked");
      error.revoked = true;
      throw error;
    }
    if (!response.ok) throw new Error("HTTP " + response.status);
    etag = response.headers.get("ETag");
    return response.json();
  }

  function poll() {
    inFlight = true;
    var headers = etag ? { "If-None-Match": etag } : {};
    var options = { cache: "no-store", credentials: "same-origin", headers: headers };
    if (window.AbortSignal && AbortSignal.timeout) options.signal = AbortSignal.timeout(FETCH_TIMEOUT);
    fetch(source, options)
      .then(received)
      .then(function (data) {
        if (data && Array.isArray(data.slides)) apply(data);
        failures = 0;
        nextFetchAt = now() + refresh;
      })
      .catch(function (error) {
        if (error && error.revoked) {
          etag = null;
          failures = 0;
          blank();
          nextFetchAt = now() + REVOKED_POLL;
          return;
        }
        failures += 1;
        nextFetchAt = now() + backoff();
      })
      .then(function () {
        inFlight = false;
      });
  }

  function tick() {
    var t = now();
    if (t >= slideEndsAt) advance();
    if (!inFlight && t >= nextFetchAt) poll();
    // While a request is out, look again soon: its answer may move the next poll earlier.
    var wake = Math.min(slideEndsAt, inFlight ? t + 500 : nextFetchAt);
    timer = window.setTimeout(tick, Math.max(MIN_WAIT, wake - now()));
  }

  window.addEventListener("resize", fit);

  var initial = document.getElementById("kiosk-data");
  try {
    apply(JSON.parse(initial.textContent));
  } catch (error) {
    slides = [];
  }
  initial.parentNode.removeChild(initial);
  nextFetchAt = now() + refresh;
  tick();
})();
