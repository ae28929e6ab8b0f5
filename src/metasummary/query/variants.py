"""Spelling variants of one concept: hyphen, space or joined; singular or plural; British or
American.

:func:`concept_key` folds every variant of a phrase to one key: each token is put in its
regular singular and its American spelling, and the tokens are joined without a separator, so
``fault-prone``, ``fault prone`` and ``faultprone`` share a key, as do ``data sets`` and
``dataset``, ``behaviour`` and ``behaviors``. A key is only ever compared with other keys, so a
rule that turns a British word into something that is not an American word (``exercise`` →
``exercize``) does no harm: both spellings still fold alike.

:func:`variant_phrases` goes the other way for the full-text index: the phrases that find a
concept in any of its spellings, so counting a suggestion counts every record that uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import product

from metasummary.query.text import number_forms, singular
from metasummary.store.fulltext import Phrase

MAX_PHRASES = 24
"""Phrases one concept expands to at most (the full-text query stays small)."""

# British → American, as regular patterns (Oxford and Merriam-Webster list these families).
_TO_AMERICAN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"(?<=[a-z]{3})is(e|es|ed|ing|er|ers|ation|ations|ational)$", r"iz\1"),
        (r"(?<=[a-z]{2})ys(e|es|ed|ing|er|ers)$", r"yz\1"),
        (r"(?<=[a-z]{2})our(s|ed|ing|ite|ites|able|ably|ful|less|er|ers)?$", r"or\1"),
        (r"(?<=[a-z]{2})([tb])re(s)?$", r"\1er\2"),
        (r"(?<=[a-z]{3})logue(s)?$", r"log\1"),
        (r"(?<=[^aeiou])([ea])ll(ing|ed|er|ers)$", r"\1l\2"),
        (r"fence(s)?$", r"fense\1"),
        (r"^licenc", "licens"),
        (r"(?<=[a-z]{3})mme(s)?$", r"m\1"),
        (r"dgement(s)?$", r"dgment\1"),
        (r"^ageing$", "aging"),
        (r"sulph", "sulf"),
        (r"paed", "ped"),
        (r"haem", "hem"),
        (r"anaes", "anes"),
        (r"aemi", "emi"),
        (r"^oestr", "estr"),
        (r"^oedem", "edem"),
        (r"^oesoph", "esoph"),
        (r"^foet", "fet"),
        (r"rrhoea", "rrhea"),
        (r"gynaec", "gynec"),
        (r"ischaem", "ischem"),
        (r"caesar", "cesar"),
    )
)

# American → British, for counting: only families whose reverse is unambiguous.
_TO_BRITISH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"(?<=[a-z]{3})iz(e|es|ed|ing|er|ers|ation|ations|ational)$", r"is\1"),
        (r"(?<=[a-z]{2})yz(e|es|ed|ing|er|ers)$", r"ys\1"),
        (r"(avi|av|ol|on|um|ab|ghb|ap|ig)or(s|ed|ing|ite|ites|able|ably|ful|less)?$", r"\1our\2"),
        (r"(cen|me|li|fi|thea|cali|lus|som)ter(s)?$", r"\1tre\2"),
        (r"(fi|cali|som)ber(s)?$", r"\1bre\2"),
        (r"(?<=[a-z]{3})log(s)?$", r"logue\1"),
        (r"(?<=[^aeiou])([ea])l(ing|ed|er|ers)$", r"\1ll\2"),
        (r"fense(s)?$", r"fence\1"),
        (r"^program(s)?$", r"programme\1"),
        (r"dgment(s)?$", r"dgement\1"),
        (r"^aging$", "ageing"),
        (r"^sulf", "sulph"),
        (r"^pediatr", "paediatr"),
        (r"^orthoped", "orthopaed"),
        (r"^encycloped", "encyclopaed"),
        (r"^hem(a|o)", r"haem\1"),
        (r"^anes", "anaes"),
        (r"emia(s)?$", r"aemia\1"),
        (r"^estr", "oestr"),
        (r"^edem", "oedem"),
        (r"^esoph", "oesoph"),
        (r"^fet(us|al|uses)$", r"foet\1"),
        (r"rrhea$", "rrhoea"),
        (r"^gynec", "gynaec"),
        (r"^ischem", "ischaem"),
        (r"^cesar", "caesar"),
    )
)


def american(token: str) -> str:
    """``token`` with British spelling families turned American (``behaviour`` → ``behavior``)."""
    for pattern, repl in _TO_AMERICAN:
        token = pattern.sub(repl, token)
    return token


def british(token: str) -> str | None:
    """The British spelling of an American ``token``, or None when it has none."""
    for pattern, repl in _TO_BRITISH:
        changed = pattern.sub(repl, token)
        if changed != token:
            return changed
    return None


@lru_cache(maxsize=65536)
def token_key(token: str) -> str:
    """A token in its singular and American form (cached: a review's vocabulary repeats)."""
    return american(singular(token))


def concept_key(tokens: Sequence[str]) -> str:
    """One key for every spelling of a phrase: tokens folded and joined without a separator."""
    return "".join(token_key(t) for t in tokens)


def token_forms(token: str) -> tuple[str, ...]:
    """``token`` with its number forms and its other spelling, the token itself first."""
    forms: list[str] = []
    for spelling in (token, british(token) or "", american(token)):
        if spelling:
            forms += number_forms(spelling)
    return tuple(dict.fromkeys(forms))


def variant_phrases(spellings: Iterable[Sequence[str]]) -> tuple[Phrase, ...]:
    """Phrases that find a concept written in any of ``spellings`` (each a token sequence).

    Each spelling varies in number and British/American form per token (its last tokens
    first, while there is room); a phrase of two tokens is also tried joined
    (``data set`` → ``dataset``).
    """
    out: dict[tuple[str, ...], None] = {}
    for toks in spellings:
        options = [token_forms(t) for t in toks]
        total = 1
        for i in range(len(options) - 1, -1, -1):
            if total * len(options[i]) > MAX_PHRASES // 2:
                options[i] = options[i][:1]
            total *= len(options[i])
        for combo in product(*options):
            out.setdefault(tuple(combo), None)
        if len(toks) == 2:
            for form in number_forms("".join(toks)):
                out.setdefault((form,), None)
    phrases = list(out)[:MAX_PHRASES]
    return tuple(Phrase(tokens=p, prefix=(False,) * len(p)) for p in phrases)
