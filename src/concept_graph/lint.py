"""Lint: what a careful reader of a graph trips over, found before a lecturer does.

Validation says whether a spec *can* be built (ids resolve, quotes are in the article); lint says
whether what it states *reads right*: two relations that contradict each other on the same pair,
a kind-of child that contradicts its parent, a practice that acts on nothing, near-duplicate
concepts, a concept the article names again and again that hangs by one edge. Each rule came from
an expert's audit of the Security graph, so the next article's curator gets it for free.

Each finding is a :class:`~concept_graph.errors.Problem` whose code is the rule id, located at the
spec line of the concept or relation concerned. Rules are switched off per graph with
``graph: lint: disable: [rule, ...]``, or for one concept (after reading what a rule reports of it)
with the concept's own ``lint: {disable: [rule, ...]}``.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from itertools import combinations

from .errors import Problem
from .model import Concept, ConceptGraph, Relation

RULES = {
    "conflict": "two relations on the same pair whose types the spec declares as conflicting",
    "inherited-conflict": "a kind-of child related to something in a way that conflicts with its parent",
    "inherited-duplicate": "a relation that repeats, with the same quote, one of the concept's kind-of parent",
    "no-outgoing": "a concept of a category that acts on something (needs_outgoing) with no outgoing relation",
    "sibling-categories": "kinds of one parent filed in different categories",
    "near-duplicate-label": "two concepts whose labels name the same thing, unrelated to each other",
    "shared-synonym": "a name of one concept that is, up to plural or hyphens, a name of another",
    "one-edge": "a concept with a single relation though the article names it in several sentences",
    "thin-definition": "a definition that only restates the concept's relations",
}

# Words that say where a concept sits, not what it is.
_FILLER = {"form", "kind", "type", "example", "instance", "part", "named", "name", "cited", "mentioned",
           "alongside", "called", "article", "concept", "thing", "one", "among", "listed", "list", "given"}

_STOP = set("""a an the of and or to in on for with by as at from into its it is are be been being
that this these those which who whom whose what when where how not no but than then so such
one's one oneself their them they his her he she we our you your i me my also only both either
each every other another more most less least very can could may might must will would shall should
do does did done has have had having about over under through between within without toward towards
s named name names article says text alongside way ways something someone person people""".split())


def lint(graph: ConceptGraph) -> list[Problem]:
    """Every finding of every rule that the graph does not switch off, in spec order."""
    off = set(graph.meta.lint_disabled)
    # A concept's own ``lint: {disable: [...]}`` quiets the rules about that concept (found at its line).
    quiet = {(*c.source, rule) for c in graph.concepts if c.source for rule in c.lint_disabled}
    checks = _Checks(graph)
    findings: list[Problem] = []
    for rule in RULES:
        if rule not in off:
            found = getattr(checks, rule.replace("-", "_"))()
            findings.extend(p for p in found if (p.file, p.line, p.code) not in quiet)
    return sorted(findings, key=lambda p: (p.file or "", p.line or 0, p.code))


class _Checks:
    def __init__(self, graph: ConceptGraph):
        self.g = graph
        self.types = graph.relation_type_by_id
        self.label = {c.id: c.label for c in graph.concepts}
        self.parents: dict[str, set[str]] = defaultdict(set)
        self.children: dict[str, set[str]] = defaultdict(set)
        self.degree: dict[str, int] = defaultdict(int)
        self.out_degree: dict[str, int] = defaultdict(int)
        self.linked: set[frozenset] = set()
        for r in graph.relations:
            self.degree[r.subject] += 1
            self.degree[r.object] += 1
            self.out_degree[r.subject] += 1
            self.linked.add(frozenset((r.subject, r.object)))
            if self.types[r.type].skos == "broader":
                self.parents[r.subject].add(r.object)
                self.children[r.object].add(r.subject)

    # -- helpers ----------------------------------------------------------------------------
    def at(self, code: str, item: Concept | Relation, message: str, hint: str | None = None) -> Problem:
        file, line = item.source or (None, None)
        return Problem(code, file, line, message, hint)

    def says(self, r: Relation) -> str:
        return f"{self.label[r.subject]!r} {self.types[r.type].label} {self.label[r.object]!r}"

    def conflicting(self, a: str, b: str) -> bool:
        """Whether the spec declares relation types ``a`` and ``b`` (by id or family) as conflicting."""
        ta, tb = self.types[a], self.types[b]
        return (bool({tb.id, tb.family} & set(ta.conflicts_with))
                or bool({ta.id, ta.family} & set(tb.conflicts_with)))

    def ancestors(self, concept_id: str) -> set[str]:
        seen, todo = set(), list(self.parents.get(concept_id, ()))
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(self.parents.get(parent, ()))
        return seen

    # -- the rules --------------------------------------------------------------------------
    def conflict(self) -> list[Problem]:
        by_pair: dict[tuple[str, str], list[Relation]] = defaultdict(list)
        for r in self.g.relations:
            by_pair[(r.subject, r.object)].append(r)
            if self.types[r.type].symmetric:
                by_pair[(r.object, r.subject)].append(r)
        out, seen = [], set()
        for relations in by_pair.values():
            for first, second in combinations(relations, 2):
                if first.type != second.type and self.conflicting(first.type, second.type):
                    key = frozenset((first.id, second.id))
                    if key not in seen:
                        seen.add(key)
                        out.append(self.at("conflict", second,
                                           f"{self.says(second)} contradicts {self.says(first)}",
                                           "keep the one the quote states; a relation's note can explain a reading"))
        return out

    def _inherited(self, same_type: bool) -> list[tuple[Relation, Relation]]:
        """(child's relation, ancestor's relation) pairs with the same other end."""
        by_end: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
        for r in self.g.relations:
            if self.types[r.type].skos == "broader":
                continue
            by_end[("out", r.subject, r.object)].append(r)
            by_end[("in", r.object, r.subject)].append(r)
        pairs = []
        for r in self.g.relations:
            if self.types[r.type].skos == "broader":
                continue
            for direction, me, other in (("out", r.subject, r.object), ("in", r.object, r.subject)):
                for ancestor in sorted(self.ancestors(me)):
                    if ancestor == other:
                        continue
                    for inherited in by_end.get((direction, ancestor, other), ()):
                        if (inherited.type == r.type) == same_type:
                            pairs.append((r, inherited))
        return pairs

    def inherited_conflict(self) -> list[Problem]:
        out = []
        for mine, theirs in self._inherited(same_type=False):
            if self.conflicting(mine.type, theirs.type):
                out.append(self.at("inherited-conflict", mine,
                                   f"{self.says(mine)}, but its broader concept: {self.says(theirs)}",
                                   "a kind inherits what is said of its parent: hang the parent's relation on "
                                   "the concept the quote is about"))
        return out

    def inherited_duplicate(self) -> list[Problem]:
        out = []
        for mine, theirs in self._inherited(same_type=True):
            shared = {e.start for e in mine.evidence} & {e.start for e in theirs.evidence}
            if shared:
                out.append(self.at("inherited-duplicate", mine,
                                   f"{self.says(mine)} repeats {self.says(theirs)} with the same quote",
                                   "keep the relation on the concept the quote names"))
        return out

    def no_outgoing(self) -> list[Problem]:
        needs = {c.id for c in self.g.categories if c.needs_outgoing}
        return [self.at("no-outgoing", c, f"{c.label!r} ({c.category}) acts on nothing: no outgoing relation",
                        "add what the article says it does, e.g. what it aims at or fosters")
                for c in self.g.concepts if c.category in needs and not self.out_degree[c.id]]

    def sibling_categories(self) -> list[Problem]:
        out = []
        concept = self.g.concept_by_id
        for parent, kids in sorted(self.children.items()):
            categories = defaultdict(list)
            for kid in sorted(kids, key=lambda k: (concept[k].source or ("", 0), k)):
                categories[concept[kid].category].append(kid)
            if len(categories) < 2:
                continue
            usual = max(categories, key=lambda c: (len(categories[c]), c == concept[parent].category))
            for category, members in categories.items():
                if category != usual:
                    for kid in members:
                        out.append(self.at("sibling-categories", concept[kid],
                                           f"{concept[kid].label!r} is a kind of {concept[parent].label!r} filed as "
                                           f"{category!r}; its siblings are {usual!r}",
                                           "file the kinds of one concept in one category"))
        return out

    def near_duplicate_label(self) -> list[Problem]:
        """Labels equal up to case, plural, hyphens and word order; or a bare word that is another label's head.

        Concepts are grouped by key and by head, so the rule costs one pass, not one comparison
        per pair (a reading list has tens of thousands of concepts).
        """
        order = {c.id: i for i, c in enumerate(self.g.concepts)}
        pairs: set[tuple[str, str]] = set()
        by_key: dict[str, list[Concept]] = defaultdict(list)
        bare: dict[str, list[Concept]] = defaultdict(list)  # one-word labels, by their stem
        by_head: dict[str, list[Concept]] = defaultdict(list)  # longer labels, by their head
        for c in self.g.concepts:
            by_key[_name_key(c.label)].append(c)
            if len(c.label.split()) == 1:
                bare[_stem(c.label)].append(c)
            else:
                by_head[_head(c.label)].append(c)
        for group in by_key.values():
            pairs.update((a.id, b.id) for a, b in combinations(group, 2))
        for head, shorts in bare.items():
            for short in shorts:
                if _head(short.label) != head:
                    continue
                for long_ in by_head.get(head, ()):
                    if short.id not in self.ancestors(long_.id):
                        first, second = sorted((short.id, long_.id), key=order.__getitem__)
                        pairs.add((first, second))
        out = []
        concept = self.g.concept_by_id
        for first, second in sorted(pairs, key=lambda p: (order[p[0]], order[p[1]])):
            a, b = sorted((concept[first], concept[second]), key=lambda c: order[c.id])
            if frozenset((a.id, b.id)) in self.linked:
                continue
            out.append(self.at("near-duplicate-label", b,
                               f"{b.label!r} and {a.label!r} may name the same thing, and no relation "
                               f"tells them apart",
                               "merge them, make one a kind of the other, or sharpen the labels"))
        return out

    def shared_synonym(self) -> list[Problem]:
        owner: dict[str, Concept] = {}
        out = []
        for c in self.g.concepts:
            for name in c.names:
                key = _name_key(name)
                first = owner.get(key)
                if first is not None and first.id != c.id:
                    out.append(self.at("shared-synonym", c,
                                       f"{name!r} of {c.label!r} is also a name of {first.label!r}",
                                       "a name belongs to one concept"))
                owner.setdefault(key, c)
        return out

    def one_edge(self) -> list[Problem]:
        from .mentions import find_mentions

        starts = [s.start for s in self.g.article.sentences]
        sentences: dict[str, set[int]] = defaultdict(set)
        for m in find_mentions(self.g):
            sentences[m.concept].add(bisect.bisect_right(starts, m.start) - 1)
        return [self.at("one-edge", c,
                        f"{c.label!r} has one relation, but the article names it in "
                        f"{len(sentences[c.id])} sentences",
                        "read those sentences for what else they state about it")
                for c in self.g.concepts if self.degree[c.id] == 1 and len(sentences[c.id]) >= 2]

    def thin_definition(self) -> list[Problem]:
        near: dict[str, set[str]] = defaultdict(set)
        verbs = set(_FILLER)
        for t in self.g.relation_types:
            verbs |= _words(t.label) | _words(t.inverse_label or "")
        for r in self.g.relations:
            near[r.subject].add(r.object)
            near[r.object].add(r.subject)
        names = {c.id: set().union(*(_words(n) for n in c.names)) for c in self.g.concepts}
        category = {c.id: _words(c.label) for c in self.g.categories}
        out = []
        for c in self.g.concepts:
            # Words that a definition gets for free from the graph around it: the names of the
            # concepts two steps away, the verbs of the relation types, the category.
            around = set(near[c.id]).union(*(near[n] for n in near[c.id]))
            known = set().union(names[c.id], verbs, category[c.category], *(names[n] for n in around))
            own = _words(c.definition) - known
            if len(own) < 3:
                out.append(self.at("thin-definition", c,
                                   f"the definition of {c.label!r} only restates its relations "
                                   f"({len(own)} words of its own: {', '.join(sorted(own)) or 'none'})",
                                   "say what it is, from the sentence that defines or first uses it"))
        return out


def _stem(word: str) -> str:
    """A crude English stem, enough to match plurals and -ing/-ed forms of one word."""
    word = word.lower()
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("es", ""), ("s", ""), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word


_PREPOSITIONS = {"of", "for", "from", "to", "in", "with", "about", "against", "on", "into", "toward", "despite"}


def _head(label: str) -> str:
    """The head noun of a label, stemmed: 'avoidance of intimacy' -> 'avoidance'."""
    words = label.lower().split()
    for i, word in enumerate(words):
        if word in _PREPOSITIONS or (i > 0 and word.endswith("ing")):
            words = words[:i] or words
            break
    return _stem(words[-1])


def _name_key(name: str) -> str:
    """A name up to case, hyphens, plurals and word order: 'Internal models' == 'internal-model'."""
    return " ".join(sorted(_stem(w) for w in re.split(r"[\s\-–—/]+", name.strip()) if w))


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'’]+", text) if w.lower() not in _STOP}
