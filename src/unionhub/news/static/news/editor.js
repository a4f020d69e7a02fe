/* A small rich-text toolbar for the story body, written for UnionHub (no dependency, no CDN).
   Without JavaScript the body is a plain textarea of HTML; with it, the textarea is replaced by
   an editable area whose HTML is copied back on submit. The server sanitises whatever arrives. */
(function () {
  "use strict";
  var COMMANDS = [
    ["bold", "B"], ["italic", "I"], ["underline", "U"],
    ["formatBlock:h2", "H2"], ["formatBlock:h3", "H3"], ["formatBlock:p", "¶"],
    ["insertUnorderedList", "•"], ["insertOrderedList", "1."], ["formatBlock:blockquote", "❝"],
    ["createLink", "🔗"], ["unlink", "⛓"], ["removeFormat", "⌫"]
  ];
  function setup(textarea) {
    var area = document.createElement("div");
    area.className = "rich-editor";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.innerHTML = textarea.value;
    var bar = document.createElement("div");
    bar.className = "rich-toolbar";
    COMMANDS.forEach(function (entry) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = entry[1];
      button.title = entry[0];
      button.addEventListener("click", function () {
        var parts = entry[0].split(":");
        var value = parts[1] ? "<" + parts[1] + ">" : null;
        if (parts[0] === "createLink") {
          value = window.prompt("URL", "https://");
          if (!value || !/^(https?:|mailto:|tel:)/i.test(value)) { return; }
        }
        area.focus();
        document.execCommand(parts[0], false, value);
      });
      bar.appendChild(button);
    });
    textarea.style.display = "none";
    textarea.parentNode.insertBefore(bar, textarea);
    textarea.parentNode.insertBefore(area, textarea);
    textarea.form.addEventListener("submit", function () { textarea.value = area.innerHTML; });
  }
  document.querySelectorAll("textarea[data-rich-editor]").forEach(setup);
})();
