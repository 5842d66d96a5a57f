"""Storyboards: a lecture told with the graph, step by step, every step backed by the article's words.

Lecture mode steps through the article's sections in their order; a lecturer tells a story
instead ("start from the secure base; what fosters it; what happens when it is missing; how
therapy rebuilds it"). A storyboard is a YAML file in the graph folder, ``lecture.yaml`` or
``lectures/<name>.yaml``::

    title: Where security comes from
    steps:
      - title: The secure base
        view: {focus: secure-base, depth: 1}
        caption: A child explores because someone is there to come back to.
        quotes: new                       # the quotes of what is new in this step (default)
      - title: From the base to soothing oneself
        view: {path: [secure-base, support-system, self-soothing]}
        quotes: [secure-base enables exploration]

A step's view uses the vocabulary of the page's deep links: ``focus`` and ``depth``, ``section``,
``highlight``, ``types`` and ``families`` (relation types shown), and ``path`` (the chain from one
concept to another). It is validated like the spec: every problem with file and line, unknown ids
with a did-you-mean. :func:`resolve` works out what each step shows and what is new in it, so the
page, the slide deck and a notebook show the same thing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from .errors import ConceptGraphError, Problem, did_you_mean, display_path
from .model import ConceptGraph, Evidence, Relation

VIEW_KEYS = ("focus", "depth", "section", "highlight", "types", "families", "path")
STEP_KEYS = ("title", "view", "caption", "quotes")
QUOTE_MODES = ("new", "all", "none")
MAX_QUOTES = 3  # a slide shows at most this many quotes large; the rest are one click away


@dataclass(frozen=True)
class View:
    """What a step shows: the same vocabulary as the page's deep links."""

    focus: str | None = None
    depth: int | None = None
    section: int | None = None
    highlight: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    path: tuple[str, ...] = ()  # from, through..., to: the chain runs through each in turn

    def fragment(self) -> str:
        """The page's URL fragment for this view, without ``#``: ``focus=secure-base&depth=2``.

        >>> View(focus="secure-base", depth=2, highlight=("trust",)).fragment()
        'focus=secure-base&depth=2&highlight=trust'
        """
        parts = []
        if self.focus:
            parts.append(f"focus={self.focus}")
            if self.depth not in (None, 1):
                parts.append(f"depth={self.depth}")
        if self.section:
            parts.append(f"section={self.section}")
        if self.path:
            parts.append("path=" + ",".join(self.path))
        if self.types:
            parts.append("types=" + ",".join(self.types))
        if self.families:
            parts.append("families=" + ",".join(self.families))
        if self.highlight:
            parts.append("highlight=" + ",".join(self.highlight))
        return "&".join(parts)


@dataclass(frozen=True)
class Step:
    title: str
    caption: str
    view: View
    quotes: str | tuple[str, ...]  # a mode of QUOTE_MODES, or relation ids
    source: tuple[str, int] | None = None


@dataclass(frozen=True)
class Storyboard:
    name: str  # the file's stem: '#lecture=NAME/3' deep-links its third step
    title: str
    description: str
    steps: tuple[Step, ...]
    source: str = ""


@dataclass(frozen=True)
class ResolvedStep:
    """A step with what it shows worked out: concepts, relations, what is new, the quotes to show."""

    number: int  # 1-based
    step: Step
    concepts: tuple[str, ...]
    relations: tuple[str, ...]
    new_concepts: tuple[str, ...]
    new_relations: tuple[str, ...]
    path: tuple[str, ...]  # relation ids along the path, in order, when the view is a path
    quotes: tuple[str, ...]  # relation ids whose quotes the step shows large


def storyboard_files(graph_dir: Path | str) -> list[Path]:
    graph_dir = Path(graph_dir)
    files = [graph_dir / "lecture.yaml"] if (graph_dir / "lecture.yaml").is_file() else []
    return files + sorted((graph_dir / "lectures").glob("*.yaml"))


def load_storyboards(graph_dir: Path | str, graph: ConceptGraph) -> list[Storyboard]:
    """Every storyboard of a graph folder, validated against the graph; every problem raised at once."""
    from .spec import read_yaml

    problems: list[Problem] = []
    boards = []
    for path in storyboard_files(graph_dir):
        shown = display_path(path)
        try:
            data = read_yaml(path, shown)
        except ConceptGraphError as exc:
            problems.extend(exc.problems)
            continue
        board = _Reader(graph, shown, problems).storyboard(path.stem, data)
        if board:
            boards.append(board)
    names = [b.name for b in boards]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem("duplicate-id", display_path(Path(graph_dir)), None,
                                f"two storyboards are named {name!r}",
                                "rename lecture.yaml or lectures/" + name + ".yaml"))
    if problems:
        raise ConceptGraphError(problems)
    return boards


