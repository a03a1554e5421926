// The page of lsg serve: run a task on a document, show its result, and draw which keys one
// query block attends to (local, sparse, global) from the server's /attention answer.
"use strict";

const $ = id => document.getElementById(id);
const COLORS = { query: "#6c3483", local: "#3b82c4", sparse: [230, 126, 34], global: "#1e9e5a",
                 pad: "#c9c9c9", unseen: "#f1f1f1", grid: "#ffffff" };
const state = { info: null, key: "", text: "", view: null, block: 0 };

function setState(s, message, error) {
  document.body.dataset.state = s;
  $("status").textContent = message || "";
  $("status").classList.toggle("error", !!error);
}

async function api(path, body) {
  const headers = { "Content-Type": "application/json" };
  if (state.key) headers.Authorization = "Bearer " + state.key;
  const r = await fetch(path, body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) });
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) {
    const e = new Error((json && (json.error || json.message)) || r.status + " " + r.statusText);
    e.status = r.status;
    throw e;
  }
  return json;
}

const escapeHtml = s => s.replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));

// ---- model description ----------------------------------------------------------------------

async function loadInfo() {
  try {
    state.info = await api("/info");
  } catch (e) {
    if (e.status === 401) {
      $("key-row").hidden = false;
      setState("key", "This server needs its API key.", true);
      return;
    }
    setState("error", "Cannot read /info: " + e.message, true);
    return;
  }
  const l = state.info.lsg;
  $("model-line").textContent = `${l.model} — ${l.architecture}, ${l.layers} layers × ${l.heads} heads; `
      + `block ${l.block_size}, sparse block ${l.sparse_block_size}, sparsity ${l.sparsity_type} `
      + `(factor ${l.sparsity_factor}), ${l.num_global_tokens} global token${l.num_global_tokens === 1 ? "" : "s"}; `
      + `up to ${state.info.max_input_length} tokens`;
  $("task").innerHTML = l.tasks.map(t => `<option value="${t}">${t}</option>`).join("");
  $("layer").innerHTML = [...Array(l.layers).keys()].map(i => `<option value="${i}">${i}</option>`).join("");
  $("head").innerHTML = [...Array(l.heads).keys()].map(i => `<option value="${i}">${i}</option>`).join("");
  onTask();
  setState("ready", "");
}

function onTask() {
  $("question-row").hidden = $("task").value !== "qa";
}

// ---- running a task ----------------------------------------------------------------------------

async function run() {
  const text = $("doc").value;
  if (!text.trim()) {
    setState("ready", "Paste or upload a document first.", true);
    return;
  }
  const task = $("task").value;
  $("run").disabled = true;
  setState("running", "Running " + task + "…");
  try {
    const result = await runTask(task, text);
    $("result-json").textContent = JSON.stringify(result, null, 1);
    showResult(task, text, result);
    state.text = text;
    state.block = 0;
    await showAttention();
    setState("done", "Done.");
  } catch (e) {
    setState("error", e.message, true);
  } finally {
    $("run").disabled = false;
  }
}

function runTask(task, text) {
  switch (task) {
    case "fill-mask": return api("/fill-mask", { inputs: text });
    case "classify": return api("/classify", { inputs: text, parameters: { top_k: null } });
    case "token-classify": return api("/token-classify", { inputs: text, parameters: { aggregation_strategy: "simple" } });
    case "qa": return api("/qa", { inputs: { question: $("question").value || "What is it about?", context: text },
                                   parameters: { top_k: 3 } });
    default: return api("/embed", { inputs: text });
  }
}

// Marks [start, end) spans of the text (spans sorted, not overlapping) with their labels.
function markedText(text, spans) {
  let html = "", at = 0;
  for (const s of spans.filter(s => s.end > s.start).sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    html += escapeHtml(text.slice(at, s.start))
        + `<mark data-label="${escapeHtml(s.label)}" title="${escapeHtml(s.title)}">${escapeHtml(text.slice(s.start, s.end))}</mark>`;
    at = s.end;
  }
  return html + escapeHtml(text.slice(at));
}

