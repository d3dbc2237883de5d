// The reader's little script: light/dark theme and Hijri dates (saved in localStorage),
// and keyboard shortcuts: j/k move, o opens, / searches, t switches the theme, ? shows help.
// Loaded in <head> without defer so the saved choices apply before the page is painted.
(function () {
  "use strict";
  var root = document.documentElement;
  var THEME = "khabar-theme";
  var CALENDAR = "khabar-calendar";
  var current = -1;

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: not kept */ }
  }

  function applyChoices() {
    var theme = stored(THEME);
    if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
    else root.removeAttribute("data-theme");
    root.setAttribute("data-calendar", stored(CALENDAR) === "hijri" ? "hijri" : "gregorian");
  }

  function activeTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen;
    return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function showChoices() {
    var dark = activeTheme() === "dark";
    var themeButton = document.getElementById("theme-toggle");
    if (themeButton) {
      themeButton.setAttribute("aria-pressed", String(dark));
      themeButton.textContent = dark ? "الوضع الفاتح" : "الوضع الداكن";
    }
    var hijri = root.getAttribute("data-calendar") === "hijri";
    var calendarButton = document.getElementById("calendar-toggle");
    if (calendarButton) {
      calendarButton.setAttribute("aria-pressed", String(hijri));
      calendarButton.textContent = hijri ? "التاريخ الميلادي فقط" : "التاريخ الهجري";
    }
  }

  function toggleTheme() {
    store(THEME, activeTheme() === "dark" ? "light" : "dark");
    applyChoices();
    showChoices();
  }

  function toggleCalendar() {
    store(CALENDAR, root.getAttribute("data-calendar") === "hijri" ? "gregorian" : "hijri");
    applyChoices();
    showChoices();
  }

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

  applyChoices();

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") { help(false); return; }
    if (typing(event.target)) return;
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "o": openCurrent(); break;
      case "/": var q = document.getElementById("q"); if (q) q.focus(); break;
      case "t": toggleTheme(); break;
      case "?": help(); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var close = document.getElementById("help-close");
    if (close) close.addEventListener("click", function () { help(false); });
    var themeButton = document.getElementById("theme-toggle");
    if (themeButton) themeButton.addEventListener("click", toggleTheme);
    var calendarButton = document.getElementById("calendar-toggle");
    if (calendarButton) calendarButton.addEventListener("click", toggleCalendar);
    showChoices();
  });
})();