class _Reader:
    def __init__(self, graph: ConceptGraph, file: str, problems: list[Problem]):
        self.graph, self.file, self.problems = graph, file, problems
        self.relation_ids = {r.id for r in graph.relations}

    def problem(self, code: str, node, key: str | None, message: str, hint: str | None = None) -> None:
        line = getattr(node, "key_lines", {}).get(key) if key else None
        self.problems.append(Problem(code, self.file, line or getattr(node, "line", None), message, hint))

    def storyboard(self, name: str, data) -> Storyboard | None:
        if not isinstance(data, dict):
            self.problem("wrong-type", data, None, "a storyboard is a mapping with 'title' and 'steps'",
                         "start with 'title:' and 'steps:'")
            return None
        for key in data:
            if key not in ("title", "description", "steps"):
                self.problem("unknown-key", data, key, f"unknown storyboard key {key!r}",
                             did_you_mean(str(key), ("title", "description", "steps")))
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problem("missing-field", data, "title" if "title" in data else None, "the storyboard has no title",
                         "add 'title: ...'")
            title = name
        steps_data = data.get("steps")
        if not isinstance(steps_data, list) or not steps_data:
            self.problem("missing-field", data, "steps" if "steps" in data else None, "the storyboard has no steps",
                         "add 'steps:' with one '- title: ...' per step")
            return None
        steps = [s for s in (self.step(i, item) for i, item in enumerate(steps_data, 1)) if s]
        description = data.get("description")
        return Storyboard(name, str(title).strip(), " ".join(str(description or "").split()), tuple(steps), self.file)

    def step(self, number: int, item) -> Step | None:
        if not isinstance(item, dict):
            self.problem("wrong-type", item, None, f"step {number} must be a mapping of fields",
                         "write 'title:', 'view:', 'caption:', 'quotes:' under the '- '")
            return None
        for key in item:
            if key not in STEP_KEYS:
                self.problem("unknown-field", item, key, f"unknown field {key!r} in step {number}",
                             did_you_mean(str(key), STEP_KEYS))
        title = item.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problem("missing-field", item, "title" if "title" in item else None, f"step {number} has no title",
                         "add 'title: ...'")
            title = f"Step {number}"
        caption = item.get("caption") or ""
        if not isinstance(caption, str):
            self.problem("wrong-type", item, "caption", f"the caption of step {number} must be text")
            caption = ""
        view = self.view(number, item.get("view"), item)
        quotes = self.quotes(number, item)
        return Step(title.strip(), " ".join(caption.split()), view, quotes, (self.file, getattr(item, "line", 0)))

    def view(self, number: int, data, item) -> View:
        if data is None:
            self.problem("missing-field", item, None, f"step {number} has no view",
                         "add e.g. 'view: {focus: secure-base}' or 'view: {section: 2}'")
            return View()
        if not isinstance(data, dict):
            self.problem("wrong-type", item, "view", f"the view of step {number} must be a mapping",
                         "e.g. view: {focus: secure-base, depth: 2}")
            return View()
        for key in data:
            if key not in VIEW_KEYS:
                self.problem("unknown-field", data, key, f"unknown view key {key!r} in step {number}",
                             did_you_mean(str(key), VIEW_KEYS))
        concepts = self.graph.concept_by_id
        focus = data.get("focus")
        if focus is not None and focus not in concepts:
            self.problem("unknown-concept", data, "focus", f"unknown concept {focus!r} to focus on in step {number}",
                         did_you_mean(str(focus), concepts))
            focus = None
        depth = data.get("depth")
        if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= 9):
            self.problem("bad-option", data, "depth", f"depth {depth!r} in step {number} is not 1 to 9")
            depth = None
        if depth is not None and focus is None and "focus" not in data:
            self.problem("bad-option", data, "depth", f"step {number} has a depth but no focus", "add 'focus: ID'")
        section = data.get("section")
        count = len(self.graph.article.sections)
        if section is not None and (isinstance(section, bool) or not isinstance(section, int)
                                    or not 1 <= section <= count):
            self.problem("unknown-section", data, "section", f"the article has no section {section!r} (step {number})",
                         f"sections are numbered 1 to {count}")
            section = None
        highlight = self.ids(data, "highlight", concepts, "concept", number)
        types = self.ids(data, "types", self.graph.relation_type_by_id, "relation type", number)
        families = self.ids(data, "families", self.graph.family_by_id, "family", number)
        path: tuple[str, ...] = ()
        if "path" in data:
            given = data.get("path")
            stops = self.ids(data, "path", concepts, "concept", number)
            if not isinstance(given, list) or len(given) < 2:
                self.problem("bad-option", data, "path", f"the path of step {number} needs at least two concepts",
                             "e.g. path: [secure-base, self-soothing], or with stops on the way")
            elif len(stops) == len(given):
                path = stops
                if chain(self.graph, path) is None:
                    self.problem("no-path", data, "path", f"no chain of relations links {' -> '.join(path)}")
        return View(focus, depth, section, highlight, types, families, path)

    def ids(self, data, key: str, known, kind: str, number: int) -> tuple[str, ...]:
        values = data.get(key)
        if values is None:
            return ()
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list):
            self.problem("wrong-type", data, key, f"'{key}' of step {number} must be a list of ids")
            return ()
        good = []
        for value in values:
            if value in known:
                good.append(str(value))
            else:
                self.problem(f"unknown-{kind.replace(' ', '-')}", data, key,
                             f"unknown {kind} {value!r} in '{key}' of step {number}", did_you_mean(str(value), known))
        return tuple(good)

    def quotes(self, number: int, item) -> str | tuple[str, ...]:
        value = item.get("quotes", "new")
        if isinstance(value, str) and value in QUOTE_MODES:
            return value
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list):
            self.problem("wrong-type", item, "quotes", f"'quotes' of step {number} must be new, all, none or a list",
                         "e.g. quotes: [secure-base enables exploration]")
            return "new"
        out = []
        labels = {t.label: t.id for t in self.graph.relation_types}
        for ref in values:
            rid = _relation_id(str(ref), labels)
            if rid in self.relation_ids:
                out.append(rid)
            else:
                self.problem("unknown-relation", item, "quotes", f"step {number} quotes a relation the graph does not "
                             f"state: {ref!r}", did_you_mean(rid, self.relation_ids)
                             or "write it as 'subject type object', e.g. 'secure-base enables exploration'")
        return tuple(out)


