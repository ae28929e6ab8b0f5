// The full-text reader: the paper's PDF drawn by pdf.js (canvas and text layer, page by
// page), a selection turned into a finding, a finding's passage highlighted, and the
// full-text vote and the quality checklist, keyboard first. Loaded as a module from 'self';
// pdf.js runs its worker from 'self' too, without eval or WebAssembly, as the page's policy
// requires.
import * as pdfjsLib from "/static/vendor/pdfjs/pdf.min.mjs";

pdfjsLib.GlobalWorkerOptions.workerSrc = "/static/vendor/pdfjs/pdf.worker.min.mjs";

const root = document.getElementById("reader");
const pages = document.getElementById("pages");
const status = document.getElementById("reader-status");
const addButton = document.getElementById("add-finding");
const token = document.querySelector('meta[name="csrf-token"]').content;
const SCALE = 1.35;
const recordId = Number(root.dataset.record);
const reviewer = root.dataset.reviewer;
let pdf = null;
let current = Number(root.dataset.page) || 1;

function say(text) {
  status.textContent = text;
  status.hidden = false;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
    body: JSON.stringify(body),
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data.detail || response.statusText);
  return data;
}

// -- drawing ---------------------------------------------------------------------------------

function pageBox(n) {
  return pages.querySelector(`.pdf-page[data-page="${n}"]`);
}

async function draw(n) {
  const box = pageBox(n);
  if (!box || box.dataset.state) return;
  box.dataset.state = "drawing";
  const page = await pdf.getPage(n);
  const viewport = page.getViewport({ scale: SCALE });
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  box.style.width = `${Math.floor(viewport.width)}px`;
  box.style.height = `${Math.floor(viewport.height)}px`;
  box.style.setProperty("--scale-factor", String(SCALE));
  box.style.setProperty("--total-scale-factor", String(SCALE));
  box.style.setProperty("--user-unit", "1");
  box.replaceChildren(canvas);
  const transform = ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null;
  await page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport, transform }).promise;
  const layer = document.createElement("div");
  layer.className = "textLayer";
  box.appendChild(layer);
  const label = document.createElement("span");
  label.className = "page-number";
  label.textContent = `p. ${n}`;
  box.appendChild(label);
  const text = new pdfjsLib.TextLayer({
    textContentSource: page.streamTextContent(),
    container: layer,
    viewport,
  });
  await text.render();
  box.dataset.state = "drawn";
}

function sizeFrom(first) {
  return { width: first.style.width, height: first.style.height };
}

async function open() {
  const url = root.dataset.pdf;
  if (!url) return;
  const started = performance.now();
  pdf = await pdfjsLib.getDocument({
    url,
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
    standardFontDataUrl: "/static/vendor/pdfjs/standard_fonts/",
  }).promise;
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const box = document.createElement("div");
    box.className = "pdf-page";
    box.dataset.page = String(n);
    box.setAttribute("aria-label", `page ${n}`);
    pages.appendChild(box);
  }
  current = Math.min(Math.max(current, 1), pdf.numPages);
  await draw(current);
  root.dataset.firstPageMs = String(Math.round(performance.now() - started));
  root.dataset.pages = String(pdf.numPages);
  const size = sizeFrom(pageBox(current));
  pages.querySelectorAll(".pdf-page:not([data-state])").forEach((box) => {
    box.style.width = size.width;
    box.style.height = size.height;
  });
  pageBox(current).scrollIntoView({ block: "start" });
  if (root.dataset.finding) highlight(Number(root.dataset.finding));
  // The other pages are drawn as they come into view.
  const watcher = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) draw(Number(entry.target.dataset.page));
    }
  }, { root: pages, rootMargin: "400px" });
  pages.querySelectorAll(".pdf-page").forEach((box) => watcher.observe(box));
  root.dataset.ready = "1";
}

// -- quotes: letters and digits only, as the server compares them (fulltext/text.py) -----------

function fold(ch) {
  if (ch === "\u0131") return "i";
  return ch.normalize("NFKD").replace(/[^\p{L}\p{N}]/gu, "").toLowerCase();
}

function skeleton(layer) {
  const walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT);
  let text = "";
  const where = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const value = node.nodeValue;
    for (let i = 0; i < value.length; i += 1) {
      const folded = fold(value[i]);
      for (let k = 0; k < folded.length; k += 1) where.push([node, i]);
      text += folded;
    }
  }
  return { text, where };
}

