"""What the query already finds: a suggested phrase that adds nothing is left out.

A phrase the whole AND finds by itself (``software fault prediction`` for the groups software
· fault · prediction), one the NOT group finds, or one made of a term's own words (``learning``
beside ``machine learning``) adds nothing. A phrase only some groups find still counts: it
narrows them (``fault proneness`` for a group with ``fault``).
"""

from __future__ import annotations

from collections.abc import Sequence

from metasummary.query.matcher import Document, group_matches
from metasummary.query.model import BooleanQuery
from metasummary.query.variants import token_key


def covering_groups(tokens: Sequence[str], query: BooleanQuery) -> list[str]:
    """The groups (of the AND) whose terms already find the phrase ``tokens``."""
    text = " ".join(tokens)
    doc = Document.of(title=text, abstract=text, keywords=[text])
    return [g.name for g in query.groups if group_matches(doc, g)]


def covered(tokens: Sequence[str], query: BooleanQuery) -> bool:
    """Whether suggesting ``tokens`` would add nothing: the whole query finds the phrase by
    itself, the NOT group does, or its words are words of one term (``learning`` beside
    ``machine learning``)."""
    if query.groups and len(covering_groups(tokens, query)) == len(query.groups):
        return True
    text = " ".join(tokens)
    doc = Document.of(title=text, abstract=text, keywords=[text])
    if query.exclude is not None and group_matches(doc, query.exclude):
        return True
    mine = {token_key(t) for t in tokens}
    return any(
        mine <= {token_key(tok) for tok, _ in term.tokens}
        for group in query.all_groups()
        for term in group.terms
    )
