"""A computer-science duplicate set made from the real export files in ``../shared/data/exports``.

Usage: python benchmarks/dedup_exports.py OUT_DIR [--exports DIR]

The same papers exported by different libraries (ACM DL, IEEE Xplore, Scopus, Web of Science,
Semantic Scholar, OpenAlex ...) are read with metasummary's own readers and written as one
``records_pre_merged.csv``; the ground truth, checked by hand, is ``sets/cs_exports/
merged_record_ids.csv`` (see ``sets/cs_exports/README.md`` for how it was made). Record ids
name the file and the entry: ``ieee_sample_response_json_017`` is the 17th entry of
``ieee/sample_response.json``. Only the ids and the ground truth live in this repository; the
records are read from the export files each time.
"""

from __future__ import annotations

import argparse
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from dedup_sets import GROUPS, write_records
from metasummary.models import RecordData
from metasummary.sources import Problem, decode, read, sniff

HERE = Path(__file__).resolve().parent
EXPORTS = HERE.parent.parent / "shared" / "data" / "exports"
TRUTH = HERE / "sets" / "cs_exports"
NAME = "cs_exports"

# The computer-science files (medicine, physics and deliberately broken files left out).
FILES = (
    "acm/acm.bib",
    "arxiv/sample_response.xml",
    "crossref/crossref_ex_1.json",
    "ieee/example.ris",
    "ieee/ieee.csv",
    "ieee/ieeexplore-title.bib",
    "ieee/sample_response.json",
    "openalex/sample_response.json",
    "sciencedirect/science-direct.bib",
    "scopus/buhos_scopus.bib",
    "scopus/scopus.csv",
    "semantic_scholar/relevance_search_response.json",
    "springer/springer.csv",
    "web_of_science/wos.bib",
    "web_of_science/wos_plaintext.txt",
    "web_of_science/wos_tab_delimited_win_utf8.txt",
)


def record_id(path: str, number: int) -> str:
    return f"{re.sub(r'[^A-Za-z0-9]+', '_', path)}_{number:03d}"


def records(exports: Path = EXPORTS) -> Iterator[tuple[str, RecordData]]:
    """Every record of the chosen files, read as an import reads them, with its id."""
    for path in FILES:
        file = exports / path
        doc = decode(file.read_bytes(), file.name)
        number = 0
        for item in read(doc, sniff(doc)):
            if isinstance(item, Problem):
                continue
            number += 1
            yield record_id(path, number), item


def build(out: Path, exports: Path = EXPORTS) -> Path:
    """Write the set to ``out/cs_exports`` and return that folder."""
    folder = out / NAME
    write_records(folder, records(exports))
    shutil.copyfile(TRUTH / GROUPS, folder / GROUPS)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--exports", type=Path, default=EXPORTS)
    args = parser.parse_args()
    print(build(args.out, args.exports))


if __name__ == "__main__":
    main()
