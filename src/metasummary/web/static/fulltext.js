// Dropping PDFs on the full-text desk or on a paper's reader: each file is posted to
// /api/fulltext/attach (matched by DOI or title, or to the page's record), and what became of
// it is listed. The file input does the same for keyboard users.
(function () {
  "use strict";
  const zone = document.getElementById("drop");
  if (!zone) return;
  const input = document.getElementById("drop-files");
  const list = document.getElementById("drop-results");
  const token = document.querySelector('meta[name="csrf-token"]').content;

  function say(text, cls) {
    const li = document.createElement("li");
    li.textContent = text;
    if (cls) li.className = cls;
    list.appendChild(li);
  }

  async function send(files) {
    const pdfs = Array.from(files).filter((f) => /\.pdf$/i.test(f.name) || f.type === "application/pdf");
    if (!pdfs.length) { say("Drop PDF files.", "warning"); return; }
    const form = new FormData();
    pdfs.forEach((f) => form.append("files", f, f.name));
    if (zone.dataset.record) form.append("record", zone.dataset.record);
    if (zone.dataset.reviewer) form.append("reviewer", zone.dataset.reviewer);
    const response = await fetch("/api/fulltext/attach", {
      method: "POST", body: form, headers: { "X-CSRF-Token": token },
    });
    const data = await response.json();
    if (!response.ok) { say(data.detail || "the files could not be attached", "warning"); return; }
    let attached = 0;
    for (const f of data.files) {
      if (f.status === "attached") {
        attached += 1;
        say(`${f.file}: attached to record #${f.record_id} (by ${f.how}, version ${f.version})`);
      } else if (f.status === "already") {
        say(`${f.file}: already attached to record #${f.record_id}`);
      } else {
        const near = f.candidates.map((c) => `#${c.record_id} ${c.title}`).join("; ");
        say(`${f.file}: no record matches${near ? "; closest: " + near : ""}`, "warning");
      }
      for (const w of f.warnings) say(w, "warning");
    }
    if (attached) setTimeout(() => window.location.reload(), 600);
  }

  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    send(e.dataTransfer.files);
  });
  if (input) input.addEventListener("change", () => send(input.files));
})();
