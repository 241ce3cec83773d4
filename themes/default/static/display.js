/*
 * gongshi built-in theme: the 大字 / 高对比 / 标准 switch (适老化 and
 * accessibility). Loaded in <head>, so the chosen display applies before
 * the page is drawn; the choice is kept in localStorage, which browsers
 * keep for pages opened from disk (file://) too, so it follows the reader
 * from page to page. Without scripts the switch stays hidden and the
 * pages show in the standard display.
 *
 *   <html data-large>     type 1.5 × the standard size (gongshi.css)
 *   <html data-contrast>  text at 7:1 or more, grades in black on white
 */
(function () {
  "use strict";

  var KEY = "gongshi-display";
  var MODES = ["large", "contrast"];
  var root = document.documentElement;

  function load() {
    try { return (localStorage.getItem(KEY) || "").split(" "); } catch (e) { return []; }
  }

  function save(on) {
    try { localStorage.setItem(KEY, on.join(" ")); } catch (e) { /* private mode: this page only */ }
  }

  function apply(on) {
    MODES.forEach(function (m) {
      if (on.indexOf(m) >= 0) { root.setAttribute("data-" + m, ""); } else { root.removeAttribute("data-" + m); }
    });
  }

  function current() {
    return MODES.filter(function (m) { return root.hasAttribute("data-" + m); });
  }

  apply(load());

  function wire() {
    var group = document.querySelector(".display-switch");
    if (!group) { return; }
    var buttons = group.querySelectorAll("button[data-display]");
    function show() {
      var on = current();
      Array.prototype.forEach.call(buttons, function (b) {
        var m = b.getAttribute("data-display");
        var pressed = m === "standard" ? on.length === 0 : on.indexOf(m) >= 0;
        b.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
    }
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () {
        var m = b.getAttribute("data-display");
        var on = current();
        if (m === "standard") {
          on = [];
        } else if (on.indexOf(m) >= 0) {
          on = on.filter(function (x) { return x !== m; });
        } else {
          on.push(m);
        }
        apply(on);
        save(on);
        show();
      });
    });
    show();
    group.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
