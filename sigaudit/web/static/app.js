"use strict";
// The clerks' page: drop files, see each document's verdict, download the report.
// Everything shown from the server goes through textContent (never HTML).

const T = {
  vi: {
    title: "Kiểm tra văn bản ký số trước khi nộp",
    drop: "Kéo thả các tệp PDF (hoặc một tệp zip hồ sơ) vào đây, kèm sổ đăng ký văn bản đi (.xlsx, .csv) nếu có",
    dropHelp: "hoặc",
    choose: "Chọn tệp…",
    download: "Tải báo cáo:",
    again: "Kiểm tra tệp khác",
    footer: "Tệp chỉ được kiểm tra trên máy này và được xóa ngay khi kiểm tra xong.",
    limits: (l) => `Tối đa ${l.max_files} tệp, mỗi tệp ${l.max_file_mb} MB, tổng ${l.max_total_mb} MB.`,
    sending: (i, n) => `Đang gửi tệp ${i}/${n}…`,
    queued: "Đang chờ kiểm tra…",
    checking: (d, n) => `Đã kiểm tra ${d}/${n || "?"} văn bản…`,
    finished: (n) => `Đã kiểm tra xong ${n} văn bản.`,
    summary: (c) => `${c.total} văn bản: ${c.pass} ĐẠT, ${c.fail} KHÔNG ĐẠT, ${c.inconclusive} CHƯA KẾT LUẬN.`,
    refused: (name, msg) => `${name}: ${msg}`,
    skipped: (name, msg) => `Không kiểm tra ${name}: ${msg}.`,
    unreachable: "Không kết nối được với máy chủ sigaudit; hãy kiểm tra rằng nó vẫn đang chạy.",
    nothing: "Không có tệp nào được nhận để kiểm tra.",
    noProblem: "Không có lỗi.",
    severity: { error: "Lỗi", warning: "Cảnh báo", info: "Lưu ý" },
    fix: "Cách khắc phục: ",
    office: "Cơ quan",
    number: "Số",
    date: "Ngày",
    monthOnly: (ym) => `tháng ${ym.slice(5)}/${ym.slice(0, 4)} (không đọc được ngày)`,
    unsure: " (chưa chắc chắn)",
    signatures: (n) => `${n} chữ ký số`,
    unchecked: "Chưa kiểm tra được: ",
    register: "Sổ đăng ký văn bản đi",
    registerTaken: (name) => `Đã nhận sổ đăng ký ${name}.`,
  },
  en: {
    title: "Check signed documents before filing them",
    drop: "Drop PDF files (or a zip of a dossier) here, with the outgoing register (.xlsx, .csv) if you have it",
    dropHelp: "or",
    choose: "Choose files…",
    download: "Download the report:",
    again: "Check other files",
    footer: "Files are checked on this machine only and deleted as soon as the check ends.",
    limits: (l) => `At most ${l.max_files} files, ${l.max_file_mb} MB each, ${l.max_total_mb} MB in all.`,
    sending: (i, n) => `Sending file ${i}/${n}…`,
    queued: "Waiting for the check…",
    checking: (d, n) => `Checked ${d}/${n || "?"} documents…`,
    finished: (n) => `Checked ${n} documents.`,
    summary: (c) => `${c.total} documents: ${c.pass} PASS, ${c.fail} FAIL, ${c.inconclusive} NOT CONCLUSIVE.`,
    refused: (name, msg) => `${name}: ${msg}`,
    skipped: (name, msg) => `Not checked: ${name}: ${msg}.`,
    unreachable: "Cannot reach the sigaudit server; check that it is still running.",
    nothing: "No file was taken for the check.",
    noProblem: "No problem found.",
    severity: { error: "Error", warning: "Warning", info: "Note" },
    fix: "How to fix: ",
    office: "Office",
    number: "Number",
    date: "Date",
    monthOnly: (ym) => `${ym}, day not read`,
    unsure: " (unsure)",
    signatures: (n) => `${n} digital signature(s)`,
    unchecked: "Not checked: ",
    register: "Outgoing register",
    registerTaken: (name) => `Register ${name} received.`,
  },
};

const state = { lang: "vi", job: null, docs: [], notices: [], skipped: [], register: null, limits: null, phase: "idle", total: 0, sent: [0, 0] };

function $(id) { return document.getElementById(id); }
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}
function t(key, ...args) { const v = T[state.lang][key]; return typeof v === "function" ? v(...args) : v; }
function msg(m) { return m ? (m[state.lang] || m.vi || "") : ""; }
function dmy(iso) { if (!iso) return null; const [y, m, d] = iso.split("-"); return `${d}/${m}/${y}`; }

