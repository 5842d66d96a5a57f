"""Several articles, one graph: the graph folders of a course joined, each shared concept once.

A folder holding several graph folders (``graph/``: one folder per article of a reading list)
has a combined graph besides each article's own. Its RDF is a dataset: every article's graph as
it is, in a named graph whose name is that graph's base IRI (where ``push`` puts it in a store,
so a query names an article the same way everywhere), and a default graph holding what joining
adds. The page draws the union, with each quote's article.

**Shared concepts.** Concepts are the same when they have the same IRI or when one names the
other in ``exact_match`` (``skos:exactMatch``), directly or through others (SKOS makes the
property symmetric and transitive): ``concept-graph draft`` proposes a concept that another
graph folder has under its id, with ``exact_match`` naming its IRI. The RDF keeps both IRIs,
each in its own article's graph, and the default graph states ``skos:exactMatch`` between every
two of them both ways, written out as the project writes out inverse relation types, so a query
finds a shared concept from any article without a reasoner. The page draws them as one node
carrying every article's evidence. (Two graph folders cannot share a base: their article,
section and evidence IRIs would be the same. The same concept IRI in two articles therefore
never arises; ``exact_match`` is how articles share.)

**Which article speaks for a shared concept.** The concept the others name in ``exact_match``
is the one they were drafted against, the concept's first home: its label, category and
definition are the node's. When several are named so, or none is, the first graph folder in
name order speaks. The other articles' labels become the node's synonyms, and every article's
definition stays available, with its quote, under the article's title.

A node takes the id of the concept that speaks for it; two nodes that would have the same id
(the same id in two articles, not linked) are told apart as ``graph-id:concept-id``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from .errors import ConceptGraphError, Problem, display_path
from .model import (
    Article,
    Category,
    Concept,
    ConceptGraph,
    Evidence,
    Family,
    GraphMeta,
    Relation,
    RelationType,
    Section,
    Sentence,
)

COMBINED_ID = "combined"
_NAMESPACES = ("concept", "rel", "category", "relation", "evidence")


@dataclass(frozen=True)
class Member:
    """One article's concept inside a node of the combined graph: the graph's index and the concept's id."""

    graph: int
    concept: str


@dataclass(frozen=True)
class Combined:
    """The graphs of several articles (in graph folder order) and the one graph they make together.

    ``members`` gives each node's concepts, the one that speaks for it first; ``node_of`` maps
    (graph index, concept id) to the node. ``view`` is the union as one :class:`ConceptGraph`
    for the page and the layout: its article is the articles one after another (each section
    and quote moved by the length of the articles before it), so every part of the page that
    reads one article reads them all; :attr:`offsets` moves a quote back into its own article.
    """

    graphs: tuple[ConceptGraph, ...]
    folders: tuple[Path, ...]
    members: dict[str, tuple[Member, ...]] = field(compare=False)
    node_of: dict[tuple[int, str], str] = field(compare=False)
    view: ConceptGraph = field(compare=False)
    offsets: tuple[int, ...] = ()  # where each article's text starts in the view's article
    first_sections: tuple[int, ...] = ()  # the view's number of each article's first section, less one
    articles: tuple[str, ...] = ()  # each article's file as its spec names it (relative to its folder)

    @property
    def shared(self) -> list[str]:
        """The nodes that more than one article has."""
        return [node for node, members in self.members.items() if len({m.graph for m in members}) > 1]

    def article_of_section(self, number: int) -> int:
        """The index of the article that a section of the view belongs to."""
        index = 0
        for i, first in enumerate(self.first_sections):
            if number > first:
                index = i
        return index

    # -- RDF -----------------------------------------------------------------------------------
    def dataset(self) -> list[tuple[str | None, dict]]:
        """The TriG dataset as (graph name, table) pairs: the default graph (``None``), then each article's.

        Each article's table is what its own build writes (:func:`concept_graph.rdf.triples`).
        """
        from .rdf import triples

        return [(None, self.links()), *((g.meta.base, triples(g)) for g in self.graphs)]

    def links(self) -> dict:
        """The default graph: ``skos:exactMatch`` between every two concepts of a shared node, both ways.

        Only what no article states already: an article's own ``exact_match`` is in its graph.
        """
        from rdflib.namespace import SKOS

        from . import rdfwrite

        exact = str(SKOS.exactMatch)
        stated = {(self._iri(Member(i, c.id)), iri) for i, g in enumerate(self.graphs)
                  for c in g.concepts for iri in c.exact_match}
        table: dict = {}
        for members in self.members.values():
            iris = [self._iri(m) for m in members]
            for a in iris:
                for b in iris:
                    if a != b and (a, b) not in stated:
                        rdfwrite.add(table, a, exact, b)
        return table

    def union(self, dataset: list | None = None) -> dict:
        """Every triple of the dataset (or of ``dataset``, made already) in one table.

        The union Turtle and N-Triples are written from it.
        """
        from . import rdfwrite

        table: dict = {}
        for _, part in dataset if dataset is not None else self.dataset():
            for s, pairs in part.items():
                table.setdefault(s, []).extend(pairs)
        return rdfwrite.unique(table)

    def trig(self, dataset: list | None = None) -> Iterator[str]:
        """The dataset (or ``dataset``, made already) as TriG; an empty default graph is left out."""
        from .rdfwrite import trig, unique

        parts = dataset if dataset is not None else self.dataset()
        return trig([(name, unique(table)) for name, table in parts if name is not None or table], self.prefixes())

    def prefixes(self) -> dict[str, str]:
        """The vocabularies' prefixes and each article's own, as ``<graph id>-concept:`` and so on.

        One article's ``concept:`` would be ambiguous in the union; a prefix must start with a
        letter, so a graph whose id starts with a digit gets none (its IRIs are written in full).
        """
        from .vocab import PREFIXES, graph_namespaces

        out = {p: str(ns) for p, ns in PREFIXES.items()}
        for g in self.graphs:
            if g.meta.id[:1].isalpha():
                out.update({f"{g.meta.id}-{p}": str(ns) for p, ns in graph_namespaces(g.meta.base).items()
                            if p in _NAMESPACES})
        return out

    def _iri(self, member: Member) -> str:
        return self.graphs[member.graph].meta.base + "concept/" + member.concept