def _relation_id(ref: str, type_labels: dict[str, str]) -> str:
    """'secure-base enables exploration' or 'secure-base--enables--exploration' -> the relation's id."""
    if "--" in ref:
        return ref.strip()
    words = ref.split()
    if len(words) < 3:
        return ref.strip()
    subject, obj, middle = words[0], words[-1], " ".join(words[1:-1])
    return f"{subject}--{type_labels.get(middle, middle.replace(' ', '-'))}--{obj}"


def _path(graph: ConceptGraph, start: str, goal: str) -> list[Relation] | None:
    """A shortest chain of relations from ``start`` to ``goal``, either direction; ties by id, so stable."""
    near: dict[str, list[tuple[str, Relation]]] = {}
    for r in graph.relations:
        near.setdefault(r.subject, []).append((r.object, r))
        near.setdefault(r.object, []).append((r.subject, r))
    for links in near.values():
        links.sort(key=lambda link: (link[0], link[1].id))
    came: dict[str, tuple[str, Relation] | None] = {start: None}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        if node == goal:
            chain = []
            back = came[node]
            while back is not None:
                node, relation = back
                chain.append(relation)
                back = came[node]
            return chain[::-1]
        for other, relation in near.get(node, ()):
            if other not in came:
                came[other] = (node, relation)
                todo.append(other)
    return None


def chain(graph: ConceptGraph, stops: tuple[str, ...]) -> list[Relation] | None:
    """The relations from the first stop through each next one in turn, or ``None`` if a hop has no path."""
    out: list[Relation] = []
    for start, goal in pairwise(stops):
        hop = _path(graph, start, goal)
        if hop is None:
            return None
        out.extend(r for r in hop if r not in out)
    return out


def shown(graph: ConceptGraph, view: View) -> tuple[list[str], list[str], list[str]]:
    """The concepts and relations a view shows, and the path's relations in order."""
    from .views import subset

    part = (subset(graph, focus=view.focus, depth=view.depth, section=view.section) if (view.focus or view.section)
            else graph)
    concepts = [c.id for c in part.concepts]
    relations = list(part.relations)
    along: list[str] = []
    if view.path:
        path = chain(graph, view.path) or []
        along = [r.id for r in path]
        on_path = {view.path[0], *(r.subject for r in path), *(r.object for r in path)}
        if view.focus or view.section:
            concepts = sorted(set(concepts) | on_path, key=[c.id for c in graph.concepts].index)
            relations = list({r.id: r for r in [*relations, *path]}.values())
        else:
            concepts = [c.id for c in graph.concepts if c.id in on_path]
            relations = path
    if view.types or view.families:
        keep = set(view.types) | {t.id for t in graph.relation_types if t.family in view.families}
        relations = [r for r in relations if r.type in keep or r.id in along]
        # Only the concepts the kept relations reach, and those the view names.
        reached = {view.focus, *(view.path or ()), *view.highlight,
                   *(r.subject for r in relations), *(r.object for r in relations)}
        concepts = [c for c in concepts if c in reached]
    return concepts, [r.id for r in relations], along