function showResult(task, text, result) {
  const view = $("result-text");
  const chips = items => `<div class="chips">${items.map(i => `<span class="chip">${escapeHtml(i)}</span>`).join("")}</div>`;
  if (task === "token-classify") {
    view.innerHTML = markedText(text, result.map(e => ({ start: e.start, end: e.end,
        label: e.entity_group || e.entity, title: (e.entity_group || e.entity) + " " + e.score.toFixed(3) })));
  } else if (task === "qa") {
    const answers = Array.isArray(result) ? result : [result];
    view.innerHTML = chips(answers.map((a, i) => `#${i + 1} “${a.answer}” ${a.score.toExponential(2)}`))
        + markedText(text, answers.map((a, i) => ({ start: a.start, end: a.end, label: "#" + (i + 1),
            title: "score " + a.score })));
  } else if (task === "classify") {
    const labels = Array.isArray(result) ? result : [result];
    view.innerHTML = chips(labels.map(l => `${l.label} ${l.score.toFixed(3)}`)) + escapeHtml(text);
  } else if (task === "fill-mask") {
    const perMask = Array.isArray(result[0]) ? result : [result];
    const masks = [...text.matchAll(/<mask>/g)].slice(0, perMask.length).map((m, i) => ({ start: m.index,
        end: m.index + m[0].length, label: perMask[i][0].token_str.trim(), title: "best: " + perMask[i][0].token_str }));
    view.innerHTML = perMask.map((c, i) => `<div>&lt;mask&gt; ${i + 1}:</div>`
        + chips(c.map(p => `${p.token_str} ${p.score.toExponential(2)}`))).join("") + markedText(text, masks);
  } else {
    const v = result[0];
    view.innerHTML = chips([`${v.length} dimensions`, "first: " + v.slice(0, 4).map(x => x.toFixed(4)).join(", ")])
        + escapeHtml(text);
  }
}

// ---- the attention picture ---------------------------------------------------------------------

async function showAttention() {
  if (!state.text) return;
  const view = await api("/attention", { text: state.text, block: state.block,
      layer: +$("layer").value, head: +$("head").value });
  state.view = view;
  draw(view);
  describe(view);
}

// The layout: one row per block (block_size columns; on the short path 64 columns), the global
// tokens on a row of their own above.
function layout(view) {
  const g = view.geometry;
  const columns = g.long_path ? g.block_size : Math.min(64, g.padded_length);
  const rows = Math.ceil(g.padded_length / columns);
  const cell = Math.max(3, Math.min(28, Math.floor(720 / columns)));
  const top = cell + 8;   // the global row and a gap
  return { columns, rows, cell, top, width: columns * cell, height: top + rows * cell };
}

function cellOf(position, lay) {
  return { x: (position % lay.columns) * lay.cell, y: lay.top + Math.floor(position / lay.columns) * lay.cell };
}

// The kind of each ordinary position for the block: query, local, sparse (with its weight), pad.
function kinds(view) {
  const g = view.geometry;
  const kind = new Array(g.padded_length).fill("unseen");
  const weight = new Float64Array(g.padded_length);
  const visible = p => p < g.tokens && !(g.mask_first_token && p === 0);
  for (let p = view.local[0]; p < view.local[1]; p++) kind[p] = "local";
  for (const key of view.sparse) {
    if (!key.visible) continue;
    key.sources.forEach((p, i) => {
      if (key.weights[i] > 0 && visible(p)) {
        weight[p] += key.weights[i];
        if (kind[p] === "unseen") kind[p] = "sparse";
      }
    });
  }
  for (let p = view.queries[0]; p < view.queries[1]; p++) kind[p] = "query";
  for (let p = 0; p < g.padded_length; p++) if (!visible(p) && kind[p] !== "query") kind[p] = "pad";
  return { kind, weight };
}

function draw(view) {
  const lay = layout(view);
  const canvas = $("pattern");
  canvas.width = lay.width;
  canvas.height = lay.height;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, lay.width, lay.height);
  for (let i = 0; i < view.global; i++) {
    ctx.fillStyle = COLORS.global;
    ctx.fillRect(i * lay.cell, 0, lay.cell - 1, lay.cell - 1);
  }
  const { kind, weight } = kinds(view);
  for (let p = 0; p < kind.length; p++) {
    const { x, y } = cellOf(p, lay);
    if (kind[p] === "sparse") {
      const [r, g, b] = COLORS.sparse;
      const a = 0.35 + 0.65 * Math.min(1, weight[p]);
      ctx.fillStyle = `rgba(${r},${g},${b},${a.toFixed(3)})`;
    } else {
      ctx.fillStyle = COLORS[kind[p]];
    }
    ctx.fillRect(x, y, lay.cell - (lay.cell > 4 ? 1 : 0), lay.cell - (lay.cell > 4 ? 1 : 0));
  }
  if (view.geometry.long_path) {   // the block's row, outlined
    const y = lay.top + view.block * lay.cell;
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 2;
    ctx.strokeRect(1, y + 1, lay.width - 2, lay.cell - 2);
  }
  state.layout = lay;
  state.kinds = kind;
  $("hover").textContent = "";
}

