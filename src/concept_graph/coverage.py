"""Coverage: how much of the article the graph grounds, sentence by sentence.

A sentence is grounded when a relation's quote or a concept definition's quote overlaps it. The
sentences that ground nothing are the knowledge engineer's to-do list: each either states
something the graph lacks, or says nothing that needs a node or an edge.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .model import ConceptGraph, Sentence


@dataclass(frozen=True)
class SectionCoverage:
    number: int  # 0 for the whole article
    heading: str
    sentences: int
    grounded: int
    ungrounded: tuple[Sentence, ...]

    @property
    def share(self) -> float:
        return self.grounded / self.sentences if self.sentences else 1.0


def grounding(graph: ConceptGraph) -> dict[int, int]:
    """Sentence index -> how many quotes (relation or definition) overlap it.

    Sentences are in text order and do not overlap, so the sentences a quote overlaps are a run
    found by binary search on their ends: O((sentences + quotes) log sentences), where a test of
    every sentence against every quote took minutes on a reading list.
    """
    sentences = graph.article.sentences
    ends = [s.end for s in sentences]
    counts = {s.index: 0 for s in sentences}
    spans = [e for r in graph.relations for e in r.evidence] + [c.evidence for c in graph.concepts if c.evidence]
    for evidence in spans:
        at = bisect_right(ends, evidence.start)  # the first sentence that ends after the quote starts
        while at < len(sentences) and sentences[at].start < evidence.end:
            counts[sentences[at].index] += 1
            at += 1
    return counts


def coverage(graph: ConceptGraph) -> list[SectionCoverage]:
    """Coverage per section, then for the whole article (number 0)."""
    counts = grounding(graph)
    by_section: dict[int, list[Sentence]] = {}
    for sentence in graph.article.sentences:
        by_section.setdefault(sentence.section, []).append(sentence)
    out = []
    for section in graph.article.sections:
        sentences = by_section.get(section.number, [])
        ungrounded = tuple(s for s in sentences if not counts[s.index])
        out.append(SectionCoverage(section.number, section.heading, len(sentences),
                                   len(sentences) - len(ungrounded), ungrounded))
    every = graph.article.sentences
    missing = tuple(s for s in every if not counts[s.index])
    out.append(SectionCoverage(0, "whole article", len(every), len(every) - len(missing), missing))
    return out