# -- loading ----------------------------------------------------------------------------------------
def graph_folders(root: Path | str) -> list[Path]:
    """The graph folders directly under ``root``, in name order (the order the articles come in)."""
    root = Path(root)
    return sorted(p.parent for p in root.glob("*/spec") if p.is_dir())


def load_combined(root: Path | str, check: Callable[[Path, ConceptGraph], None] | None = None) -> Combined:
    """Validate every graph folder under ``root`` and join them; every article's problems raised at once.

    ``check`` is run on each valid graph (the build checks targets and storyboards there). A
    failing article fails the whole: its problems keep their own files and lines.
    """
    from .spec import load_spec
    from .targets import TargetsMissed
    from .validate import Validator

    root = Path(root)
    folders = graph_folders(root)
    if len(folders) < 2:
        raise ConceptGraphError(Problem(
            "too-few-graphs", display_path(root), None,
            f"a combined graph needs two graph folders or more under {display_path(root)}; found {len(folders)}",
            "put each article's graph folder (article and spec/) in this folder"))
    graphs, problems, places, articles, missed_only = [], [], [], [], True
    for folder in folders:
        try:
            raw = load_spec(folder)
            graph = Validator(raw).run()
            if check is not None:
                check(folder, graph)
        except ConceptGraphError as exc:
            problems.extend(exc.problems)
            missed_only = missed_only and isinstance(exc, TargetsMissed)
            continue
        spec = raw.graph
        places.append({key: (getattr(spec, "file", None), (getattr(spec, "key_lines", None) or {}).get(key))
                       for key in ("id", "base")})
        graphs.append(graph)
        articles.append(str((spec.get("article") if spec else None) or "article.txt"))
    if problems:
        raise (TargetsMissed if missed_only else ConceptGraphError)(problems)
    return replace(combine(graphs, folders, places), articles=tuple(articles))


def combine(graphs: Sequence[ConceptGraph], folders: Sequence[Path] = (), places: Sequence[dict] = ()) -> Combined:
    """Join validated graphs into one (see the module's documentation for what is shared)."""
    problems = _distinct(graphs, places)
    groups = _groups(graphs)
    members: dict[str, tuple[Member, ...]] = {}
    node_of: dict[tuple[int, str], str] = {}
    speakers = []
    for group in groups:
        by_graph: dict[int, Member] = {}
        for m in group:
            if m.graph in by_graph:
                first, second = graphs[m.graph].concept(by_graph[m.graph].concept), graphs[m.graph].concept(m.concept)
                file, line = second.source or (None, None)
                problems.append(Problem(
                    "shared-twice", file, line,
                    f"concepts {first.id!r} and {second.id!r} of graph {graphs[m.graph].meta.id!r} would be one "
                    "concept in the combined graph: their exact_match links make them the same",
                    "link each concept of an article to a different concept of the others"))
            by_graph.setdefault(m.graph, m)
        speakers.append(_speaker(graphs, group))
    if problems:
        raise ConceptGraphError(problems)
    ids = [graphs[s.graph].concept(s.concept).id for s in speakers]
    taken = {i for i in ids if ids.count(i) > 1}
    for group, speaker, cid in zip(groups, speakers, ids, strict=True):
        node = f"{graphs[speaker.graph].meta.id}:{cid}" if cid in taken else cid
        members[node] = (speaker, *(m for m in group if m != speaker))
        for m in group:
            node_of[(m.graph, m.concept)] = node
    view, offsets, firsts = _view(graphs, members, node_of)
    return Combined(tuple(graphs), tuple(Path(f) for f in folders), members, node_of, view, offsets, firsts)


