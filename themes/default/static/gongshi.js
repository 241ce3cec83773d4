/*
 * gongshi built-in theme: small enhancements. The pages are complete
 * without this script; it works from file:// and uses no libraries.
 *
 *  - table.sortable: sort by a column (th[data-sort] becomes a button;
 *    keys from td[data-key] when present, else the cell text).
 *  - form.filters: filter the register by grade, type, department and
 *    review state (internal audiences);
 *    the state lives in location.hash (#grade=一级&type=…), so links can
 *    pre-filter the register.
 *  - .period-status: the notice period's state against today's date (done
 *    here, not at build time, so built pages never depend on the day).
 *
 * When everything ran, <html data-gongshi="ok"> is set; data-gongshi-css
 * tells whether gongshi.css applied (the browser tests read both).
 */
(function () {
  "use strict";

  var doc = document;
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  /* ---------- sortable tables ---------- */

  var collator = (typeof Intl !== "undefined" && Intl.Collator)
    ? new Intl.Collator(doc.documentElement.lang || undefined, { numeric: true })
    : null;

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-key");
    return key !== null ? key : (cell.textContent || "").trim();
  }

  function compare(kind, a, b) {
    if (kind === "num") {
      var x = parseFloat(a), y = parseFloat(b);
      if (isNaN(x)) { x = Infinity; }
      if (isNaN(y)) { y = Infinity; }
      return x === y ? 0 : (x < y ? -1 : 1);
    }
    return collator ? collator.compare(a, b) : (a < b ? -1 : (a > b ? 1 : 0));
  }

  function sortTable(table, th, index) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var kind = th.getAttribute("data-sort") || "text";
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, key: cellKey(row, index), i: i };
    });
    rows.sort(function (a, b) {
      var c = compare(kind, a.key, b.key);
      if (!ascending) { c = -c; }
      return c !== 0 ? c : a.i - b.i;
    });
    var frag = doc.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r.row); });
    body.appendChild(frag);
    each(table.tHead ? table.tHead.rows[0].cells : [], function (h) {
      if (h !== th) { h.removeAttribute("aria-sort"); }
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function initSortable(table) {
    if (!table.tHead || !table.tHead.rows.length) { return; }
    each(table.tHead.rows[0].cells, function (th, index) {
      if (!th.hasAttribute("data-sort")) { return; }
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "sort";
      // print repeats <thead> on every page but not buttons' text, so
      // the label is kept on the th too (gongshi.css prints it from there)
      th.setAttribute("data-label", (th.textContent || "").trim());
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, th, index); });
    });
  }

  /* ---------- register filters, kept in location.hash ---------- */

  function decode(s) {
    try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch (e) { return s; }
  }

  function readHash() {
    var state = {};
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") < 0) { return state; }
    hash.split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq > 0) { state[decode(part.slice(0, eq))] = decode(part.slice(eq + 1)); }
    });
    return state;
  }

  function writeHash(hash) {
    var current = location.hash.replace(/^#/, "");
    if (current === hash) { return; }
    var url = location.href.split("#")[0] + (hash ? "#" + hash : "");
    try {
      history.replaceState(history.state, "", url);
    } catch (e) {
      location.replace(hash ? "#" + hash : "#");
    }
  }

  function initFilters(form) {
    var table = doc.getElementById(form.getAttribute("data-for") || "register");
    if (!table || !table.tBodies[0]) { return; }
    var selects = form.querySelectorAll("select[data-filter]");
    var output = form.querySelector("output.shown");
    var rows = table.tBodies[0].rows;

    function apply(updateHash) {
      var want = {};
      var parts = [];
      each(selects, function (s) {
        var name = s.getAttribute("data-filter");
        if (s.value) {
          want[name] = s.value;
          parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(s.value));
        }
      });
      var shown = 0;
      each(rows, function (row) {
        var ok = true;
        for (var name in want) {
          if (Object.prototype.hasOwnProperty.call(want, name) &&
              row.getAttribute("data-" + name) !== want[name]) { ok = false; }
        }
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (output) {
        var template = output.getAttribute("data-template") || "{n} / {total}";
        output.textContent = template.replace("{n}", String(shown)).replace("{total}", String(rows.length));
      }
      if (updateHash) { writeHash(parts.join("&")); }
    }

    function fromHash() {
      var state = readHash();
      each(selects, function (s) {
        var value = state[s.getAttribute("data-filter")] || "";
        var found = false;
        each(s.options, function (o) { if (o.value === value) { found = true; } });
        s.value = found ? value : "";
      });
      apply(false);
    }

    each(selects, function (s) {
      s.addEventListener("change", function () { apply(true); });
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { apply(true); }, 0);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    window.addEventListener("hashchange", fromHash);
    form.hidden = false;
    fromHash();
  }

  /* ---------- the notice period ---------- */

  function parseDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
    return m ? new Date(+m[1], +m[2] - 1, +m[3]) : null;
  }

  function initPeriod(status) {
    var holder = status.closest("[data-start], [data-end]") || status;
    var start = parseDate(holder.getAttribute("data-start"));
    var end = parseDate(holder.getAttribute("data-end"));
    var now = new Date();
    var today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    var text = "", state = "";
    if (start && today < start) {
      text = status.getAttribute("data-upcoming") || "";
      state = "is-upcoming";
    } else if (end && today > end) {
      text = status.getAttribute("data-ended") || "";
      state = "is-ended";
    } else if (end) {
      // days left, today included
      var n = Math.round((end - today) / 86400000) + 1;
      text = (status.getAttribute("data-remaining") || "").replace("{n}", String(n));
      state = "is-open";
    }
    status.textContent = text;
    if (state) { status.classList.add(state); }
  }

  /* ---------- run ---------- */

  function init() {
    each(doc.querySelectorAll("table.sortable"), initSortable);
    each(doc.querySelectorAll("form.filters"), initFilters);
    each(doc.querySelectorAll(".period-status"), initPeriod);
    var root = doc.documentElement;
    var css = window.getComputedStyle(root).getPropertyValue("--gongshi-css");
    root.setAttribute("data-gongshi-css", css && css.trim() ? "1" : "0");
    root.setAttribute("data-gongshi", "ok");
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
