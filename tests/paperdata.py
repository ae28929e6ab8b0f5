"""A larger generated review that stresses the report's layout: many sources and snowballing
rounds, long criteria, two reviewers who disagree, a long query with versions, seed papers,
long theme labels over several stages, quotes, identical findings in several papers, long
titles, author lists, identifiers and URLs, LaTeX specials and characters pdfLaTeX cannot set.

Deterministic (a fixed seed); decisions are written in one transaction, so it builds in a
few seconds.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from metasummary import Project, RecordData
from metasummary.models import SourceKind
from metasummary.store import catalog
from metasummary.store.schema import decisions
from tests.helpers import protocol_text

LIBRARIES = [
    "IEEE Xplore",
    "ACM Digital Library",
    "Scopus",
    "Web of Science Core Collection",
    "ScienceDirect",
    "SpringerLink",
    "arXiv",
]
CRITERIA = {
    "inclusion": [
        {
            "code": "I1",
            "text": "The paper reports software-engineering challenges of systems "
            "with machine-learning components, as experienced in industrial practice.",
        },
        {
            "code": "I2",
            "text": "It identifies them through interviews, surveys, questionnaires "
            "or focus groups with practitioners (not students).",
        },
        {"code": "I3", "text": "Refereed venue, or an arXiv preprint in publication format."},
        {"code": "I4", "text": "Written in English."},
    ],
    "exclusion": [
        {
            "code": "E1",
            "text": "Strictly model-centric: the product around the model is not "
            "considered at all (e.g. AutoML benchmarks, hyper-parameter studies).",
        },
        {"code": "E2", "text": "Only non-technical people were asked."},
        {"code": "E3", "text": "ML for SE rather than SE for ML."},
        {"code": "E4", "text": "Grey literature: blog posts, white papers, slides, theses."},
    ],
}
STAGES = [
    {"code": "REQ", "label": "Requirements engineering and product management", "order": 1},
    {"code": "DESIGN", "label": "Architecture, design and implementation", "order": 2},
    {"code": "MODEL", "label": "Model development", "order": 3},
    {"code": "DATA", "label": "Data collection, labelling and management", "order": 4},
    {"code": "QA", "label": "Quality assurance, testing and debugging", "order": 5},
    {"code": "OPS", "label": "Deployment, operations and monitoring (MLOps)", "order": 6},
]
FIELDS = [
    {
        "name": "study_type",
        "label": "Study type",
        "type": "choice",
        "choices": [
            "interview",
            "survey",
            "interview and survey",
            "focus group",
            "case study with interviews and artefact analysis",
            "other",
        ],
    },
    {
        "name": "practitioners",
        "label": "Number of practitioners",
        "type": "integer",
        "allow_unspecified": True,
    },
    {
        "name": "venue_category",
        "label": "Publication venue category",
        "type": "choice",
        "choices": ["journal", "conference", "workshop", "preprint (arXiv)"],
    },
]
QUERY = {
    "groups": [
        {
            "name": "A",
            "label": "ML-related keyword",
            "terms": [
                "machine learning",
                "artificial intelligence",
                "deep learning",
                "ML component",
                "data science",
                "neural network*",
                "AI-based system*",
                "ML-enabled system*",
            ],
        },
        {
            "name": "B",
            "label": "Software engineering or ML deployment keyword",
            "terms": [
                "software engineering",
                "software systems",
                "production-ready systems",
                "ML systems",
                "deploying ML",
                "ML deployment",
                "MLOps",
                "software architecture",
            ],
        },
        {
            "name": "C",
            "label": "Surveys or interviews",
            "terms": ["interview*", "survey*", "questionnaire*", "focus group*", "practitioner*"],
        },
    ],
    "years": {"from": 2010, "to": 2023},
}
SEEDS = [
    {
        "title": "Software Engineering for Machine Learning: A Case Study",
        "note": "no mention of interview in abstract",
    },
    {
        "title": "Requirements Engineering for Machine Learning: Perspectives from Data Scientists",
        "note": 'no mention of "Software Engineering" in abstract, but of engineering',
    },
    {
        "title": "A paper the review does not hold at all, with a rather long title about "
        "hidden technical debt in machine-learning systems",
        "note": "not indexed in any library",
    },
]
WORDS = (
    "model",
    "data",
    "pipeline",
    "deployment",
    "monitoring",
    "requirement",
    "stakeholder",
    "quality",
    "testing",
    "debugging",
    "labelling",
    "feature",
    "drift",
    "fairness",
    "explainability",
    "architecture",
    "integration",
    "infrastructure",
    "reproducibility",
    "versioning",
    "collaboration",
    "documentation",
    "interview",
    "survey",
    "practitioner",
    "organisation",
    "process",
    "tooling",
    "experiment",
    "evaluation",
    "accuracy",
    "latency",
)
SHARED_FINDINGS = [
    "PaaS platforms use proprietary runtimes.",
    "Data scientists and software engineers lack a shared vocabulary.",
    "Model accuracy is not enough to judge whether the product works for its users.",
    "There is no oracle for testing ML components.",
]
ODD = [
    "Costs rose by 50% & the team's budget (in $) was cut; see config_file_v2 #3 ~ ^ {braces}",
    "Practitioners cite https://github.com/example-org/very-long-repository-name/blob/main/"
    "docs/guidelines_for_ml_deployment.md as their only guidance",
    "Teams measure κ ≥ 0.8 between labellers → relabel otherwise; 数据 quality matters",
    "Antidisestablishmentarianism-style overengineering of featurestoresandpipelines occurs",
]


QUALITY = {
    "questions": [
        {"id": f"QA{n}", "text": text}
        for n, text in enumerate(
            [
                "Are the aims of the study clearly stated?",
                "Is the method described well enough to repeat it?",
                "Is the sample of practitioners described (roles, organisations, countries)?",
                "Are threats to validity discussed?",
                "Are the findings supported by quotes or data?",
                "Is the analysis (coding, card sort) described?",
                "Were the instruments (interview guide, questionnaire) published?",
                "Are the conclusions tied to the research questions?",
            ],
            1,
        )
    ],
    "scale": [
        {"answer": "yes", "score": 1},
        {"answer": "partly", "score": 0.5},
        {"answer": "no", "score": 0},
    ],
}


def protocol() -> str:
    return protocol_text(
        title="A larger generated review: challenges of engineering software products with "
        "machine-learning components, a meta-summary",
        research_questions=[
            {
                "id": "RQ1",
                "text": "What challenges do practitioners report when building "
                "software products with machine-learning components?",
            },
            {
                "id": "RQ2",
                "text": "In which development stages do the challenges arise, and "
                "how often is each reported?",
            },
        ],
        criteria={**CRITERIA, "allow_free_notes": True},
        query=QUERY,
        sources=[
            *({"name": n, "kind": "library", "library": n.split()[0].lower()} for n in LIBRARIES),
            {
                "name": "Snowballing",
                "kind": "snowball",
                "reported": {"title_abstract": 26, "full_text": 11},
            },
            {"name": "Manual additions", "kind": "manual"},
        ],
        seed_papers=SEEDS,
        stages=STAGES,
        extraction={"fields": FIELDS},
        reviewers=[{"id": "R1"}, {"id": "R2"}],
        screening={"title_abstract": {"mode": "dual"}, "full_text": {"mode": "dual"}},
        quality=QUALITY,
    )


def _title(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 16)))
    extra = [
        "",
        ": A Mixed-Methods Study of 4,758+ Practitioners",
        " & Their Discontents",
        " in the Wild (Extended Version)",
        " — Lessons Learned",
    ][n % 5]
    return f"{words.capitalize()}{extra} {n}"


def _record(rng: random.Random, n: int) -> RecordData:
    authors = [f"Author{n}{chr(65 + i)}, Given {chr(75 + i)}." for i in range(rng.randint(1, 14))]
    if n % 9 == 0:
        authors[0] = "Ünsal-Müller, Zoë"
    return RecordData(
        title=_title(rng, n),
        authors=authors,
        year=2010 + n % 14,
        venue=rng.choice(
            [
                "International Conference on Software Engineering: Software Engineering in "
                "Practice (ICSE-SEIP)",
                "Empirical Software Engineering",
                "CAIN",
                "arXiv",
            ]
        ),
        doi=f"10.1109/ICSE-SEIP_{n}.2022.{1000 + n}" if n % 3 else "",
        url=f"https://example.org/papers/{n}?download=true&format=pdf" if n % 4 == 0 else "",
        original_key=f"paper{n}",
    )


def build(project: Project, records: int = 120) -> None:
    rng = random.Random(2023)
    made = [_record(rng, n) for n in range(records)]
    for index, name in enumerate(LIBRARIES):
        part = made[index :: len(LIBRARIES)]
        project.add_records(name, part, kind=SourceKind.LIBRARY)
    # Some papers found in two libraries, and by two snowballing rounds.
    project.add_records("Scopus", made[:12], kind=SourceKind.LIBRARY)
    project.add_records(
        "Snowballing round 1", [*made[:3], _record(rng, 900)], kind=SourceKind.SNOWBALL
    )
    project.add_records(
        "Snowballing round 2", [_record(rng, 901), _record(rng, 902)], kind=SourceKind.SNOWBALL
    )
    project.add_records("Manual additions", [_record(rng, 950)], kind=SourceKind.MANUAL)
    project.dedup.run(workers=1)
    project.query.test(note="the first draft, before the seed papers were checked")
    project.query.test(note="a second run with a note long enough to wrap in its table cell")
    _screen(project, rng)
    _synthesise(project, rng)
    _extract(project, rng)
    _assess(project, rng)
    theme = project.synthesis.sorting.themes()[0]
    project.report.annotate(
        notice="A generated review: its papers, counts and findings are made up.",
        reported_frequency={theme.id: 19},
    )


def _screen(project: Project, rng: random.Random) -> None:
    from metasummary.models import Phase
    from metasummary.screening.standing import Standing

    with project.store.read() as conn:
        roots = sorted(Standing(project.required_votes()).everything(conn).groups.roots())
    with project.store.write() as conn:
        reviewers = {r.code: r.id for r in catalog.list_reviewers(conn)}
        rows = []
        for root in roots:
            include = rng.random() < 0.45
            for reviewer in ("R1", "R2"):
                agree = rng.random() > 0.08
                verdict = include if agree else not include
                rows.append(_vote(root, "title-abstract", reviewers[reviewer], verdict, rng))
        conn.execute(decisions.insert(), rows)
    with project.store.read() as conn:
        passed = sorted(Standing(project.required_votes()).included(conn, Phase.TITLE_ABSTRACT))
    with project.store.write() as conn:
        rows = []
        for root in passed:
            include = rng.random() < 0.7
            for reviewer in ("R1", "R2"):
                rows.append(_vote(root, "full-text", reviewers[reviewer], include, rng))
        conn.execute(decisions.insert(), rows)


def _vote(record: int, phase: str, reviewer: int, include: bool, rng: random.Random) -> dict:
    codes = [] if include else rng.sample(["E1", "E2", "E3", "E4", "I1", "I2"], rng.randint(1, 2))
    if codes and all(c.startswith("I") for c in codes):
        codes.append("E4")
    return {
        "record_id": record,
        "phase": phase,
        "reviewer_id": reviewer,
        "kind": "vote",
        "verdict": "include" if include else "exclude",
        "criteria": codes,
        "created_at": datetime(2023, 1, 1, tzinfo=UTC),
    }


def _synthesise(project: Project, rng: random.Random) -> None:
    from metasummary.models import Phase
    from metasummary.screening.standing import Standing

    synthesis = project.synthesis
    themes = []
    for stage in STAGES:
        for n in range(rng.randint(2, 4)):
            label = (
                f"{stage['label']}: a challenge that practitioners describe at some length, "
                f"number {n + 1}"
            )
            themes.append(
                synthesis.sorting.create_theme(
                    str(stage["code"]),
                    label,
                    description="Practitioners report this in many forms; " * rng.randint(1, 4),
                    sub_points=[
                        f"sub-point {k}: {' '.join(rng.sample(WORDS, 6))}"
                        for k in range(rng.randint(0, 4))
                    ],
                ).id
            )
    with project.store.read() as conn:
        papers = sorted(Standing(project.required_votes()).included(conn, Phase.FULL_TEXT))
    for index, paper in enumerate(papers):
        texts = [
            " ".join(rng.sample(WORDS, rng.randint(6, 30))).capitalize() + "." for _ in range(3)
        ]
        texts.append(SHARED_FINDINGS[index % len(SHARED_FINDINGS)])
        texts.append(ODD[index % len(ODD)])
        for k, text in enumerate(texts):
            finding = synthesis.findings.add(
                paper,
                text,
                kind="quote" if k == 0 else "paraphrase",
                location=f"p. {k + 3}" if k == 1 else "",
            )
            if rng.random() < 0.9:
                theme = themes[(index + k) % len(themes)] if k < 3 else themes[k]
                synthesis.sorting.move_findings([finding.id], theme)


def _extract(project: Project, rng: random.Random) -> None:
    from metasummary.models import Phase
    from metasummary.screening.standing import Standing

    with project.store.read() as conn:
        papers = sorted(Standing(project.required_votes()).included(conn, Phase.FULL_TEXT))
    assert project.root is not None
    sheet = project.root / "extraction.csv"
    lines = ["record,study_type,practitioners,venue_category"]
    for paper in papers:
        study = rng.choice(FIELDS[0]["choices"])
        count = rng.choice(["", "unspecified", str(rng.randint(5, 900))])
        venue = rng.choice(FIELDS[2]["choices"])
        lines.append(f'{paper},"{study}",{count},"{venue}"')
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project.synthesis.extraction.import_file(sheet)


def _assess(project: Project, rng: random.Random) -> None:
    """Both reviewers answer the quality checklist for every included paper."""
    from metasummary.models import Phase
    from metasummary.screening.standing import Standing

    with project.store.read() as conn:
        papers = sorted(Standing(project.required_votes()).included(conn, Phase.FULL_TEXT))
    quality = project.fulltexts.quality
    questions = [str(q["id"]) for q in QUALITY["questions"]]  # type: ignore[index]
    for paper in papers:
        answers = {q: rng.choice(["yes", "partly", "no"]) for q in questions}
        for reviewer in ("R1", "R2"):
            if reviewer == "R2" and rng.random() < 0.3:
                answers = {**answers, questions[0]: rng.choice(["yes", "no"])}
            quality.answer(paper, answers, reviewer=reviewer)