function setLang(lang) {
  state.lang = lang;
  try { localStorage.setItem("sigaudit-lang", lang); } catch (e) { /* private mode */ }
  document.documentElement.lang = lang;
  document.title = "sigaudit — " + t("title");
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  $("lang-vi").setAttribute("aria-pressed", String(lang === "vi"));
  $("lang-en").setAttribute("aria-pressed", String(lang === "en"));
  render();
}

function render() {
  if (state.limits) $("limits").textContent = t("limits", state.limits);
  const notices = $("notices");
  notices.replaceChildren();
  for (const n of state.notices) notices.append(el("p", "notice " + (n.kind || ""), n.text()));
  for (const s of state.skipped) notices.append(el("p", "notice", t("skipped", s.name, msg(s.message))));
  renderRegister();
  renderProgress();
  const list = $("results");
  list.replaceChildren(...state.docs.map(renderDoc));
  const done = state.phase === "done";
  $("summary").hidden = !done;
  $("downloads").hidden = !done;
  if (done) {
    const c = { total: state.docs.length, pass: 0, fail: 0, inconclusive: 0 };
    for (const d of state.docs) c[d.verdict] += 1;
    $("summary").textContent = t("summary", c);
    for (const fmt of ["html", "xlsx", "json"]) {
      $("dl-" + fmt).href = `/api/jobs/${state.job}/report.${fmt}?lang=${state.lang}`;
    }
  }
}

function renderRegister() {
  // the register's findings about no one document, and the signed share over the register
  const box = $("register");
  const r = state.register;
  const empty = !r || (!r.findings.length && !(r.share[state.lang] || []).length);
  box.hidden = empty;
  box.replaceChildren();
  if (empty) return;
  box.append(el("h2", null, t("register")));
  const ul = el("ul", "findings");
  for (const f of r.findings) {
    const item = el("li");
    item.append(el("span", "sev " + f.severity, (T[state.lang].severity[f.severity] || f.severity) + ": "), document.createTextNode(msg(f.message)));
    ul.append(item);
  }
  for (const line of r.share[state.lang] || []) ul.append(el("li", null, line));
  box.append(ul);
}

function renderProgress() {
  const box = $("progress");
  box.hidden = state.phase === "idle";
  let text = "", ratio = 0;
  if (state.phase === "sending") { text = t("sending", state.sent[0], state.sent[1]); ratio = state.sent[0] / Math.max(state.sent[1], 1) * 0.2; }
  else if (state.phase === "queued") { text = t("queued"); ratio = 0.2; }
  else if (state.phase === "running") { text = t("checking", state.docs.length, state.total); ratio = 0.2 + 0.8 * state.docs.length / Math.max(state.total, 1); }
  else if (state.phase === "done") { text = t("finished", state.docs.length); ratio = 1; }
  $("progress-text").textContent = text;
  $("bar-fill").style.width = Math.round(100 * Math.min(ratio, 1)) + "%";
}

function renderDoc(d) {
  const li = el("li", "doc");
  li.dataset.verdict = d.verdict;
  const head = el("div", "doc-head");
  head.append(el("span", "doc-name", d.path), el("span", "verdict " + d.verdict, msg(d.verdict_label)));
  li.append(head);
  const facts = [];
  if (d.office) facts.push(`${t("office")}: ${d.office}`);
  // a value OCR read below 0.90 (a handwritten number or day) is said to be unsure
  const unsure = (field) => {
    const c = d.header_source === "ocr" && d.header_confidence ? d.header_confidence[field] : undefined;
    return c !== undefined && c < 0.9 ? t("unsure") : "";
  };
  if (d.number) facts.push(`${t("number")}: ${d.number}${unsure("number")}`);
  if (d.issuance_date) facts.push(`${t("date")}: ${dmy(d.issuance_date)}${unsure("issuance_date")}`);
  else if (d.issuance_month) facts.push(`${t("date")}: ${t("monthOnly", d.issuance_month)}${unsure("issuance_month")}`);
  if (d.signatures && d.signatures.length) facts.push(t("signatures", d.signatures.length));
  if (facts.length) li.append(el("p", "facts", facts.join(" · ")));
  const items = [];
  // an unreadable file's error is also its one finding (with how to fix it): said once
  const errorIsFinding = d.error && (d.findings || []).some((f) => f.code === d.error.code);
  if (d.error && !errorIsFinding) items.push({ severity: "error", text: state.lang === "vi" ? d.error.message_vi : d.error.message });
  for (const f of d.findings || []) {
    items.push({ severity: f.severity, text: state.lang === "vi" ? (f.message_vi || f.message) : f.message, fix: state.lang === "vi" ? f.fix_vi : f.fix });
  }
  if (!items.length) { li.append(el("p", "facts", t("noProblem"))); return li; }
  const ul = el("ul", "findings");
  for (const it of items) {
    const item = el("li");
    item.append(el("span", "sev " + it.severity, (T[state.lang].severity[it.severity] || it.severity) + ": "), document.createTextNode(it.text || ""));
    if (it.fix) item.append(el("span", "fix", t("fix") + it.fix));
    ul.append(item);
  }
  li.append(ul);
  return li;
}

