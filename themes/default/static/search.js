/*
 * gongshi built-in theme: the offline search of search.html. No libraries;
 * works from file:// because the index is a script (search-index.js sets
 * window.GONGSHI_SEARCH; its format is described in src/render/search.rs).
 *
 * A query is split at spaces into terms; an item matches when its id,
 * title or text contains every term (case-insensitive), or when the query
 * is its id give or take case and separators ("r012" finds R-012). The
 * index only narrows the candidates: from each term come the character
 * pairs and whole words any text containing it must hold; their postings
 * are intersected and every candidate is then checked by substring, so
 * results are exact. Ranking: id match, then a term in the title, then the
 * rest, each in index order (risks first, by id).
 *
 * The results list gets data-total and data-ms (time of the last query,
 * search and drawing) for tests and benchmarks; window.gongshiSearch(q)
 * returns { total, hits: [item index…] } without drawing.
 */
(function () {
  "use strict";

  var doc = document;
  var box = doc.getElementById("search");
  if (!box) { return; }
  var input = doc.getElementById("search-q");
  var form = input && input.form;
  var status = doc.getElementById("search-status");
  var list = doc.getElementById("search-results");
  var data = window.GONGSHI_SEARCH;
  var SHOWN = 200;         // results drawn
  var EXPAND = 5000;       // vocabulary words one word fragment may stand for
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var root = box.getAttribute("data-root") || "";

  function msg(name, args) {
    var s = box.getAttribute("data-msg-" + name) || "";
    Object.keys(args || {}).forEach(function (k) {
      s = s.split("{" + k + "}").join(String(args[k]));
    });
    return s;
  }

  if (!data || !data.items) {
    status.textContent = msg("unavailable");
    return;
  }

  var items = data.items;
  var N = items.length;
  var DIGIT = new Int8Array(128);
  for (var d = 0; d < ALPHABET.length; d++) { DIGIT[ALPHABET.charCodeAt(d)] = d; }

  /* ---------- tokens (same classes as search.rs) ---------- */

  function isPairChar(c) {
    return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x3040 && c <= 0x30ff) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xac00 && c <= 0xd7af) || (c >= 0xff10 && c <= 0xff19) ||
      c === 0x3005 || c === 0x3007;
  }

  /* Characters lowercasing neither changes nor produces: a query made of
     these alone is matched against the text as it is, with no folding. */
  var CASELESS = /^[\u0000-\u0040\u005b-\u0060\u007b-\u007f\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff01-\uff20\uff3b-\uff40\uff5b-\uffef]*$/;

  function decode(s) {
    var out = [], i, v, j;
    if (s.charCodeAt(0) === 33) { // "!": a bitmap, six items a character
      for (i = 1; i < s.length; i++) {
        v = DIGIT[s.charCodeAt(i)];
        for (j = 0; j < 6; j++) { if (v >> j & 1) { out.push((i - 1) * 6 + j); } }
      }
      return out;
    }
    var n = 0, prev = -1;
    for (i = 0; i < s.length; i++) {
      v = DIGIT[s.charCodeAt(i)];
      n = n * 32 + (v & 31);
      if (v < 32) { prev = prev + 1 + n; out.push(prev); n = 0; }
    }
    return out;
  }

  var cache = {};
  function postings(kind, k) {
    var key = kind + k;
    if (!cache[key]) {
      cache[key] = decode(kind === "b" ? data.bigram_postings[k] : data.word_postings[k]);
    }
    return cache[key];
  }

  function findPair(pair) {
    var s = data.bigrams, lo = 0, hi = s.length / 2 - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, k = s.slice(mid * 2, mid * 2 + 2);
      if (k === pair) { return mid; }
      if (k < pair) { lo = mid + 1; } else { hi = mid - 1; }
    }
    return -1;
  }

  /* First index of words whose word is >= w. */
  function lowerBound(w) {
    var words = data.words, lo = 0, hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid] < w) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /* Vocabulary indices a word fragment may be part of, or null when too
     many to be worth it. `left`/`right`: the fragment is bounded there. */
  function expand(w, left, right) {
    var words = data.words, out = [], i;
    if (left) { // a prefix: a range of the sorted vocabulary
      for (i = lowerBound(w); i < words.length && words[i].lastIndexOf(w, 0) === 0; i++) {
        out.push(i);
        if (out.length > EXPAND) { return null; }
      }
      return out;
    }
    for (i = 0; i < words.length; i++) {
      var x = words[i];
      if (right ? x.length >= w.length && x.indexOf(w, x.length - w.length) >= 0 : x.indexOf(w) >= 0) {
        out.push(i);
        if (out.length > EXPAND) { return null; }
      }
    }
    return out;
  }

  function union(lists) {
    if (lists.length === 1) { return lists[0]; }
    var mark = new Uint8Array(N), out = [], i;
    lists.forEach(function (l) { for (var j = 0; j < l.length; j++) { mark[l[j]] = 1; } });
    for (i = 0; i < N; i++) { if (mark[i]) { out.push(i); } }
    return out;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
    }
    return out;
  }

  /* Adds to `lists` the postings every item containing `t` is in; false
     when a token no item has shows there can be no text match. */
  function constrain(t, lists, seen) {
    var i, k;
    for (i = 0; i + 1 < t.length; i++) {
      if (isPairChar(t.charCodeAt(i)) && isPairChar(t.charCodeAt(i + 1))) {
        var pair = t.slice(i, i + 2);
        if (seen["b" + pair]) { continue; }
        seen["b" + pair] = 1;
        k = findPair(pair);
        if (k < 0) { return false; }
        lists.push(postings("b", k));
      }
    }
    var re = /[0-9a-z]+/g, m;
    while ((m = re.exec(t))) {
      var w = m[0], left = m.index > 0, right = m.index + w.length < t.length;
      if (seen["w" + left + right + w]) { continue; }
      seen["w" + left + right + w] = 1;
      if (left && right) {
        k = lowerBound(w);
        if (data.words[k] !== w) { return false; }
        lists.push(postings("w", k));
      } else {
        var ks = expand(w, left, right);
        if (ks === null) { continue; }
        if (!ks.length) { return false; }
        lists.push(union(ks.map(function (x) { return postings("w", x); })));
      }
    }
    return true;
  }

  /* ---------- matching ---------- */

  var lowered = [];
  function fields(i, fold) {
    var it = items[i];
    if (!fold) { return it; }
    return lowered[i] || (lowered[i] = [0, it[1].toLowerCase(), it[2].toLowerCase(), 0, 0, it[5].toLowerCase()]);
  }

  function norm(s) { return s.toLowerCase().replace(/[\s._\-]+/g, ""); }
  var ids = null; // normalised id → item indices, made on the first id-like query
  function idMatches(q) {
    var n = norm(q);
    if (!/^[0-9a-z]+$/.test(n)) { return []; } // ids are [A-Za-z0-9_.-]
    if (!ids) {
      ids = new Map();
      for (var i = 0; i < N; i++) {
        var k = norm(items[i][1]), l = ids.get(k);
        if (l) { l.push(i); } else { ids.set(k, [i]); }
      }
    }
    return ids.get(n) || [];
  }

  function find(query) {
    var q = query.trim();
    var terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) { return { total: 0, hits: [], terms: [] }; }
    var fold = !CASELESS.test(q);
    var lists = [], seen = {}, possible = true;
    terms.forEach(function (t) { if (possible && !constrain(t, lists, seen)) { possible = false; } });
    var rank = new Int8Array(N).fill(-1);
    idMatches(q).forEach(function (i) { rank[i] = 0; });
    if (possible) {
      var cand = null;
      lists.sort(function (a, b) { return a.length - b.length; });
      lists.forEach(function (l) { cand = cand === null ? l : intersect(cand, l); });
      var n = cand === null ? N : cand.length;
      for (var c = 0; c < n; c++) {
        var i = cand === null ? c : cand[c];
        if (rank[i] === 0) { continue; }
        var f = fields(i, fold), inTitle = false, all = true;
        for (var j = 0; j < terms.length && all; j++) {
          var t = terms[j];
          if (f[2].indexOf(t) >= 0) { inTitle = true; } else if (f[5].indexOf(t) < 0 && f[1].indexOf(t) < 0) { all = false; }
        }
        if (all) { rank[i] = inTitle ? 1 : 2; }
      }
    }
    var hits = [[], [], []];
    for (var x = 0; x < N; x++) { if (rank[x] >= 0) { hits[rank[x]].push(x); } }
    hits = hits[0].concat(hits[1], hits[2]);
    return { total: hits.length, hits: hits, terms: terms };
  }

  /* ---------- drawing ---------- */

  function pattern(terms) {
    var parts = terms.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp(parts.join("|"), "gi");
  }

  function el(name, cls, text) {
    var e = doc.createElement(name);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  /* Appends `s` to `parent` with every match of `re` in <mark>. */
  function marked(parent, s, re) {
    var pos = 0, m;
    re.lastIndex = 0;
    while ((m = re.exec(s))) {
      if (!m[0].length) { re.lastIndex++; continue; }
      if (m.index > pos) { parent.appendChild(doc.createTextNode(s.slice(pos, m.index))); }
      parent.appendChild(el("mark", "", m[0]));
      pos = m.index + m[0].length;
    }
    if (pos < s.length) { parent.appendChild(doc.createTextNode(s.slice(pos))); }
  }

  /* About 120 characters of `text` around its first match. */
  function snippet(text, re) {
    re.lastIndex = 0;
    var m = re.exec(text), at = m ? m.index : 0, width = 120;
    var start = Math.max(0, at - 36), end = Math.min(text.length, start + width);
    start = Math.max(0, Math.min(start, end - width));
    // never cut a character outside the BMP in half
    if (start > 0 && /[\udc00-\udfff]/.test(text.charAt(start))) { start--; }
    if (end < text.length && /[\ud800-\udbff]/.test(text.charAt(end - 1))) { end++; }
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function draw(query, result) {
    var frag = doc.createDocumentFragment(), re = pattern(result.terms);
    result.hits.slice(0, SHOWN).forEach(function (i) {
      var it = items[i], kind = data.kinds[it[0]];
      var li = el("li", "hit hit-" + kind);
      var meta = el("p", "hit-meta");
      meta.appendChild(el("span", "hit-kind", box.getAttribute("data-kind-" + kind) || kind));
      var id = el("span", "hit-id");
      marked(id, it[1], re);
      meta.appendChild(id);
      var g = data.grades[it[4]];
      if (g) {
        var badge = el("span", "grade grade-" + it[4], g.name);
        badge.style.background = g.color;
        badge.style.color = g.text;
        meta.appendChild(badge);
      }
      li.appendChild(meta);
      var title = el("a", "hit-title");
      title.href = root + it[3];
      marked(title, it[2], re);
      li.appendChild(title);
      if (it[5]) {
        var p = el("p", "hit-snippet");
        marked(p, snippet(it[5], re), re);
        li.appendChild(p);
      }
      frag.appendChild(li);
    });
    list.textContent = "";
    list.appendChild(frag);
    var total = result.total;
    status.textContent = !query ? msg("prompt")
      : total === 0 ? msg("none", { q: query })
      : total > SHOWN ? msg("capped", { n: total, shown: SHOWN })
      : msg("count", { n: total });
    list.setAttribute("data-total", String(total));
  }

  function run(query) {
    var t0 = performance.now();
    var q = query.trim();
    draw(q, find(q));
    list.setAttribute("data-ms", (performance.now() - t0).toFixed(1));
    box.setAttribute("data-query", q);
  }

  window.gongshiSearch = find;

  var query = "";
  try { query = new URLSearchParams(window.location.search).get("q") || ""; } catch (e) { query = ""; }
  if (input) { input.value = query; }
  run(query);

  /* Typing searches as you go; the address keeps the query where the
     browser allows it (file:// pages may refuse, which is harmless). */
  var timer = 0;
  function update() {
    var q = input.value;
    run(q);
    try { window.history.replaceState(null, "", "?q=" + encodeURIComponent(q.trim())); } catch (e) { /* file:// */ }
  }
  if (input) {
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
  }
  if (form) {
    form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); update(); });
  }
})();
