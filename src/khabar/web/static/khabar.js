// Keyboard shortcuts for the reader: j/k move, o opens, / searches, ? shows help.
(function () {
  "use strict";
  var current = -1;

  function entries() {
    return Array.prototype.slice.call(document.querySelectorAll(".entry"));
  }

  function select(index) {
    var list = entries();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (el, i) { el.classList.toggle("is-current", i === current); });
    var link = list[current].querySelector(".entry-link");
    list[current].scrollIntoView({ block: "nearest" });
    if (link) link.focus({ preventScroll: true });
  }

  function openCurrent() {
    var list = entries();
    var entry = list[current < 0 ? 0 : current];
    var link = entry && entry.querySelector(".entry-link");
    if (link) link.click();
  }

  function help(show) {
    var box = document.getElementById("help");
    if (!box) return;
    box.hidden = show === undefined ? !box.hidden : !show;
    if (!box.hidden) document.getElementById("help-close").focus();
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") { help(false); return; }
    if (typing(event.target)) return;
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "o": openCurrent(); break;
      case "/": var q = document.getElementById("q"); if (q) q.focus(); break;
      case "?": help(); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var close = document.getElementById("help-close");
    if (close) close.addEventListener("click", function () { help(false); });
  });
})();