function notice(text, kind) { state.notices.push({ text: typeof text === "function" ? text : () => text, kind }); render(); }

async function api(method, url, body, headers) {
  const res = await fetch(url, { method, body, headers: headers || {}, credentials: "same-origin", cache: "no-store" });
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  return { ok: res.ok, status: res.status, data };
}

async function check(files) {
  if (!files.length || state.phase === "sending" || state.phase === "queued" || state.phase === "running") return;
  reset(false);
  state.phase = "sending";
  state.sent = [0, files.length];
  render();
  try {
    const created = await api("POST", "/api/jobs");
    if (!created.ok) { state.phase = "idle"; notice(() => msg(created.data && created.data.message), "error"); return; }
    state.job = created.data.id;
    let taken = 0;
    for (const file of files) {
      state.sent[0] += 1; render();
      const up = await api("POST", `/api/jobs/${state.job}/files`, file, { "X-File-Name": encodeURIComponent(file.name) });
      if (up.ok) {
        taken += up.data.documents;
        if (up.data.register) notice(() => t("registerTaken", up.data.name));
        for (const s of up.data.skipped || []) state.skipped.push(s);
      } else {
        const m = up.data && up.data.message;
        notice(() => t("refused", file.name, msg(m)), "error");
      }
    }
    if (!taken) { state.phase = "idle"; notice(() => t("nothing"), "error"); return; }
    const started = await api("POST", `/api/jobs/${state.job}/start`);
    if (!started.ok) { state.phase = "idle"; notice(() => msg(started.data && started.data.message), "error"); return; }
    state.phase = "queued"; render();
    await poll();
  } catch (e) {
    state.phase = "idle";
    notice(() => t("unreachable"), "error");
  }
}

async function poll() {
  for (;;) {
    const r = await api("GET", `/api/jobs/${state.job}?since=${state.docs.length}`);
    if (!r.ok) { state.phase = "idle"; notice(() => msg(r.data && r.data.message), "error"); return; }
    const s = r.data;
    state.docs.push(...s.documents);
    state.total = s.total;
    if (s.state === "running") state.phase = "running";
    if (s.state === "done") {
      if (s.final) state.docs = s.final; // the register's findings joined the documents at the end
      state.register = s.register || null;
      state.phase = "done"; render(); return;
    }
    if (s.state === "failed") { state.phase = "idle"; notice(() => msg(s.message), "error"); return; }
    render();
    await new Promise((ok) => setTimeout(ok, 400));
  }
}

function reset(drop) {
  if (drop && state.job) api("DELETE", `/api/jobs/${state.job}`).catch(() => {});
  state.job = null; state.docs = []; state.register = null; state.notices = []; state.skipped = []; state.phase = "idle"; state.total = 0;
  render();
}

function init() {
  let lang = "vi";
  try { lang = localStorage.getItem("sigaudit-lang") || "vi"; } catch (e) { /* private mode */ }
  $("lang-vi").addEventListener("click", () => setLang("vi"));
  $("lang-en").addEventListener("click", () => setLang("en"));
  const drop = $("drop");
  for (const ev of ["dragenter", "dragover"]) drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add("over"); });
  for (const ev of ["dragleave", "drop"]) drop.addEventListener(ev, () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); check(Array.from(e.dataTransfer.files)); });
  // a file dropped beside the zone must not make the browser leave the page
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
  $("picker").addEventListener("change", (e) => { check(Array.from(e.target.files)); e.target.value = ""; });
  drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("picker").click(); } });
  $("again").addEventListener("click", () => reset(true));
  api("GET", "/api/limits").then((r) => { if (r.ok) { state.limits = r.data; render(); } }).catch(() => {});
  setLang(lang === "en" ? "en" : "vi");
}

document.addEventListener("DOMContentLoaded", init);
