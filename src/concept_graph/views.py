"""Views: the part of a graph that one slide shows (a section, a concept's neighbourhood) and its title.

The page, the slide figures and the exports cut the graph the same way, so ``--section 5`` means
the same concepts everywhere.
"""

from __future__ import annotations

from dataclasses import replace

from .errors import ConceptGraphError, Problem, did_you_mean
from .model import ConceptGraph


def subset(graph: ConceptGraph, *, focus: str | None = None, depth: int | None = None,
           section: int | None = None) -> ConceptGraph:
    """The graph cut down to one section and/or one concept's neighbourhood; the graph itself if neither.

    Raises a :class:`ConceptGraphError` for an unknown concept or section, naming the valid ones.

    >>> from concept_graph.examples import tiny_graph
    >>> [c.id for c in subset(tiny_graph(), focus="mastery").concepts]
    ['exploration', 'mastery']
    """
    problems = []
    if depth is not None and focus is None:
        problems.append(Problem("bad-option", None, None, "a depth needs a concept to count from",
                                "add --focus ID"))
    if depth is not None and depth < 0:
        problems.append(Problem("bad-option", None, None, f"depth {depth} is negative", "use 1, 2, ..."))
    if focus is not None and focus not in graph.concept_by_id:
        problems.append(Problem("unknown-concept", None, None, f"unknown concept {focus!r} to focus on",
                                did_you_mean(focus, graph.concept_by_id)))
    sections = len(graph.article.sections)
    if section is not None and not 1 <= section <= sections:
        problems.append(Problem("unknown-section", None, None, f"the article has no section {section}",
                                f"sections are numbered 1 to {sections}"))
    if problems:
        raise ConceptGraphError(problems)
    if focus is None and section is None:
        return graph

    concepts, relations = graph.concepts, graph.relations
    if section is not None:
        from .mentions import concept_sections

        in_section = {cid for cid, numbers in concept_sections(graph).items() if section in numbers}
        concepts = tuple(c for c in concepts if c.id in in_section)
        relations = tuple(r for r in relations if any(e.section == section for e in r.evidence))
        if focus is not None and focus not in in_section:
            raise ConceptGraphError(Problem(
                "unknown-concept", None, None, f"concept {focus!r} does not appear in section {section}",
                "drop --section, or focus on a concept of that section"))
    view = replace(graph, concepts=concepts, relations=relations)
    if focus is not None:
        from .network import neighbourhood

        near = neighbourhood(view, focus, 1 if depth is None else depth)
        view = replace(view, concepts=tuple(c for c in concepts if c.id in near),
                       relations=tuple(r for r in relations if r.subject in near and r.object in near))
    return view


def view_title(graph: ConceptGraph, focus: str | None = None, depth: int | None = None,
               section: int | None = None) -> str:
    """The graph's title and what the view shows: "Security \u2014 section 5: ...", "... around trust".

    >>> from concept_graph.examples import tiny_graph
    >>> view_title(tiny_graph(), focus="mastery")
    'Tiny \u2014 around mastery'
    """
    parts = []
    if focus:
        parts.append(f"around {graph.concept(focus).label}"
                     + (f" (depth {depth})" if depth not in (None, 1) else ""))
    if section:
        parts.append(f"section {section}: {graph.article.section(section).heading}")
    return graph.meta.title + (" \u2014 " + ", ".join(parts) if parts else "")
