"""Mentions: where the article names each concept, by its label or a synonym.

Matching is case-insensitive on word boundaries and admits simple plurals ("caregivers",
"anxieties"). When names overlap, the longest wins, so "ego sturdiness" is not also counted as a
mention of a concept named "sturdiness", and "psychological security" is one mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .model import ConceptGraph


@dataclass(frozen=True)
class Mention:
    concept: str
    start: int
    end: int
    section: int
    text: str


def _pattern(name: str) -> str:
    words = [re.escape(w) for w in name.split()]
    last = words[-1]
    if name.endswith("y") and len(name) > 2 and name[-2] not in "aeiou":
        last = f"(?:{last}|{re.escape(name.split()[-1][:-1])}ies)"
    else:
        last = f"{last}(?:s|es)?"
    body = r"\s+".join([*words[:-1], last])
    return rf"(?<![\w-]){body}(?![\w-])"


def find_mentions(graph: ConceptGraph) -> list[Mention]:
    """Every mention of every concept in the article's sections, longest match first, in text order."""
    return list(_find(graph))


@lru_cache(maxsize=8)
def _find(graph: ConceptGraph) -> tuple[Mention, ...]:
    article = graph.article
    candidates = []
    for concept in graph.concepts:
        for name in concept.names:
            for match in re.finditer(_pattern(name), article.text, flags=re.IGNORECASE):
                candidates.append((match.start(), -(match.end() - match.start()), concept.id, match.end()))
    candidates.sort()
    mentions, taken_until = [], -1
    for start, _neg, concept_id, end in candidates:
        if start < taken_until:
            continue
        section = article.section_at(start)
        if section is None or start < section.start:  # the title, table of contents and headings
            continue
        mentions.append(Mention(concept_id, start, end, section.number, article.text[start:end]))
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
