/* Check-in station (congress sessions, training sessions): USB scanner or camera, check-in by
 * name, and offline tolerance.
 *
 * Online, every scan goes to the server, which verifies the pass and records the check-in.
 * When the hall Wi-Fi drops, the station checks passes itself: it verifies the Ed25519
 * signature with WebCrypto against the federation's public key (the format of core/passes.py),
 * looks the holder up in the roster it downloaded (pass serial, revoked flag), remembers who it
 * checked in, and queues the check-ins in localStorage. Back online, it uploads the queue; the
 * server verifies every pass again and keeps one check-in per holder and session.
 *
 * The page's JSON settings (core/station.py) name the app's keys: `holderKey` for the holder
 * in an answer and in a check-in by name, `rosterKey` for the roster's list of holders.
 */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("station-config").textContent);
  const T = cfg.text;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const rosterKey = cfg.storage + "-roster-" + cfg.session;
  const queueKey = cfg.storage + "-queue-" + cfg.session;
  const $ = (id) => document.getElementById(id);
  const result = $("scan-result");
  const REQUEST_TIMEOUT_MS = 4000;
  // Read now: document.currentScript is only set while the script first runs.
  const jsqrUrl = document.currentScript.dataset.jsqr;
  let online = true;
  // One upload at a time: the "online" event and the timer can both start one, and two uploads
  // of the same queue would each drop what was scanned meanwhile.
  let uploading = false;
  let publicKey = null;

  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_, k) => values[k]);
  const load = (key, fallback) => {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  };
  const save = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  function setOnline(state) {
    online = state;
    const net = $("net");
    net.textContent = state ? T.online : T.offline;
    net.dataset.state = state ? "online" : "offline";
    net.className = state ? "" : "offline";
  }

  function showQueue() {
    const queue = load(queueKey, []);
    const el = $("queue-state");
    el.dataset.count = queue.length;
    el.textContent = queue.length ? fmt(T.queued, { count: queue.length }) : "";
  }

  async function request(url, options) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        ...options,
        headers: { "X-CSRFToken": csrf, Accept: "application/json", ...(options && options.headers) },
        signal: controller.signal,
      });
      if (response.status >= 500) throw new TypeError("server error " + response.status);
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  function post(url, data) {
    const body = new URLSearchParams({ station: stationName(), ...data });
    return request(url, { method: "POST", body });
  }

  function stationName() {
    let name = localStorage.getItem(cfg.storage + "-station-name");
    if (!name) {
      name = "station-" + Math.random().toString(36).slice(2, 7);
      localStorage.setItem(cfg.storage + "-station-name", name);
    }
    return name;
  }

  // Showing a result -------------------------------------------------------------------

  function show(body) {
    result.className = "scan-result " + ({ checked_in: "ok", already: "already" }[body.status] || "bad");
    result.dataset.status = body.status;
    result.replaceChildren();
    const d = body[cfg.holderKey];
    if (d && d.photo) {
      const img = document.createElement("img");
      img.src = d.photo;
      img.alt = "";
      result.append(img);
    }
    const text = document.createElement("div");
    if (d) {
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = d.name;
      const line = document.createElement("span");
      line.textContent = d.line || "";
      text.append(name, line, document.createElement("br"));
    }
    const message = document.createElement("strong");
    message.textContent = body.message;
    text.append(message);
    if (body.status === "checked_in" && body.checkin && body.checkin.undo) {
      const undo = document.createElement("button");
      undo.type = "button";
      undo.className = "outline secondary";
      undo.textContent = T.undo;
      undo.style.marginLeft = "1rem";
      undo.addEventListener("click", async () => {
        const response = await post(body.checkin.undo, {});
        if (response.ok) show({ status: "undone", message: T.undone, [cfg.holderKey]: d });
        refreshRoster();
      });
      text.append(undo);
    }
    result.append(text);
  }

  // Online path ----------------------------------------------------------------------------

  async function handleCode(code) {
    code = code.trim();
    if (!code) return;
    if (online) {
      try {
        const response = await post(cfg.scan, { code });
        const body = await response.json();
        show(body);
        if (body.status === "checked_in") rememberLocally(body[cfg.holderKey].id, new Date());
        return;
      } catch (error) {
        setOnline(false);
      }
    }
    show(await checkOffline(code));
  }

  async function manualCheckIn(holderId) {
    if (online) {
      try {
        const response = await post(cfg.manual, { [cfg.holderKey]: holderId });
        show(await response.json());
        htmx.trigger("#search", "search");
        return;
      } catch (error) {
        setOnline(false);
      }
    }
    show(await queueOffline({ [cfg.holderKey]: holderId }, Number(holderId)));
  }

  // Offline path ---------------------------------------------------------------------------

  function b64url(text) {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }

  async function importKey() {
    if (publicKey === null && window.crypto && crypto.subtle) {
      try {
        publicKey = await crypto.subtle.importKey("raw", b64url(cfg.publicKey), { name: "Ed25519" }, false, ["verify"]);
      } catch (error) {
        publicKey = false; // this browser has no Ed25519: the server checks on upload
      }
    }
    return publicKey;
  }

  function tokenOf(code) {
    const at = code.lastIndexOf(cfg.passPrefix);
    return (at >= 0 ? code.slice(at + cfg.passPrefix.length) : code).split("?")[0].replace(/\/+$/, "");
  }

  async function checkOffline(code) {
    const token = tokenOf(code);
    let raw;
    try { raw = b64url(token); } catch (error) { return refused("card_invalid"); }
    if (raw.length !== 13 + 64) return refused("card_invalid");
    const payload = raw.slice(0, 13);
    const key = await importKey();
    if (key) {
      const purpose = new TextEncoder().encode(cfg.purpose);
      const message = new Uint8Array(purpose.length + payload.length);
      message.set(purpose);
      message.set(payload, purpose.length);
      const genuine = await crypto.subtle.verify({ name: "Ed25519" }, key, raw.slice(13), message);
      if (!genuine) return refused("card_invalid");
    }
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    if (view.getUint8(0) !== 1) return refused("card_invalid");
    if (view.getUint32(1) !== cfg.group) return refused("card_other_group");
    const holderId = view.getUint32(5);
    const serial = view.getUint32(9);
    const roster = load(rosterKey, null);
    const entry = roster && (roster.holders || {})[holderId];
    if (!entry) return refused("card_unknown");
    if (entry.revoked) return refused("card_revoked");
    if (entry.serial !== serial) return refused("card_replaced");
    return queueOffline({ token }, holderId);
  }

  function refused(code) {
    return { status: "refused", code, message: T[code] };
  }

  async function queueOffline(item, holderId) {
    const roster = load(rosterKey, { holders: {}, checkedIn: {} });
    const entry = (roster.holders || {})[holderId];
    const seen = roster.checkedIn[holderId];
    const holder = entry && { ...entry, photo: "" };
    if (seen) {
      const time = new Date(seen).toTimeString().slice(0, 5);
      return { status: "already", [cfg.holderKey]: holder, message: fmt(T.already, { time }) };
    }
    const now = new Date();
    const queue = load(queueKey, []);
    queue.push({ ...item, at: now.toISOString() });
    save(queueKey, queue);
    rememberLocally(holderId, now);
    showQueue();
    return { status: "checked_in", [cfg.holderKey]: holder, message: T.offlineOk };
  }

  function rememberLocally(holderId, when) {
    const roster = load(rosterKey, null);
    if (!roster) return;
    roster.checkedIn[holderId] = roster.checkedIn[holderId] || when.toISOString();
    save(rosterKey, roster);
  }

  // Roster and upload ------------------------------------------------------------------------

  async function refreshRoster() {
    try {
      const response = await request(cfg.roster);
      if (!response.ok) return;
      const body = await response.json();
      const previous = load(rosterKey, { checkedIn: {} });
      const holders = {};
      body[cfg.rosterKey].forEach((h) => { holders[h.id] = h; });
      const checkedIn = {};
      body.checkedIn.forEach((id) => { checkedIn[id] = previous.checkedIn[id] || new Date().toISOString(); });
      // While check-ins wait in the queue, the server does not know them yet: keep them.
      if (load(queueKey, []).length) {
        Object.entries(previous.checkedIn || {}).forEach(([id, at]) => { checkedIn[id] = checkedIn[id] || at; });
      }
      save(rosterKey, { holders, checkedIn, saved: new Date().toISOString() });
      $("roster-state").textContent = fmt(T.roster, { count: body[cfg.rosterKey].length });
      setOnline(true);
    } catch (error) {
      setOnline(false);
      const roster = load(rosterKey, null);
      $("roster-state").textContent = roster
        ? fmt(T.roster, { count: Object.keys(roster.holders || {}).length })
        : T.noRoster;
    }
  }

  async function upload() {
    const queue = load(queueKey, []);
    if (!queue.length || uploading) return;
    uploading = true;
    try {
      const response = await request(cfg.upload, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Station": stationName() },
        body: JSON.stringify({ items: queue }),
      });
      if (!response.ok) return;
      await response.json();
      // Only what was sent leaves the queue: scans made during the upload stay.
      save(queueKey, load(queueKey, []).slice(queue.length));
      setOnline(true);
      showQueue();
      refreshRoster();
    } catch (error) {
      setOnline(false);
    } finally {
      uploading = false;
    }
  }

  // Camera -----------------------------------------------------------------------------------

  async function startCamera() {
    const video = $("camera");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      show({ status: "refused", message: T.noCamera });
      return;
    }
    video.srcObject = stream;
    video.style.display = "block";
    await video.play();
    let detect;
    if ("BarcodeDetector" in window) {
      const detector = new BarcodeDetector({ formats: ["qr_code"] });
      detect = async () => ((await detector.detect(video))[0] || {}).rawValue;
    } else {
      await loadScript(jsqrUrl);
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      detect = async () => {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return code && code.data;
      };
    }
    let last = "";
    let lastAt = 0;
    const tick = async () => {
      if (video.readyState >= 2) {
        const value = await detect().catch(() => null);
        // The same card held in front of the camera is one scan, not ten a second.
        if (value && (value !== last || Date.now() - lastAt > 3000)) {
          last = value;
          lastAt = Date.now();
          handleCode(value);
        }
      }
      setTimeout(tick, 200);
    };
    tick();
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      if (window.jsQR) return resolve();
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }

  // Wiring -----------------------------------------------------------------------------------

  $("scan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("scan-code");
    const code = input.value;
    input.value = "";
    input.focus();
    handleCode(code);
  });
  $("search-results").addEventListener("click", (event) => {
    const button = event.target.closest("button.manual-checkin");
    if (button) manualCheckIn(button.dataset.holder);
  });
  $("camera-button").addEventListener("click", startCamera);
  window.addEventListener("online", () => { upload(); refreshRoster(); });
  window.addEventListener("offline", () => setOnline(false));
  refreshRoster().then(upload);
  showQueue();
  setInterval(() => (load(queueKey, []).length ? upload() : refreshRoster()), 15000);
})();
