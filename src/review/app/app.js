// The review app: a page of the server's queue at a time, keyboard first.
// Every text of the corpus is put in the page with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

const state = {
  filters: { order: "score", status: "", flag: "", min_score: "", max_score: "", doc: "" },
  offset: 0,
  limit: 50,
  page: { total: 0, offset: 0, pairs: [] },
  sel: -1,
  undo: [],
  busy: false,
};

const FILTER_INPUTS = {
  order: "f-order", status: "f-status", flag: "f-flag",
  min_score: "f-min", max_score: "f-max", doc: "f-doc",
};

async function api(path, options) {
  const response = await fetch(path, Object.assign({ credentials: "same-origin" }, options));
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  return { status: response.status, body };
}

function message(text, ok) {
  const el = $("d-message");
  el.textContent = text || "";
  el.className = ok ? "ok" : "";
}

// --- the queue -------------------------------------------------------------------------

function query(extra) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(state.filters)) {
    if (value !== "") params.set(name, value);
  }
  params.set("offset", String(state.offset));
  params.set("limit", String(state.limit));
  for (const [name, value] of Object.entries(extra || {})) params.set(name, value);
  return params.toString();
}

async function loadPage(select, focus) {
  const extra = focus ? { focus_doc: focus.doc, focus_pair: String(focus.pair) } : null;
  const { status, body } = await api("/api/pairs?" + query(extra));
  if (status !== 200) {
    message((body && body.error) || "cannot load the pairs (" + status + ")");
    return;
  }
  state.page = body;
  state.offset = body.offset;
  let index = 0;
  if (focus) {
    const at = body.pairs.findIndex((p) => p.doc_id === focus.doc && p.pair === focus.pair);
    index = at >= 0 ? at : 0;
  } else if (select === "last") {
    index = body.pairs.length - 1;
  } else if (typeof select === "number") {
    index = select;
  }
  renderRows();
  selectRow(Math.max(0, Math.min(index, body.pairs.length - 1)));
}

function matchesStatus(pair) {
  const wanted = state.filters.status;
  if (wanted === "") return true;
  if (wanted === "reviewed") return pair.status !== "pending";
  if (wanted === "stale") return pair.stale !== null;
  return pair.status === wanted;
}

function statusText(pair) {
  if (pair.stale && pair.status === "pending") return "stale";
  return pair.status + (pair.edited !== null ? " (edited)" : "");
}

function rowFor(pair, index) {
  const tr = document.createElement("tr");
  tr.dataset.index = String(index);
  tr.dataset.id = String(pair.id);
  tr.className = pair.stale && pair.status === "pending" ? "stale" : pair.status;
  const cells = [
    pair.doc_id + " #" + pair.pair,
    pair.score === null ? "–" : pair.score.toFixed(2),
    statusText(pair),
    pair.flags.map((f) => f.kind).join(", "),
    pair.src,
  ];
  for (const text of cells) {
    const td = document.createElement("td");
    td.textContent = text;
    tr.appendChild(td);
  }
  tr.addEventListener("click", () => selectRow(index));
  return tr;
}

function renderRows() {
  const rows = $("rows");
  rows.replaceChildren(...state.page.pairs.map(rowFor));
  const { total, offset, pairs } = state.page;
  $("page-info").textContent = total === 0
    ? "no pair matches"
    : (offset + 1) + "–" + (offset + pairs.length) + " of " + total;
  $("prev").disabled = offset === 0;
  $("next").disabled = offset + pairs.length >= total;
}

function replacePair(pair) {
  const index = state.page.pairs.findIndex((p) => p.id === pair.id);
  if (index < 0) return;
  state.page.pairs[index] = pair;
  const old = $("rows").children[index];
  const row = rowFor(pair, index);
  if (index === state.sel) row.classList.add("selected");
  if (old) old.replaceWith(row);
  if (index === state.sel) renderDetail(pair);
}

function current() {
  return state.page.pairs[state.sel] || null;
}

function selectRow(index) {
  const rows = $("rows").children;
  for (const row of rows) row.classList.remove("selected");
  state.sel = index;
  const pair = current();
  $("detail").hidden = pair === null;
  if (pair === null) return;
  rows[index].classList.add("selected");
  rows[index].scrollIntoView({ block: "nearest" });
  renderDetail(pair);
  writeHash(pair);
}