def resolve(graph: ConceptGraph, board: Storyboard) -> list[ResolvedStep]:
    """What each step shows, what is new in it, and which quotes it shows large.

    A step shows its view and, when it names its quotes, the relations it quotes (with their
    concepts), so that every quote on screen has its edge on the graph.
    """
    order = {r.id: i for i, r in enumerate(graph.relations)}
    types = graph.relation_type_by_id

    def structural(r: Relation) -> bool:
        return types[r.type].skos == "broader" or types[r.type].family == "kind-or-part-of"

    seen_concepts: set[str] = set()
    seen_relations: set[str] = set()
    out = []
    index = {c.id: i for i, c in enumerate(graph.concepts)}
    relation_by_id = {r.id: r for r in graph.relations}
    for number, step in enumerate(board.steps, 1):
        concepts, relations, along = shown(graph, step.view)
        if isinstance(step.quotes, tuple):
            # A relation the step quotes is on screen too, with both its concepts: the graph shows
            # what the lecturer reads out, whatever the view's filters leave.
            quoted = [relation_by_id[rid] for rid in step.quotes if rid not in relations]
            relations = relations + [r.id for r in quoted]
            ends = {c for r in quoted for c in (r.subject, r.object)} - set(concepts)
            concepts = sorted([*concepts, *ends], key=index.__getitem__)
        new_concepts = tuple(c for c in concepts if c not in seen_concepts)
        new_relations = tuple(r for r in relations if r not in seen_relations)
        if isinstance(step.quotes, tuple):
            quotes = step.quotes
        elif step.quotes == "none":
            quotes = ()
        else:
            pool = along or (relations if step.quotes == "all" else new_relations)
            # The path's chain reads in order; otherwise the relations of the concepts the view is
            # about first, influences before taxonomy, then in the spec's (the article's) order.
            if not along:
                centre = {step.view.focus, *step.view.highlight} - {None}
                rank = {r.id: (not ({r.subject, r.object} & centre), structural(r), order[r.id])
                        for r in graph.relations}
                pool = sorted(pool, key=rank.__getitem__)
            quotes = tuple(pool if along else pool[:MAX_QUOTES])
        out.append(ResolvedStep(number, step, tuple(concepts), tuple(relations), new_concepts, new_relations,
                                tuple(along), quotes))
        seen_concepts.update(concepts)
        seen_relations.update(relations)
    return out


def step_quotes(graph: ConceptGraph, step: ResolvedStep) -> list[tuple[Relation, Evidence]]:
    """The quotes a step shows large, each relation with the one passage to show.

    A relation the article states more than once shows its passage in the step's section when the
    step is a section's view (the slide is about that section), otherwise its first: the page,
    the slide deck and the notebooks show the same words.
    """
    relations = {r.id: r for r in graph.relations}
    section = step.step.view.section
    out = []
    for rid in step.quotes:
        relation = relations[rid]
        evidence = next((e for e in relation.evidence if e.section == section), relation.evidence[0])
        out.append((relation, evidence))
    return out


def step_emphasis(graph: ConceptGraph, step: ResolvedStep) -> tuple[set[str], set[str]]:
    """The concepts a step is about (its focus, highlights and path stops), and the ends of the
    relations it quotes: the page and the slides draw the first in bold and never fade either."""
    view = step.step.view
    relations = {r.id: r for r in graph.relations}
    about = {*view.highlight, *view.path} | ({view.focus} if view.focus is not None else set())
    told = {c for rid in (*step.quotes, *step.path) for c in (relations[rid].subject, relations[rid].object)}
    return about, told


def find_storyboard(boards: list[Storyboard], name: str | None, where: str = "") -> Storyboard:
    """The storyboard called ``name`` (the only one when ``name`` is None); an unknown name is a
    problem with a did-you-mean, and none at all says where to put one."""
    if not boards:
        raise ConceptGraphError(Problem("missing-file", where or None, None, "the graph folder has no storyboard",
                                        "write lecture.yaml (or lectures/NAME.yaml) there; see docs/lecture.md"))
    names = [b.name for b in boards]
    if name is None:
        if len(boards) > 1:
            raise ConceptGraphError(Problem("ambiguous-lecture", where or None, None,
                                            "the graph folder has several storyboards: " + ", ".join(names),
                                            "choose one with --lecture NAME"))
        return boards[0]
    for board in boards:
        if board.name == name:
            return board
    raise ConceptGraphError(Problem("unknown-lecture", where or None, None, f"no storyboard named {name!r}",
                                    did_you_mean(name, names)))
