// The unit picker (core/widgets.py UnitPicker): htmx fills the list as the officer types; this
// opens it, moves through it with the arrow keys and puts the picked unit's code in the field.
(function () {
  "use strict";

  function parts(node) {
    var box = node.closest && node.closest("[data-unit-picker]");
    if (!box) return null;
    return { box: box, input: box.querySelector("input"), list: box.querySelector("[role=listbox]"), hint: box.querySelector("[data-picked]") };
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
  }

  function setOpen(p, open) {
    p.list.hidden = !open;
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) p.input.removeAttribute("aria-activedescendant");
  }

  function highlight(p, index) {
    var all = options(p);
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (all[index]) {
      p.input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    }
  }

  function pick(p, option) {
    p.input.value = option.getAttribute("data-value");
    if (p.hint) p.hint.textContent = option.getAttribute("data-label");
    setOpen(p, false);
    p.input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var p = parts(event.detail.target);
    if (p && event.detail.target === p.list) setOpen(p, p.list.children.length > 0 && document.activeElement === p.input);
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-unit-picker] [role=option]");
    if (option) {
      pick(parts(option), option);
      return;
    }
    document.querySelectorAll("[data-unit-picker]").forEach(function (box) {
      if (!box.contains(event.target)) setOpen(parts(box), false);
    });
  });

  document.addEventListener("keydown", function (event) {
    var p = parts(event.target);
    if (!p || event.target !== p.input) return;
    var all = options(p);
    var current = all.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" && all.length) {
      setOpen(p, true);
      highlight(p, Math.min(all.length - 1, current + 1));
      event.preventDefault();
    } else if (event.key === "ArrowUp" && all.length) {
      highlight(p, Math.max(0, current - 1));
      event.preventDefault();
    } else if (event.key === "Enter" && !p.list.hidden && all[current]) {
      pick(p, all[current]);
      event.preventDefault();
    } else if (event.key === "Escape") {
      setOpen(p, false);
    }
  });
})();
