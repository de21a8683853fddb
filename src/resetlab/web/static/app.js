// resetlab dashboard: plain JS over the JSON API; plotly.js is served by the app itself.
"use strict";

const state = { scenario: null, strategies: {}, touched: new Set(), job: null };

async function api(path, options) {
  const response = await fetch(path, options);
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    const err = new Error((body && body.detail) || response.statusText);
    err.status = response.status;
    err.problems = (body && body.problems) || [];
    throw err;
  }
  return { body, headers: response.headers };
}

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function setStatus(text) { document.getElementById("status").textContent = text; }

// ---------------------------------------------------------------- index and resets
async function loadIndex() {
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const { body } = await api("/api/figures/index");
      const div = document.getElementById("index-chart");
      await Plotly.newPlot(div, body.data, body.layout, { responsive: true, displaylogo: false });
      div.dataset.ready = "1";
      return;
    } catch (e) {
      if (e.status !== 503) { setStatus("index: " + e.message); return; }
      setStatus("estimating the index...");
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function loadResets() {
  const { body } = await api("/api/resets");
  const tbody = document.querySelector("#resets-table tbody");
  tbody.replaceChildren();
  for (const r of body) {
    const tr = el("tr");
    tr.append(el("td", r.kind, { class: r.kind }), el("td", r.start), el("td", r.end),
      el("td", r.peak_month), el("td", r.duration_months),
      el("td", Number(r.size).toFixed(2)), el("td", (r.began_with || "").split("\n")[0]));
    tbody.append(tr);
  }
}

// ---------------------------------------------------------------- events
async function searchEvents(event) {
  if (event) event.preventDefault();
  const params = new URLSearchParams();
  for (const id of ["q", "from", "to", "domain", "actor"]) {
    const value = document.getElementById(id).value.trim();
    if (value) params.set(id, value);
  }
  params.set("limit", "1000");
  const count = document.getElementById("event-count");
  try {
    const { body, headers } = await api("/api/events?" + params.toString());
    renderEvents(body);
    const total = headers.get("X-Total-Count") || body.length;
    count.textContent = `${total} event(s)` + (body.length < total ? `, first ${body.length} shown` : "");
  } catch (e) {
    count.textContent = "error: " + e.message;
    renderEvents([]);
  }
}

function renderEvents(rows) {
  const tbody = document.querySelector("#events-table tbody");
  tbody.replaceChildren();
  for (const r of rows) {
    const tr = el("tr", null, { "data-id": r.id });
    const src = el("td");
    if (r.source_url) {
      const a = el("a", r.source.split(" | ")[0].split(" <")[0] || r.source_url,
        { href: r.source_url, target: "_blank", rel: "noopener noreferrer", title: r.source });
      src.append(a);
    } else {
      src.textContent = r.source;
    }
    tr.append(el("td", r.date), el("td", r.actor), el("td", r.target), el("td", r.domain),
      el("td", r.goldstein), el("td", r.summary, { class: "summary" }), src);
    tbody.append(tr);
  }
}

async function loadDomains() {
  const { body } = await api("/api/events?limit=5000");
  const select = document.getElementById("domain");
  for (const d of [...new Set(body.map((r) => r.domain))].sort()) select.append(el("option", d, { value: d }));
  renderEvents(body.slice(0, 1000));
  document.getElementById("event-count").textContent = `${body.length} event(s)`;
}

// ---------------------------------------------------------------- scenario editor
function endMonth(start, horizon) {
  const [y, m] = start.split("-").map(Number);
  const total = y * 12 + (m - 1) + horizon - 1;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

function syncJson() {
  document.getElementById("scenario-json").value = JSON.stringify(state.scenario, null, 2);
}

function renderParams(side) {
  const box = document.getElementById("params-" + side);
  box.replaceChildren();
  const entry = state.scenario.strategies[side];
  for (const [name, value] of Object.entries(entry.params)) {
    const input = el("input", null, { type: "number", step: "any", "data-param": name });
    input.value = value;
    input.addEventListener("change", () => {
      entry.params[name] = Number(input.value);
      syncJson();
    });
    const label = el("label", name + " ");
    label.append(input);
    box.append(label);
  }
}

function chooseStrategy(side, key) {
  const entry = state.scenario.strategies[side];
  if (entry.key !== key) {
    entry.key = key;
    entry.params = { ...(state.strategies[key] || { params: {} }).params };
  }
  renderParams(side);
  syncJson();
}

function slider(id) { return document.getElementById("lever-" + id); }

function showSlider(input) { input.nextElementSibling.textContent = Number(input.value).toFixed(2); }

function fillForm() {
  const sc = state.scenario;
  document.getElementById("horizon").value = sc.horizon;
  for (const side of ["us", "ru"]) {
    document.getElementById("strategy-" + side).value = sc.strategies[side].key;
    renderParams(side);
  }
  const track = (sc.levers.tracks || [])[0] || { bureaucratic: 0, arms: 0, regional: 0 };
  for (const k of ["bureaucratic", "arms", "regional"]) slider(k).value = track[k];
  slider("exercises").value = ((sc.levers.exercises || [])[0] || { level: 0 }).level;
  const reset = (sc.levers.resets || []).find((r) => r.side === "us" && r.month === sc.start);
  slider("reset").value = reset ? reset.size : 0;
  document.querySelectorAll("input[type=range]").forEach(showSlider);
  state.touched.clear();
  syncJson();
}

function applyLevers(which) {
  const sc = state.scenario;
  const start = sc.start, end = endMonth(sc.start, sc.horizon);
  const note = "set in the dashboard";
  if (which === "tracks") {
    sc.levers.tracks = [{ start, end, bureaucratic: Number(slider("bureaucratic").value),
      arms: Number(slider("arms").value), regional: Number(slider("regional").value), note }];
  } else if (which === "exercises") {
    const level = Number(slider("exercises").value);
    sc.levers.exercises = level > 0 ? [{ start, end, level, note }] : [];
  } else if (which === "reset") {
    const size = Number(slider("reset").value);
    const others = (sc.levers.resets || []).filter((r) => !(r.side === "us" && r.month === start));
    sc.levers.resets = size > 0 ? [{ month: start, side: "us", size, note }, ...others] : others;
  }
  state.touched.add(which);
  syncJson();
}

async function loadScenario(name) {
  const { body } = await api("/api/scenarios/" + encodeURIComponent(name));
  state.scenario = body;
  document.getElementById("scenario-description").textContent = body.description || "";
  fillForm();
}

async function initEditor() {
  const [strategies, scenarios] = await Promise.all([api("/api/strategies"), api("/api/scenarios")]);
  state.strategies = strategies.body;
  for (const side of ["us", "ru"]) {
    const select = document.getElementById("strategy-" + side);
    for (const [key, s] of Object.entries(state.strategies)) select.append(el("option", key, { value: key, title: s.description }));
    select.addEventListener("change", () => chooseStrategy(side, select.value));
  }
  const pick = document.getElementById("scenario-select");
  for (const s of scenarios.body) pick.append(el("option", s.name, { value: s.name, title: s.description }));
  pick.addEventListener("change", () => loadScenario(pick.value));
  for (const k of ["bureaucratic", "arms", "regional"]) {
    slider(k).addEventListener("input", (e) => { showSlider(e.target); applyLevers("tracks"); });
  }
  slider("exercises").addEventListener("input", (e) => { showSlider(e.target); applyLevers("exercises"); });
  slider("reset").addEventListener("input", (e) => { showSlider(e.target); applyLevers("reset"); });
  document.getElementById("horizon").addEventListener("change", (e) => {
    state.scenario.horizon = Number(e.target.value);
    for (const w of state.touched) applyLevers(w);
    syncJson();
  });
  document.getElementById("scenario-json").addEventListener("change", (e) => {
    try {
      state.scenario = JSON.parse(e.target.value);
      showErrors(null);
      fillForm();
    } catch (err) {
      showErrors("the JSON does not parse: " + err.message);
    }
  });
  document.getElementById("run-button").addEventListener("click", runScenario);
  if (scenarios.body.length) {
    const preferred = scenarios.body.find((s) => s.mode === "forecast") || scenarios.body[0];
    pick.value = preferred.name;
    await loadScenario(preferred.name);
  }
}

function showErrors(text) {
  const box = document.getElementById("scenario-errors");
  box.hidden = !text;
  box.textContent = text || "";
}

async function runScenario() {
  showErrors(null);
  const members = document.getElementById("members").value;
  const seed = document.getElementById("seed").value;
  const status = document.getElementById("run-status");
  const bar = document.getElementById("run-progress");
  const button = document.getElementById("run-button");
  bar.value = 0;
  try {
    const { body } = await api(`/api/scenarios/run?members=${members}&seed=${seed}`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(state.scenario),
    });
    state.job = body.job_id;
    button.disabled = true;
    status.textContent = "queued";
    await pollJob(body.job_id, bar, status);
  } catch (e) {
    const lines = (e.problems || []).map((p) => `${p.field}: ${p.message}`);
    showErrors([e.message, ...lines].join("\n"));
    status.textContent = "error";
  } finally {
    button.disabled = false;
  }
}

async function pollJob(id, bar, status) {
  for (;;) {
    const { body } = await api("/api/jobs/" + id);
    bar.value = body.progress;
    status.textContent = `${body.status} ${(100 * body.progress).toFixed(0)}%`;
    if (body.status === "done") { showResult(body); return; }
    if (body.status === "failed") { showErrors("the run failed: " + body.error); return; }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function showResult(job) {
  const q = job.quantiles;
  const x = q.map((r) => r.month + "-01");
  const band = (lo, hi, alpha, name) => [
    { x, y: q.map((r) => r[hi]), mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
    { x, y: q.map((r) => r[lo]), mode: "lines", line: { width: 0 }, fill: "tonexty",
      fillcolor: `rgba(31,119,180,${alpha})`, name },
  ];
  const traces = [
    ...band("q05", "q95", 0.15, "5-95 %"),
    ...band("q25", "q75", 0.4, "25-75 %"),
    { x, y: q.map((r) => r.q50), mode: "lines", line: { color: "rgb(31,119,180)" }, name: "median" },
    { x: [x[0], x[x.length - 1]], y: [job.start_level, job.start_level], mode: "lines",
      line: { color: "#d62728", dash: "dash" }, name: "starting level" },
  ];
  const layout = {
    title: { text: `${job.name}: relations, ${job.members} members, seed ${job.seed}` },
    xaxis: { title: { text: "month" } },
    yaxis: { title: { text: "relations (Goldstein units)" } },
    margin: { l: 60, r: 20, t: 50, b: 40 },
  };
  const div = document.getElementById("fan-chart");
  Plotly.react(div, traces, layout, { responsive: true, displaylogo: false });
  div.dataset.job = job.job_id;
  const table = document.getElementById("hold-table");
  const tbody = table.querySelector("tbody");
  tbody.replaceChildren();
  const pct = (v) => (v === null ? "n/a (run too short)" : (100 * v).toFixed(1) + " %");
  for (const [h, p] of Object.entries(job.hold)) {
    const tr = el("tr", null, { "data-months": h });
    tr.append(el("td", `${h} months`), el("td", pct(p)));
    tbody.append(tr);
  }
  table.hidden = false;
  document.getElementById("hold-note").textContent = job.hold_definition;
}

// ---------------------------------------------------------------- fit results (the report's)
function fitTable(id, rows, cols) {
  const table = document.getElementById(id);
  const head = el("tr");
  for (const c of cols) head.append(el("th", c));
  table.querySelector("thead").replaceChildren(head);
  const tbody = table.querySelector("tbody");
  tbody.replaceChildren();
  const fmt = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(3))
    : v === null || v === undefined ? "" : String(v));
  for (const r of rows) {
    const tr = el("tr");
    for (const c of cols) tr.append(el("td", fmt(r[c])));
    tbody.append(tr);
  }
}

async function loadFit() {
  const note = document.getElementById("fit-headline");
  try {
    const { body } = await api("/api/fit?budget=quick");
    if (!body.available) {
      note.textContent = `No fit results cached yet: run ${body.how}.`;
      return;
    }
    note.textContent = `${body.skill_headline} ${body.outlook_headline}`;
    fitTable("fit-outlook", body.outlook, ["perspective", "p_hold_12", "p_hold_24", "mc_se",
      "brier_skill_12", "brier_skill_24", "verdict_12", "verdict_24", "verdict"]);
    const words = document.getElementById("fit-outlook-words");
    words.replaceChildren(...body.outlook.map((r) => el("li", `${r.perspective}: ${r.words}`)));
    fitTable("fit-compare", body.compare, ["perspective", "score", "rank", "p_best", "in_mcs"]);
    fitTable("fit-claims", body.claims, ["perspective", "claim", "mechanism", "effect",
      "ci_lo", "ci_hi", "p_value", "verdict"]);
  } catch (err) {
    note.textContent = "fit results unavailable: " + err.message;
  }
}

// ---------------------------------------------------------------- start
document.addEventListener("DOMContentLoaded", async () => {
  document.getElementById("event-search").addEventListener("submit", searchEvents);
  let timer = null;
  document.getElementById("q").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(searchEvents, 300);
  });
  const editor = initEditor().catch((e) => showErrors("editor: " + e.message));
  const fit = loadFit();
  await loadIndex();
  try {
    await Promise.all([loadResets(), loadDomains()]);
    const { body } = await api("/api/status");
    setStatus(`${body.events} events in the record; ${body.read_only ? "read-only" : "imports allowed with the token"}`);
  } catch (e) {
    setStatus("error: " + e.message);
  }
  await Promise.all([editor, fit]);
  document.body.dataset.ready = "1";
});
