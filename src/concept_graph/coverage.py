"""Coverage: how much of the article the graph grounds, sentence by sentence.

A sentence is grounded when a relation's quote or a concept definition's quote overlaps it. The
sentences that ground nothing are the knowledge engineer's to-do list: each either states
something the graph lacks, or says nothing that needs a node or an edge.
"""

from __future__ import annotations

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
    """Sentence index -> how many quotes (relation or definition) overlap it."""
    spans = [e for r in graph.relations for e in r.evidence] + [c.evidence for c in graph.concepts if c.evidence]
    counts = {s.index: 0 for s in graph.article.sentences}
    for sentence in graph.article.sentences:
        for evidence in spans:
            if evidence.start < sentence.end and sentence.start < evidence.end:
                counts[sentence.index] += 1
    return counts


def coverage(graph: ConceptGraph) -> list[SectionCoverage]:
    """Coverage per section, then for the whole article (number 0)."""
    counts = grounding(graph)
    out = []
    for section in graph.article.sections:
        sentences = [s for s in graph.article.sentences if s.section == section.number]
        ungrounded = tuple(s for s in sentences if not counts[s.index])
        out.append(SectionCoverage(section.number, section.heading, len(sentences),
                                   len(sentences) - len(ungrounded), ungrounded))
    every = graph.article.sentences
    missing = tuple(s for s in every if not counts[s.index])
    out.append(SectionCoverage(0, "whole article", len(every), len(every) - len(missing), missing))
    return out