async function highlight(findingId) {
  const item = document.querySelector(`#findings li[data-finding="${findingId}"]`);
  if (!item) return;
  const n = Number(item.dataset.page || current);
  await draw(n);
  const box = pageBox(n);
  const quote = Array.from(item.querySelector(".finding-text").textContent).map(fold).join("");
  const { text, where } = skeleton(box.querySelector(".textLayer"));
  const at = text.indexOf(quote);
  if (at < 0 || !quote) {
    say(`The passage of finding ${findingId} is not in the text of page ${n}.`);
    return;
  }
  const [startNode, startOffset] = where[at];
  const [endNode, endOffset] = where[at + quote.length - 1];
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset + 1);
  if (window.CSS && CSS.highlights) CSS.highlights.set("quote", new Highlight(range));
  box.dataset.highlighted = String(findingId);
  item.classList.add("current");
  startNode.parentElement.scrollIntoView({ block: "center" });
  say(`Finding ${findingId}, page ${n}.`);
}

// -- selection -> finding --------------------------------------------------------------------

function selectedPassage() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const node = selection.getRangeAt(0).startContainer;
  const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  const box = element && element.closest(".pdf-page");
  if (!box || !pages.contains(box)) return null;
  const quote = selection.toString().replace(/\s+/g, " ").trim();
  return quote ? { quote, page: Number(box.dataset.page) } : null;
}

document.addEventListener("selectionchange", () => {
  addButton.disabled = selectedPassage() === null;
});

async function addFinding() {
  const chosen = selectedPassage();
  if (!chosen) { say("Select a passage in the PDF first."); return; }
  try {
    const data = await post(`/api/fulltext/${recordId}/findings`, { ...chosen, coder: reviewer });
    const f = data.finding;
    const page = data.place ? data.place.page : chosen.page;
    const li = document.createElement("li");
    li.dataset.finding = String(f.id);
    li.dataset.page = String(page);
    const span = document.createElement("span");
    span.className = "finding-text";
    span.textContent = f.text;
    const link = document.createElement("a");
    link.className = "open-at";
    link.href = `/fulltext/${recordId}?page=${page}&finding=${f.id}` + (reviewer ? `&reviewer=${encodeURIComponent(reviewer)}` : "");
    link.textContent = `open at p. ${page}`;
    li.append(span, " ", link);
    document.getElementById("findings").appendChild(li);
    window.getSelection().removeAllRanges();
    say(`Added finding ${f.id} (page ${page}); it is on the board, unsorted.`);
  } catch (error) {
    say(error.message);
  }
}

addButton.addEventListener("click", addFinding);

// -- the vote and the quality checklist ------------------------------------------------------

const vote = document.getElementById("vote");
if (vote) {
  vote.addEventListener("submit", async (event) => {
    event.preventDefault();
    const verdict = event.submitter ? event.submitter.value : "include";
    const criteria = Array.from(vote.querySelectorAll('input[name="criteria"]:checked')).map((c) => c.value);
    try {
      await post("/api/screening/decisions", {
        record_id: recordId, phase: "full-text", reviewer, verdict, criteria,
        note: vote.elements.note.value,
      });
      say(`${verdict} recorded at full text.`);
    } catch (error) {
      say(error.message);
    }
  });
}

const quality = document.getElementById("quality");
if (quality) {
  quality.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answers = {};
    quality.querySelectorAll("select").forEach((s) => { answers[s.name] = s.value; });
    try {
      const data = await post(`/api/fulltext/${recordId}/quality`, { reviewer, answers });
      say(`Quality answers saved: score ${data.score}.`);
    } catch (error) {
      say(error.message);
    }
  });
}

// -- keys ------------------------------------------------------------------------------------

function go(step) {
  if (!pdf) return;
  current = Math.min(Math.max(current + step, 1), pdf.numPages);
  draw(current).then(() => pageBox(current).scrollIntoView({ block: "start" }));
}

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
  if (event.key === "j") { go(1); event.preventDefault(); }
  else if (event.key === "k") { go(-1); event.preventDefault(); }
  else if (event.key === "a") { addFinding(); event.preventDefault(); }
  else if (vote && /^[iem]$/.test(event.key)) {
    vote.querySelector(`button[data-key="${event.key}"]`).click();
    event.preventDefault();
  } else if (vote && /^[1-9]$/.test(event.key)) {
    const box = vote.querySelector(`input[data-digit="${event.key}"]`);
    if (box) { box.checked = !box.checked; event.preventDefault(); }
  }
});

open().catch((error) => say(`The PDF could not be shown: ${error.message}`));