async function move(delta) {
  const next = state.sel + delta;
  if (next >= 0 && next < state.page.pairs.length) {
    selectRow(next);
    return;
  }
  const { offset, total, pairs } = state.page;
  if (delta > 0 && offset + pairs.length < total) {
    // Pairs decided here that left the filter no longer count in the server's offsets.
    const gone = pairs.filter((p) => !matchesStatus(p)).length;
    state.offset = offset + pairs.length - gone;
    await loadPage(0);
  } else if (delta < 0 && offset > 0) {
    state.offset = Math.max(0, offset - state.limit);
    await loadPage("last");
  } else if (delta > 0) {
    message("last pair of the queue", true);
  }
}

// --- the pair --------------------------------------------------------------------------

function renderDetail(pair) {
  const score = pair.score === null ? "no score" : "score " + pair.score.toFixed(3);
  $("d-meta").textContent = pair.doc_id + " · pair " + pair.pair + " · " + score + " · "
    + statusText(pair) + (pair.reviewer ? " by " + pair.reviewer : "") + " · version " + pair.version;
  $("d-flags").replaceChildren(...pair.flags.map((flag) => {
    const li = document.createElement("li");
    li.textContent = flag.kind + ": " + flag.detail;
    return li;
  }));
  $("d-src").textContent = pair.src;
  $("d-tgt").textContent = pair.tgt;
  const stale = $("d-stale");
  stale.hidden = pair.stale === null;
  if (pair.stale) {
    stale.textContent = "The text of this pair changed since it was " + pair.stale.status
      + " by " + pair.stale.reviewer + " (" + pair.stale.decided_at + ")"
      + (pair.stale.edited !== null ? ", edited to: " + pair.stale.edited : "")
      + ". That decision is not applied: decide again.";
  }
  $("d-edit").value = pair.edited !== null ? pair.edited : pair.tgt;
  $("d-comment").value = pair.comment || "";
  renderDiff();
  message("");
}

// Words with the spaces after them, so that a changed word shows as one change.
function tokens(text) {
  return text.match(/\S+\s*|\s+/g) || [];
}

// Word diff of the edited text against the run's target (longest common subsequence).
function diff(a, b) {
  const x = tokens(a), y = tokens(b);
  if (x.length * y.length > 250000) return [["del", a], ["ins", b]];
  const n = x.length, m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  const push = (kind, text) => {
    if (out.length && out[out.length - 1][0] === kind) out[out.length - 1][1] += text;
    else out.push([kind, text]);
  };
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { push("same", x[i]); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) { push("del", x[i]); i++; }
    else { push("ins", y[j]); j++; }
  }
  while (i < n) push("del", x[i++]);
  while (j < m) push("ins", y[j++]);
  return out;
}

function renderDiff() {
  const pair = current();
  const box = $("d-diff");
  if (pair === null) return;
  const edited = $("d-edit").value;
  if (edited === pair.tgt) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(...diff(pair.tgt, edited).map(([kind, text]) => {
    const el = document.createElement(kind === "same" ? "span" : kind);
    el.textContent = text;
    return el;
  }));
}

function editing() {
  return document.activeElement === $("d-edit");
}

async function save(status, advance) {
  const pair = current();
  if (pair === null || state.busy) return;
  state.busy = true;
  const started = performance.now();
  try {
    const edited = $("d-edit").value;
    const comment = $("d-comment").value;
    const body = {
      status,
      tgt: status === "rejected" && edited === pair.tgt ? null : edited,
      comment: comment.trim() === "" ? null : comment,
      version: pair.version,
    };
    const before = { status: pair.status, tgt: pair.edited, comment: pair.comment };
    const { status: code, body: answer } = await post(pair.id, body);
    if (code === 200) {
      state.undo.push({ id: pair.id, before });
      $("d-edit").blur();
      replacePair(answer);
      loadSummary();
      if (advance) await move(1);
      message(status + ": saved", true);
      // Milliseconds from the key to the next pair shown, and how many saves so far.
      document.body.dataset.saveMs = (performance.now() - started).toFixed(1);
      document.body.dataset.saves = String(Number(document.body.dataset.saves || 0) + 1);
    } else if (code === 409) {
      replacePair(answer.pair);
      message("This pair was changed meanwhile (another tab or reviewer): it is reloaded, decide again.");
    } else {
      message((answer && answer.error) || "not saved (" + code + ")");
    }
  } finally {
    state.busy = false;
  }
}