function describe(view) {
  const g = view.geometry;
  const { kind } = kinds(view);
  const count = k => kind.filter(x => x === k).length;
  const local = count("local") + count("query");
  const sparseTokens = count("sparse");
  const sparseKeys = view.sparse.filter(k => k.visible).length;
  const summary = $("attn-summary");
  summary.dataset.block = view.block;
  summary.dataset.local = local;
  summary.dataset.sparseKeys = sparseKeys;
  summary.dataset.sparseTokens = sparseTokens;
  summary.dataset.global = view.global;
  summary.textContent = g.long_path
      ? `Block ${view.block} of ${g.blocks} (tokens ${view.queries[0]}–${view.queries[1] - 1}), layer ${view.layer}, `
        + `head ${view.head}: ${local} local keys, ${sparseKeys} sparse keys made from ${sparseTokens} tokens `
        + `(${g.sparsity_type}), ${view.global} global`
      : `${g.tokens} tokens fit in 2 blocks of ${g.block_size}: every query sees every token (full attention) `
        + `and the ${view.global} global token${view.global === 1 ? "" : "s"}`;
  const text = p => p < view.tokens.length ? view.tokens[p].text.replace(/ /g, "␣").replace(/\n/g, "⏎") : "·pad·";
  $("sparse-list").innerHTML = view.sparse.filter(k => k.visible).slice(0, 128).map(k =>
      `<div>key ${k.slot} ← ` + k.sources.map((p, i) => k.weights[i] > 0
          ? `<span class="tok" title="position ${p}, weight ${k.weights[i].toFixed(3)}">${escapeHtml(text(p))}</span>` : "")
          .join("") + "</div>").join("");
  $("doc-stats").textContent = `${g.tokens} tokens${view.truncated ? " (cut to the model's length)" : ""}, `
      + `${g.blocks} block${g.blocks === 1 ? "" : "s"}`;
}

function positionAt(event) {
  const lay = state.layout;
  if (!lay) return null;
  const rect = $("pattern").getBoundingClientRect();
  const x = event.clientX - rect.left, y = event.clientY - rect.top - lay.top;
  if (y < 0 || x < 0 || x >= lay.width) return null;
  return Math.floor(y / lay.cell) * lay.columns + Math.floor(x / lay.cell);
}

async function onCanvasClick(event) {
  const p = positionAt(event);
  if (p === null || !state.view || !state.view.geometry.long_path) return;
  const block = Math.floor(p / state.view.geometry.block_size);
  if (block >= state.view.geometry.blocks) return;
  state.block = block;
  setState("running", "Reading block " + block + "…");
  try {
    await showAttention();
    setState("done", "Done.");
  } catch (e) {
    setState("error", e.message, true);
  }
}

function onCanvasMove(event) {
  const p = positionAt(event);
  const v = state.view;
  if (p === null || !v || p >= v.geometry.padded_length) {
    $("hover").textContent = "";
    return;
  }
  const token = p < v.tokens.length ? JSON.stringify(v.tokens[p].text) : "padding";
  $("hover").textContent = `position ${p} (block ${Math.floor(p / v.geometry.block_size)}): ${token}, ${state.kinds[p]}`;
}

// For tests and the curious: where position p is drawn, and its kind.
window.lsgView = { cellOf: p => cellOf(p, state.layout), kind: p => state.kinds[p], view: () => state.view };

$("run").addEventListener("click", run);
$("task").addEventListener("change", onTask);
$("layer").addEventListener("change", () => showAttention().catch(e => setState("error", e.message, true)));
$("head").addEventListener("change", () => showAttention().catch(e => setState("error", e.message, true)));
$("pattern").addEventListener("click", onCanvasClick);
$("pattern").addEventListener("mousemove", onCanvasMove);
$("upload").addEventListener("change", async e => {
  const f = e.target.files[0];
  if (f) $("doc").value = await f.text();
});
$("key-ok").addEventListener("click", () => {
  state.key = $("api-key").value;
  $("key-row").hidden = true;
  loadInfo();
});
loadInfo();
