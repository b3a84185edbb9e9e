// Firebreak static export: search as you type over window.FIREBREAK_INDEX
// (search-index.js). Plain JavaScript, no dependencies. Every word must
// match (word beginnings count); the title weighs most, then services and
// tags, then the summary, factors and postmortem. Filters: service:
// severity: status: (status:open) tag:, as in the app. Results are built
// with textContent, so nothing in the data is ever parsed as HTML.
(function () {
  "use strict";
  var data = window.FIREBREAK_INDEX;
  var form = document.getElementById("search");
  if (!data || !form) return;
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  var all = document.getElementById("all");
  var tbody = document.getElementById("result-rows");
  var count = document.getElementById("result-count");
  var LIMIT = 200;
  var ICONS = { investigating: "◎", identified: "◆", monitoring: "◐", resolved: "✓", duplicate: "⧉", declined: "⊘" };
  var ACTIVE = { investigating: 1, identified: 1, monitoring: 1 };

  var STOP = {};
  (data.stop || []).forEach(function (w) { STOP[w] = 1; });

  function words(s) {
    return s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  // What the index leaves out of its words can not be required of a query.
  function queryWords(s) {
    return words(s).filter(function (w) { return !STOP[w] && !/^[\x00-\x7f]$/.test(w); });
  }
  function lower(s) { return s.toLowerCase(); }
  function spaced(list) { return " " + list.join(" ") + " "; }

  var docs = data.rows.map(function (r) {
    return { r: r, t: spaced(words(r.t)), l: spaced(words(r.c.concat(r.g).join(" "))), c: r.c.map(lower), g: r.g.map(lower) };
  });

  function parse(q) {
    var p = { terms: [], severity: [], status: [], service: [], tag: [] };
    q.split(/\s+/).forEach(function (part) {
      var m = /^(service|severity|sev|status|tag|factor):"?([^"]+)"?$/i.exec(part);
      if (!m) { p.terms = p.terms.concat(queryWords(part)); return; }
      var key = m[1].toLowerCase(), value = m[2].toLowerCase();
      if (key === "sev" || key === "severity") p.severity.push("SEV" + value.replace(/^sev/, ""));
      else if (key === "factor") p.terms = p.terms.concat(queryWords(value));
      else p[key].push(value);
    });
    return p;
  }

  function anyOf(wanted, have) {
    return !wanted.length || wanted.some(function (w) { return have.indexOf(w) >= 0; });
  }
  function statusMatches(wanted, status) {
    return !wanted.length || wanted.some(function (w) { return w === status || (w === "open" && ACTIVE[status]); });
  }
  function inWords(w, term) {
    return w.lastIndexOf(term, 0) === 0 || w.indexOf(" " + term) >= 0;
  }

  // 0 when the incident does not match; otherwise higher is better.
  function score(d, p) {
    var r = d.r;
    if (!anyOf(p.severity, [r.v]) || !statusMatches(p.status, r.s)) return 0;
    if (!anyOf(p.service, d.c) || !anyOf(p.tag, d.g)) return 0;
    var total = 1;
    for (var i = 0; i < p.terms.length; i++) {
      var term = p.terms[i], s = 0;
      if (d.t.indexOf(" " + term) >= 0) s += d.t.indexOf(" " + term + " ") >= 0 ? 4 : 3;
      if (d.l.indexOf(" " + term) >= 0) s += 2;
      if (inWords(r.w, term)) s += 1;
      if (!s) return 0;
      total += s;
    }
    return total;
  }

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    if (text !== undefined) td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  function link(parent, href, text, isolate) {
    var a = document.createElement("a");
    a.href = href;
    var inner = isolate ? document.createElement("bdi") : a;
    inner.textContent = text;
    if (isolate) a.appendChild(inner);
    parent.appendChild(a);
  }
  function row(r) {
    var tr = document.createElement("tr");
    var href = "incidents/INC-" + r.i + ".html";
    var sev = document.createElement("span");
    sev.className = "sev " + r.v.toLowerCase();
    sev.textContent = r.v;
    cell(tr).appendChild(sev);
    link(cell(tr, undefined, "mono"), href, "INC-" + r.i);
    link(cell(tr, undefined, "title"), href, r.t, true);
    var status = document.createElement("span");
    status.className = "status status-" + r.s;
    var icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = ICONS[r.s] || "";
    status.appendChild(icon);
    status.appendChild(document.createTextNode(" " + r.s.charAt(0).toUpperCase() + r.s.slice(1)));
    cell(tr).appendChild(status);
    cell(tr, r.c.join(", "), "wrap");
    cell(tr, r.d, "mono");
    cell(tr, r.m, "mono");
    return tr;
  }

  function run() {
    var q = input.value.trim();
    if (history.replaceState) history.replaceState(null, "", q ? "#q=" + encodeURIComponent(q) : location.pathname);
    if (!q) { results.hidden = true; all.hidden = false; return; }
    var p = parse(q), hits = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], p);
      if (s) hits.push([s, i]);
    }
    // Best first; among equals, the list's order (newest first).
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    var rows = document.createDocumentFragment();
    hits.slice(0, LIMIT).forEach(function (h) { rows.appendChild(row(docs[h[1]].r)); });
    tbody.textContent = "";
    tbody.appendChild(rows);
    var n = hits.length;
    count.textContent = n === 0 ? "No incidents match." :
      n + (n === 1 ? " incident matches" : " incidents match") + (n > LIMIT ? "; the best " + LIMIT + " are shown." : ".");
    results.hidden = false;
    all.hidden = true;
  }

  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, docs.length > 20000 ? 150 : 40);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  document.addEventListener("keydown", function (e) {
    var el = document.activeElement;
    if (e.key === "/" && !(el && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) {
      e.preventDefault();
      input.focus();
    }
  });
  form.hidden = false;
  var note = document.getElementById("no-search");
  if (note) note.hidden = true;
  var m = /^#q=(.*)$/.exec(location.hash);
  if (m) {
    try { input.value = decodeURIComponent(m[1]); } catch (e) { input.value = ""; }
    run();
  }
})();