function post(id, body) {
  return api("/api/pairs/" + id, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function undo() {
  const last = state.undo.pop();
  if (!last || state.busy) {
    if (!last) message("nothing to undo");
    return;
  }
  state.busy = true;
  try {
    const now = await api("/api/pairs/" + last.id);
    if (now.status !== 200) return;
    const body = Object.assign({ version: now.body.version }, last.before);
    const { status: code, body: answer } = await post(last.id, body);
    if (code === 200) {
      const index = state.page.pairs.findIndex((p) => p.id === last.id);
      replacePair(answer);
      if (index >= 0) selectRow(index);
      loadSummary();
      message("undone: " + answer.doc_id + " #" + answer.pair + " is " + answer.status + " again", true);
    } else {
      message((answer && answer.error) || "cannot undo (" + code + ")");
    }
  } finally {
    state.busy = false;
  }
}

// --- progress, filters, links, keys ----------------------------------------------------

async function loadSummary() {
  const { status, body } = await api("/api/summary");
  if (status !== 200) return;
  const s = body;
  $("progress-bar").max = Math.max(1, s.total);
  $("progress-bar").value = s.reviewed;
  $("progress-text").textContent = s.reviewed + " / " + s.total + " reviewed · "
    + s.accepted + " accepted · " + s.rejected + " rejected"
    + (s.stale ? " · " + s.stale + " stale" : "") + " · reviewer " + s.reviewer;
  const select = $("f-flag");
  if (select.options.length <= 3) {
    for (const [kind, count] of Object.entries(s.flags)) {
      const option = document.createElement("option");
      option.value = kind;
      option.textContent = kind + " (" + count + ")";
      select.appendChild(option);
    }
    select.value = state.filters.flag;
  }
}

function writeHash(pair) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(state.filters)) {
    if (value !== "" && !(name === "order" && value === "score")) params.set("f_" + name, value);
  }
  params.set("doc", pair.doc_id);
  params.set("pair", String(pair.pair));
  history.replaceState(null, "", "#" + params.toString());
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const name of Object.keys(state.filters)) {
    const value = params.get("f_" + name);
    if (value !== null) state.filters[name] = value;
  }
  for (const [name, id] of Object.entries(FILTER_INPUTS)) $(id).value = state.filters[name];
  const doc = params.get("doc");
  const pair = Number.parseInt(params.get("pair") || "", 10);
  return doc !== null && Number.isInteger(pair) ? { doc, pair } : null;
}

function onFilterChange() {
  for (const [name, id] of Object.entries(FILTER_INPUTS)) state.filters[name] = $(id).value.trim();
  state.offset = 0;
  loadPage(0);
}

function toggleHelp(show) {
  const help = $("help");
  help.hidden = show === undefined ? !help.hidden : !show;
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target === $("d-edit")) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      save("accepted", true);
    } else if (event.key === "Escape") {
      $("d-edit").blur();
    }
    return;
  }
  if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement
      || target instanceof HTMLTextAreaElement) {
    if (event.key === "Escape") target.blur();
    if (event.key === "Enter" && target === $("d-comment")) {
      event.preventDefault();
      save("accepted", true);
    }
    return;
  }
  const actions = {
    j: () => move(1), ArrowDown: () => move(1),
    k: () => move(-1), ArrowUp: () => move(-1),
    a: () => save("accepted", true),
    Enter: () => save("accepted", true),
    r: () => save("rejected", true),
    e: () => { const box = $("d-edit"); box.focus(); box.setSelectionRange(box.value.length, box.value.length); },
    u: () => undo(),
    "?": () => toggleHelp(),
    Escape: () => toggleHelp(false),
  };
  const action = actions[event.key];
  if (action) {
    event.preventDefault();
    action();
  }
}

function start() {
  document.addEventListener("keydown", onKey);
  for (const id of Object.values(FILTER_INPUTS)) $(id).addEventListener("change", onFilterChange);
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); onFilterChange(); });
  $("d-edit").addEventListener("input", renderDiff);
  $("b-accept").addEventListener("click", () => save("accepted", true));
  $("b-reject").addEventListener("click", () => save("rejected", true));
  $("b-edit").addEventListener("click", () => $("d-edit").focus());
  $("b-undo").addEventListener("click", () => undo());
  $("prev").addEventListener("click", () => move(-state.sel - 1));
  $("next").addEventListener("click", () => move(state.page.pairs.length - state.sel));
  $("help-button").addEventListener("click", () => toggleHelp());
  window.addEventListener("hashchange", () => {
    const focus = readHash();
    const pair = current();
    if (focus && !(pair && pair.doc_id === focus.doc && pair.pair === focus.pair)) loadPage(0, focus);
  });
  const focus = readHash();
  loadSummary();
  loadPage(0, focus).then(() => {
    document.body.dataset.ready = "true";
    // Milliseconds from the start of navigation to the first page of pairs shown.
    document.body.dataset.loadMs = String(Math.round(performance.now()));
  });
}

start();
