/* The wall's clock: hours and minutes, and the date, in the site's time zone (the wall's
 * browser may be set to anything). Redrawn just after each minute turns; a timer of its own,
 * because the playlist's timer sleeps for a whole slide and the clock must not wait for it. */
(function () {
  "use strict";

  var clock = document.querySelector(".kiosk-clock");
  if (!clock) return;
  var zone = clock.getAttribute("data-tz") || undefined;
  var locale = clock.getAttribute("data-locale") || "vi";
  var time, day;
  try {
    time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: zone });
    day = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: zone });
  } catch (error) {
    // An unknown zone name: fall back to the browser's own clock rather than show nothing.
    time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hour12: false });
    day = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "2-digit", year: "numeric" });
  }

  function draw() {
    var now = new Date();
    var text = time.format(now) + " · " + day.format(now);
    if (clock.textContent !== text) {
      clock.textContent = text;
      clock.setAttribute("datetime", now.toISOString());
    }
    window.setTimeout(draw, 60500 - (now.getTime() % 60000));
  }

  draw();
})();
