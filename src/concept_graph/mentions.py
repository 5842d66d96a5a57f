"""Mentions: where the article names each concept, by its label or a synonym.

Matching is case-insensitive on word boundaries and admits simple plurals ("caregivers",
"anxieties"). When names overlap, the longest wins, so "ego sturdiness" is not also counted as a
mention of a concept named "sturdiness", and "psychological security" is one mention.

All names are found in one pass: an Aho-Corasick automaton holds every name and its plural forms
(lower-cased, one space between words), and scans a lower-cased copy of the text whose runs of
white space are one space each, with a table back to the text's own offsets. A regex per name read
the whole article once per name: 45 ms a name, ten minutes for a reading list of 10,000 concepts.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

from .model import ConceptGraph

_SPACES = re.compile(r"\s+")
_UNEVEN_SPACE = re.compile(r"\s{2,}|[^\S ]")  # a run of spaces, or a newline, tab, ...


@dataclass(frozen=True)
class Mention:
    concept: str
    start: int
    end: int
    section: int
    text: str


def name_forms(name: str) -> list[str]:
    """The forms a name is found in: itself and its plural, lower-cased, words one space apart.

    >>> name_forms("Secure Base"), name_forms("anxiety"), name_forms("day")
    (['secure base', 'secure bases', 'secure basees'], ['anxiety', 'anxieties'], ['day', 'days', 'dayes'])
    """
    words = name.split()
    if not words:
        return []
    base = " ".join(words).lower()
    last = words[-1]
    if name.endswith("y") and len(name) > 2 and name[-2] not in "aeiou":
        return [base, " ".join([*words[:-1], last[:-1] + "ies"]).lower()]
    return [base, base + "s", base + "es"]


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c in "_-"


def _search_text(text: str) -> tuple[str, array | None]:
    """The text lower-cased with each run of white space as one space, and where each character came from.

    ``None`` as the table means the offsets are the text's own.

    >>> _search_text("A  Secure\\nbase")
    ('a secure base', array('q', [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]))
    """
    low = text.lower()
    if len(low) != len(text):  # e.g. 'İ' lower-cases to two characters: keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if not _UNEVEN_SPACE.search(low):
        return low, None
    origin, pieces, at = array("q"), [], 0
    for match in _SPACES.finditer(low):
        start, end = match.span()
        pieces.append(low[at:start])
        origin.extend(range(at, start))
        pieces.append(" ")
        origin.append(start)
        at = end
    pieces.append(low[at:])
    origin.extend(range(at, len(low) + 1))
    return "".join(pieces), origin


def find_mentions(graph: ConceptGraph) -> list[Mention]:
    """Every mention of every concept in the article's sections, longest match first, in text order."""
    return list(graph.mentions)


def scan(graph: ConceptGraph) -> tuple[Mention, ...]:
    """The mentions, computed; :attr:`ConceptGraph.mentions` keeps them once per graph.

    Semantics of a regex per name, kept exactly: each name's matches are the leftmost ones that do
    not overlap each other (as ``re.finditer`` finds them); then, over all names, a match that
    starts inside one already taken is dropped, the longest first where two start together.
    """
    article = graph.article
    text = article.text
    forms: dict[str, list[tuple[str, int]]] = {}  # form -> (concept, which name) pairs
    for concept in graph.concepts:
        for n, name in enumerate(concept.names):
            for form in name_forms(name):
                forms.setdefault(form, []).append((concept.id, n))
    if not forms:
        return ()
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for form, owners in forms.items():
        automaton.add_word(form, (len(form), tuple(owners)))
    automaton.make_automaton()
    haystack, origin = _search_text(text)
    found = []
    for last, (length, owners) in automaton.iter(haystack):
        first = last - length + 1
        start, end = (first, last + 1) if origin is None else (origin[first], origin[last] + 1)
        if start > 0 and _is_word_char(text[start - 1]):
            continue
        if end < len(text) and _is_word_char(text[end]):
            continue
        for owner in owners:
            found.append((owner, start, end))
    found.sort()
    candidates, owner_now, until = [], None, -1
    for owner, start, end in found:  # per name, the leftmost matches that do not overlap
        if owner != owner_now:
            owner_now, until = owner, -1
        if start >= until:
            candidates.append((start, start - end, owner[0], end))
            until = end
    candidates.sort()
    mentions, taken_until = [], -1
    for start, _neg, concept_id, end in candidates:
        if start < taken_until:
            continue
        section = article.section_at(start)
        if section is None or start < section.start:  # the title, table of contents and headings
            continue
        mentions.append(Mention(concept_id, start, end, section.number, text[start:end]))
        taken_until = end
    return tuple(mentions)


def concept_sections(graph: ConceptGraph) -> dict[str, list[int]]:
    """For each concept, the sections it appears in: named there, or grounded there by a quote."""
    sections: dict[str, set[int]] = {c.id: set() for c in graph.concepts}
    for mention in find_mentions(graph):
        sections[mention.concept].add(mention.section)
    for concept in graph.concepts:
        if concept.evidence:
            sections[concept.id].add(concept.evidence.section)
    for relation in graph.relations:
        for evidence in relation.evidence:
            sections[relation.subject].add(evidence.section)
            sections[relation.object].add(evidence.section)
    return {cid: sorted(s) for cid, s in sections.items()}


def mentioned_sections(graph: ConceptGraph) -> dict[str, list[int]]:
    """For each concept, the sections whose text names it (by label or synonym)."""
    sections: dict[str, set[int]] = {c.id: set() for c in graph.concepts}
    for mention in find_mentions(graph):
        sections[mention.concept].add(mention.section)
    return {cid: sorted(s) for cid, s in sections.items()}


def mention_counts(graph: ConceptGraph) -> dict[str, int]:
    counts = {c.id: 0 for c in graph.concepts}
    for mention in find_mentions(graph):
        counts[mention.concept] += 1
    return counts
