"""The model: small frozen dataclasses that every output reads.

Validation (:mod:`concept_graph.validate`) is the only place that creates a :class:`ConceptGraph`,
so an instance is always consistent: every relation points at known concepts and types, and every
quote is located in the article.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Section:
    """A section of the article: its number (1-based), heading, and character span of its body."""

    number: int
    heading: str
    heading_start: int
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence with its position: ``index`` is 0-based over the whole article."""

    index: int
    section: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """The article as data: its text, title, sections and sentences, all with character offsets.

    Offsets count Unicode code points of the text as stored, the unit of W3C Web Annotation's
    TextPositionSelector.
    """

    path: str
    title: str
    text: str
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]

    def section(self, number: int) -> Section:
        return self.sections[number - 1]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.heading_start for s in self.sections]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that contains ``offset``, or ``None`` for headings and blank space.

        Sentences are in text order and do not overlap, so a binary search over their starts
        finds the one candidate: O(log n), which matters when a reading list has 60,000 quotes.
        """
        index = bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None

    def section_at(self, offset: int) -> Section | None:
        """The section whose heading or body contains ``offset`` (binary search, as above)."""
        index = bisect_right(self._section_starts, offset) - 1
        if index >= 0 and offset < self.sections[index].end:
            return self.sections[index]
        return None


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote of the article, located: the ground of a relation or definition."""

    quote: str
    start: int
    end: int
    section: int
    sentence: int
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Category:
    """A group of concepts (a ``skos:Collection``).

    ``needs_outgoing``: concepts of this category are expected to act on something (a practice, a
    defence), so ``lint`` reports one with no outgoing relation.
    """

    id: str
    label: str
    definition: str
    needs_outgoing: bool = False


@dataclass(frozen=True)
class Family:
    """A family of relation types that a reader (and a query) takes together: "helps", "hinders".

    Exported as an ``owl:ObjectProperty`` that each of its types is an ``rdfs:subPropertyOf``, so
    one query asks for every positive influence at once; the page draws a family in one colour
    and line style.
    """

    id: str
    label: str
    definition: str


@dataclass(frozen=True)
class Concept:
    """A SKOS concept: preferred label, synonyms (altLabels), definition and its evidence.

    ``exact_match``: IRIs of the same concept in other graphs (``skos:exactMatch``).
    ``lint_disabled``: lint rules the curator switched off for this concept, having read what
    they report (a concept the article names often but states one thing of).
    """

    id: str
    label: str
    synonyms: tuple[str, ...]
    category: str
    definition: str
    evidence: Evidence | None = None
    source: tuple[str, int] | None = field(default=None, compare=False, repr=False)  # spec file and line
    exact_match: tuple[str, ...] = ()
    lint_disabled: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class RelationType:
    """A kind of relation, exported as an ``owl:ObjectProperty``.

    ``inverse_label`` reads the relation backwards ("is fostered by"); a symmetric type has none.
    ``skos`` optionally names the SKOS property it specializes (``broader`` for kind-of).
    ``family`` groups it with kindred types; ``conflicts_with`` names types or families that
    cannot also hold for the same subject and object (``lint`` reports such pairs); ``cues`` and
    ``reverse_cues`` are the words by which a sentence states it, subject first or object first.
    """

    id: str
    label: str
    definition: str
    inverse_label: str | None = None
    symmetric: bool = False
    skos: str | None = None
    family: str | None = None
    conflicts_with: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    reverse_cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relation:
    """``subject --type--> object``, as the article states it, with one or more quotes."""

    subject: str
    type: str
    object: str
    evidence: tuple[Evidence, ...]
    note: str | None = None
    source: tuple[str, int] | None = field(default=None, compare=False, repr=False)  # spec file and line

    @property
    def id(self) -> str:
        return f"{self.subject}--{self.type}--{self.object}"


@dataclass(frozen=True)
class Targets:
    """What a build must reach, so that a spec cut in half cannot build quietly.

    ``None`` means no target. ``min_coverage`` is a share of the article's sentences (0 to 1).
    """

    min_coverage: float | None = None
    max_isolated: int | None = None
    max_lint_findings: int | None = None


@dataclass(frozen=True)
class GraphMeta:
    id: str
    title: str
    description: str
    base: str
    language: str
    targets: Targets = Targets()
    lint_disabled: tuple[str, ...] = ()
    source: tuple[str, int] | None = field(default=None, compare=False, repr=False)  # where targets are set


@dataclass(frozen=True)
class ConceptGraph:
    """A validated graph of one article. Lists keep the order of the spec."""

    meta: GraphMeta
    article: Article
    categories: tuple[Category, ...]
    relation_types: tuple[RelationType, ...]
    concepts: tuple[Concept, ...]
    relations: tuple[Relation, ...]
    families: tuple[Family, ...] = ()

    @cached_property
    def concept_by_id(self) -> dict[str, Concept]:
        return {c.id: c for c in self.concepts}

    @cached_property
    def relation_type_by_id(self) -> dict[str, RelationType]:
        return {t.id: t for t in self.relation_types}

    @cached_property
    def family_by_id(self) -> dict[str, Family]:
        return {f.id: f for f in self.families}

    @cached_property
    def category_by_id(self) -> dict[str, Category]:
        return {c.id: c for c in self.categories}

    @cached_property
    def mentions(self) -> tuple:
        """Where the article names each concept (:mod:`concept_graph.mentions`), found once per graph."""
        from .mentions import scan

        return scan(self)

    def concept(self, concept_id: str) -> Concept:
        return self.concept_by_id[concept_id]

    def relations_of(self, concept_id: str) -> list[Relation]:
        """Every relation in which the concept is subject or object."""
        return [r for r in self.relations if concept_id in (r.subject, r.object)]
