// The run viewer's one script (no build step). It writes text only (textContent), never
// markup made from event data: spec and model text are untrusted. The only markup it
// inserts is the server-rendered, escaped report fragment of this same job.
"use strict";

const REDRAW_ON = new Set(["response", "guard", "quicktest", "check", "outcome", "stage", "done"]);

function text(tag, content, cls) {
  const node = document.createElement(tag);
  node.textContent = content;
  if (cls) node.className = cls;
  return node;
}

function first(list) {
  return Array.isArray(list) && list.length ? list[0] : null;
}

// One line per event kind; an unknown kind still shows, with its data.
function summary(kind, d) {
  const a = d.attempt !== undefined ? `attempt ${d.attempt}: ` : "";
  switch (kind) {
    case "queued": return "queued";
    case "running": return `running on ${d.server}`;
    case "session": return `spec ${d.spec}, model ${d.llm}, backend ${d.backend}`;
    case "prompt": return `round ${d.round}: prompt sent (~${d.approx_tokens ?? "?"} tokens)`;
    case "response": return `${a}reply received (round ${d.round})`;
    case "guard": {
      const p = first(d.problems);
      return d.ok ? `${a}guard passed` : `${a}guard refused it: ${p ? p.message : "?"}`;
    }
    case "quicktest":
      return d.refuted ? `${a}quick test refuted it: ${d.failure}` : `${a}quick test passed on ${d.inputs} inputs`;
    case "check": {
      const n = Array.isArray(d.diagnostics) ? d.diagnostics.length : 0;
      return `${a}${d.label || d.backend} ${d.verdict} in ${d.seconds} s` + (n ? ` (${n} diagnostic${n > 1 ? "s" : ""})` : "");
    }
    case "restart": return `restart ${d.restarts} after round ${d.round}`;
    case "outcome":
      return d.verified ? `verified by attempt ${d.attempt} of ${d.attempts}` : `not verified: ${d.reason}`;
    case "stage": return `stage: ${d.stage}`;
    case "llm-error": return `model provider error: ${d.message}`;
    case "done": return `done: ${d.status}` + (d.error ? ` — ${d.error}` : "");
    default: return `${kind} ${JSON.stringify(d).slice(0, 200)}`;
  }
}

function clock(at) {
  return new Date(at * 1000).toLocaleTimeString([], { hour12: false });
}

function setStatus(status, error) {
  const badge = document.getElementById("status");
  badge.textContent = status;
  badge.className = `status ${status}`;
  document.getElementById("job").dataset.status = status;
  const shown = document.getElementById("job-error");
  if (error) {
    shown.textContent = error;
    shown.hidden = false;
  }
}

function watchJob(timeline) {
  const report = document.getElementById("report");
  const live = document.getElementById("live");
  let lastSeq = 0;
  let redraws = 0;
  let timer = null;

  async function redraw() {
    const mine = ++redraws;
    const answer = await fetch(timeline.dataset.report, { credentials: "same-origin" });
    if (answer.ok && mine === redraws) report.innerHTML = await answer.text();
  }
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(redraw, 250);
  }

  const source = new EventSource(timeline.dataset.events);
  live.textContent = "live";
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.seq <= lastSeq) return; // a resumed stream never repeats, but be sure
    lastSeq = event.seq;
    const data = event.data && typeof event.data === "object" ? event.data : {};
    const row = document.createElement("li");
    row.className = `event ${event.kind}`;
    row.dataset.seq = String(event.seq);
    row.dataset.kind = event.kind;
    row.append(text("span", clock(event.at), "when"), text("span", event.kind, "kind"),
               text("span", summary(event.kind, data), "what"));
    timeline.append(row);
    if (event.kind === "running") setStatus("running");
    if (event.kind === "done") {
      source.close();
      live.textContent = "finished";
      setStatus(data.status, data.error);
    }
    if (REDRAW_ON.has(event.kind)) soon();
  };
  source.onerror = () => {
    // EventSource reconnects by itself and sends Last-Event-ID, so nothing is lost.
    if (source.readyState !== EventSource.CLOSED) live.textContent = "reconnecting…";
  };
  source.onopen = () => { live.textContent = "live"; };
}

function submitForm(form) {
  const error = document.getElementById("submit-error");
  const kind = document.getElementById("kind");
  const generateOnly = ["llm", "backend", "attempts"].map((id) => document.getElementById(id));
  const sync = () => generateOnly.forEach((field) => { field.disabled = kind.value !== "generate"; });
  kind.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.hidden = true;
    const answer = await fetch(form.action, {
      method: "POST", body: new URLSearchParams(new FormData(form)),
      headers: { accept: "application/json" }, credentials: "same-origin",
    });
    if (answer.ok && answer.redirected) {
      window.location.assign(answer.url);
      return;
    }
    let shown = `the server answered ${answer.status}`;
    try {
      const body = await answer.json();
      shown = body.error.message + (body.error.hint ? ` — ${body.error.hint}` : "");
    } catch (_) { /* not the error shape: keep the status */ }
    error.textContent = shown;
    error.hidden = false;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const timeline = document.getElementById("timeline");
  if (timeline) watchJob(timeline);
  const form = document.getElementById("submit-form");
  if (form) submitForm(form);
});