def _distinct(graphs: Sequence[ConceptGraph], places: Sequence[dict]) -> list[Problem]:
    """Two articles with the same graph id or base would mint the same IRIs and prefixes."""
    problems = []
    for key, what, hint in (("id", "id", "give each graph folder its own graph id"),
                            ("base", "base IRI", "give each graph its own base; share concepts with exact_match")):
        seen: dict[str, int] = {}
        for i, g in enumerate(graphs):
            value = g.meta.id if key == "id" else g.meta.base
            if value in seen:
                file, line = places[i][key] if i < len(places) else (None, None)
                other = graphs[seen[value]].meta.title
                problems.append(Problem(f"shared-{key}", file, line,
                                        f"graph {g.meta.title!r} has the same {what} as {other!r}: {value}", hint))
            seen.setdefault(value, i)
    return problems


def _groups(graphs: Sequence[ConceptGraph]) -> list[list[Member]]:
    """The concepts of all graphs grouped into nodes: same IRI, or linked by exact_match (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    order: list[tuple[str, Member]] = []
    for i, g in enumerate(graphs):
        for c in g.concepts:
            iri = g.meta.base + "concept/" + c.id
            order.append((iri, Member(i, c.id)))
            find(iri)
            for other in c.exact_match:
                union(iri, other)
    groups: dict[str, list[Member]] = {}
    for iri, member in order:
        groups.setdefault(find(iri), []).append(member)
    return list(groups.values())


def _speaker(graphs: Sequence[ConceptGraph], group: list[Member]) -> Member:
    """The concept that the other concepts of a node name in exact_match; else the first."""
    iris = {graphs[m.graph].meta.base + "concept/" + m.concept: m for m in group}
    named = {iri for m in group for iri in graphs[m.graph].concept(m.concept).exact_match if iri in iris}
    linking = {m for m in group for iri in graphs[m.graph].concept(m.concept).exact_match if iri in iris}
    homes = [m for m in group if graphs[m.graph].meta.base + "concept/" + m.concept in named and m not in linking]
    return homes[0] if homes else group[0]


# -- the union as one graph, for the page ---------------------------------------------------------
def _view(graphs: Sequence[ConceptGraph], members: dict[str, tuple[Member, ...]],
          node_of: dict[tuple[int, str], str]) -> tuple[ConceptGraph, tuple[int, ...], tuple[int, ...]]:
    """One ConceptGraph of every article: the articles' texts one after another, the nodes, the relations."""
    text_parts: list[str] = []
    sections: list[Section] = []
    sentences: list[Sentence] = []
    offsets: list[int] = []
    firsts: list[int] = []
    at = 0
    for g in graphs:
        a = g.article
        offsets.append(at)
        firsts.append(len(sections))
        s0, n0 = len(sections), len(sentences)
        sections += [Section(s0 + s.number, f"{g.meta.title} \u00b7 {s.heading}", at + s.heading_start,
                             at + s.start, at + s.end) for s in a.sections]
        sentences += [Sentence(n0 + s.index, s0 + s.section, at + s.start, at + s.end, s.text) for s in a.sentences]
        text_parts.append(a.text)
        at += len(a.text) + 1
    sentence_starts = [0]
    for g in graphs[:-1]:
        sentence_starts.append(sentence_starts[-1] + len(g.article.sentences))

    def moved(i: int, e: Evidence) -> Evidence:
        return replace(e, start=e.start + offsets[i], end=e.end + offsets[i], section=e.section + firsts[i],
                       sentence=e.sentence + sentence_starts[i])

    titles = [g.meta.title for g in graphs]
    title = " and ".join(titles) if len(titles) <= 2 else (
        ", ".join(titles[:-1]) + " and " + titles[-1] if len(titles) <= 3 else f"{len(titles)} articles")
    article = Article("", title, "\n".join(text_parts), tuple(sections), tuple(sentences))

    concepts = []
    for node, group in members.items():
        speaker = graphs[group[0].graph].concept(group[0].concept)
        names = [speaker.label, *speaker.synonyms]
        folded = {n.casefold() for n in names}
        for m in group[1:]:
            for name in graphs[m.graph].concept(m.concept).names:
                if name.casefold() not in folded:
                    folded.add(name.casefold())
                    names.append(name)
        concepts.append(Concept(node, speaker.label, tuple(names[1:]), speaker.category, speaker.definition,
                                None if speaker.evidence is None else moved(group[0].graph, speaker.evidence)))

    relations: dict[str, Relation] = {}
    for i, g in enumerate(graphs):
        for r in g.relations:
            s, o = node_of[(i, r.subject)], node_of[(i, r.object)]
            evidence = tuple(moved(i, e) for e in r.evidence)
            note = r.note
            key = f"{s}--{r.type}--{o}"
            if key in relations:
                old = relations[key]
                notes = [n for n in (old.note, f"{g.meta.title}: {note}" if note else None) if n]
                relations[key] = replace(old, evidence=old.evidence + evidence, note="; ".join(notes) or None)
            else:
                relations[key] = Relation(s, r.type, o, evidence, f"{g.meta.title}: {note}" if note else None)

    # Categories, relation types and families by id, as the first article that has one defines it.
    categories = tuple(_first_by_id(c for g in graphs for c in g.categories))
    types = tuple(_first_by_id(t for g in graphs for t in g.relation_types))
    families = tuple(_first_by_id(f for g in graphs for f in g.families))
    meta = GraphMeta(COMBINED_ID, title, "The graphs of " + ", ".join(f"'{t}'" for t in titles) + ", joined.",
                     "", graphs[0].meta.language)
    view = ConceptGraph(meta, article, categories, types, tuple(concepts), tuple(relations.values()), families)
    return view, tuple(offsets), tuple(firsts)


_Item = TypeVar("_Item", Category, RelationType, Family)


def _first_by_id(items: Iterable[_Item]) -> list[_Item]:
    out: dict[str, _Item] = {}
    for item in items:
        out.setdefault(item.id, item)
    return list(out.values())


# -- the page -------------------------------------------------------------------------------------
def page_data(combined: Combined) -> dict:
    """What the combined page's script reads: :func:`concept_graph.viz.page_data` of the view, and the articles.

    Added to it: ``articles`` (title, graph id, first and last section); each section's
    ``article`` and ``name`` ("Security, section 2: ..."), each concept's and relation's
    ``articles``, each quote's ``article`` with its offsets back in its own article, and for a
    concept that several articles have, every article's ``definitions``.
    """
    from .viz import _evidence
    from .viz import page_data as view_data

    view, graphs = combined.view, combined.graphs
    data = view_data(view)
    article_of = combined.article_of_section

    def local(evidence: dict) -> dict:
        a = article_of(evidence["section"])
        evidence["article"] = a
        evidence["start"] -= combined.offsets[a]
        evidence["end"] -= combined.offsets[a]
        return evidence

    data["articles"] = [{"id": g.meta.id, "title": g.meta.title, "article": g.article.title,
                         "sections": [combined.first_sections[i] + 1,
                                      combined.first_sections[i] + len(g.article.sections)],
                         "concepts": len(g.concepts), "relations": len(g.relations)} for i, g in enumerate(graphs)]
    for section in data["sections"]:
        a = article_of(section["number"])
        own = section["number"] - combined.first_sections[a]
        heading = graphs[a].article.section(own).heading
        section["article"] = a
        section["name"] = f"{graphs[a].meta.title}, section {own}: {heading}"
    starts = [s.start for s in view.article.sentences]
    for concept in data["concepts"]:
        group = combined.members[concept["id"]]
        concept["articles"] = sorted({m.graph for m in group})
        if concept["evidence"]:
            local(concept["evidence"])
        if len(concept["articles"]) > 1:
            concept["definitions"] = []
            for m in group:
                c = graphs[m.graph].concept(m.concept)
                evidence = None
                if c.evidence:  # placed in the view's article, so that its section reads like every other's
                    at, first = combined.offsets[m.graph], combined.first_sections[m.graph]
                    moved = replace(c.evidence, start=c.evidence.start + at, end=c.evidence.end + at,
                                    section=c.evidence.section + first)
                    evidence = local(_evidence(view.article, starts, moved))
                concept["definitions"].append({"article": m.graph, "id": c.id, "label": c.label,
                                               "definition": c.definition, "evidence": evidence})
    for relation in data["relations"]:
        for evidence in relation["evidence"]:
            local(evidence)
        relation["articles"] = sorted({e["article"] for e in relation["evidence"]})
    return data


def to_html(combined: Combined) -> str:
    """The combined page: one node per shared concept, each quote with its article, a filter by article."""
    from .viz import render_page

    return render_page(page_data(combined), combined.view.meta.language)
