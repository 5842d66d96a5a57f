"""Drafting a graph from its article: grounded candidates that a curator accepts or rejects.

A lecturer who wants the graph of the next article on the reading list starts from candidates,
not from a blank spec. Each candidate keeps what makes this project's graphs worth trusting: a
verbatim quote of the article, occurring once, that states it. The draft is written to
``spec/draft.yaml`` with ``status: candidate`` on every record, which validation and builds skip,
so a draft never pollutes a graph; a curator turns a record into part of the graph by setting
``status: accepted`` (or moving it to another spec file).

- Concepts are the article's noun phrases (:mod:`concept_graph.phrases`), weighted by YAKE's
  statistical features of their words, merged by lemma, with synonyms the text declares ("also
  known as", "often referred to as", "(...)", ", or ...,").
- Relations are sentences naming two concepts around a cue of a relation type (the types'
  ``cues`` and ``reverse_cues``); a passive verb ("is engendered by") reverses the direction, and
  a list ("such as X, Y and Z") gives one candidate per item.
- Concepts that another graph folder of the project already has are proposed as the same concept:
  same id, and ``exact_match`` naming its IRI when the two graphs' bases differ
  (:func:`known_concepts` and :func:`match_known` are the matching, for combining graphs too).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from .article import QuoteAmbiguous, QuoteNotFound, locate, read_article
from .errors import ConceptGraphError, Problem, display_path
from .model import Article, Concept, ConceptGraph, Evidence, GraphMeta, RelationType, Sentence
from .phrases import (
    ATTACHING,
    DETERMINERS,
    PREPOSITIONS,
    Phrase,
    Token,
    elliptical,
    fold,
    noun_phrases,
    singular,
    tokenize,
    variants,
)

DRAFT_FILE = "draft.yaml"
CANDIDATE = "candidate"
DEFAULT_BASE = "https://w3id.org/concept-graph/graphs/{id}/"
MAX_WORDS = 5  # longer phrases are descriptions, not names
CONCEPTS_PER_SENTENCE = 6  # at most, the best by weight
RELATIONS_PER_SENTENCE = 16  # at most, the best by score


@dataclass(frozen=True)
class KnownConcept:
    """A concept of another graph folder: what the draft proposes to reuse."""

    graph: str
    base: str
    id: str
    label: str
    names: tuple[str, ...]
    category: str | None

    @property
    def iri(self) -> str:
        """The concept's IRI as the other graph's RDF names it."""
        from .vocab import graph_namespaces

        return str(graph_namespaces(self.base)["concept"] + self.id)


@dataclass(frozen=True)
class ConceptCandidate:
    id: str
    label: str
    synonyms: tuple[str, ...]
    category: str
    definition: str
    evidence: Evidence
    score: float
    mentions: int
    sections: tuple[int, ...]
    same_as: KnownConcept | None = None
    exact_match: str | None = None
    alone: int = 0  # mentions that are no part of a longer candidate's name

    @property
    def repeated(self) -> int:
        """How often the article uses the name on its own (at least once)."""
        return max(1, self.alone)


@dataclass(frozen=True)
class RelationCandidate:
    subject: str
    type: str
    object: str
    evidence: tuple[Evidence, ...]
    score: float
    cue: str
    reversed: bool
    how: str = ""  # how the pair was read: near or far from the cue, named or by a name inside
    references: tuple[tuple[str, str], ...] = ()  # (words as written, concept id) read as a concept
    others: tuple[str, ...] = ()  # other readings of the same pair ("subject type object"), less likely

    @property
    def note(self) -> str:
        also = f"; also read as: {', '.join(self.others)}" if self.others else ""
        if self.how == "compound":
            return f"draft: a kind by its name, which ends in the other's name{also}"
        how = "object first, read backwards" if self.reversed else "subject first"
        read = "".join(f"; {words!r} read as {concept}" for words, concept in self.references)
        return f"draft: cue {self.cue!r} ({how}){read}{also}"


@dataclass(frozen=True)
class Draft:
    """What ``concept-graph draft`` proposes for one graph folder."""

    graph_dir: Path
    article: Article
    concepts: tuple[ConceptCandidate, ...]
    relations: tuple[RelationCandidate, ...]
    relation_types: tuple[RelationType, ...]
    names: dict = field(default_factory=dict)  # concept id -> label, curated ones included
    starter: str | None = None  # the text of a starter spec/graph.yaml, when the folder has none


# -- the public functions --------------------------------------------------------------------------

def draft(graph_dir: Path | str, match_with: list[Path | str] | None = None) -> Draft:
    """Draft candidates for a graph folder holding an article and no spec, or a partial one.

    ``match_with``: graph folders whose concepts are proposed as the same concept when the article
    names them; by default every other graph folder beside ``graph_dir``.
    """
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise ConceptGraphError(Problem("missing-file", display_path(graph_dir), None, "graph folder not found",
                                        "give a folder that holds the article (article.txt)"))
    curated = _Curated.load(graph_dir)
    article = read_article(graph_dir / str(curated.graph.get("article") or "article.txt"))
    types = curated.relation_types or default_relation_types()
    others = [Path(p) for p in match_with] if match_with is not None else sibling_graphs(graph_dir)
    known = known_concepts(others)
    graph_id = str(curated.graph.get("id") or slug(graph_dir.resolve().name) or "graph")
    base = str(curated.graph.get("base") or _starter_base(graph_id, known))
    categories = curated.categories or [c["id"] for c in _defaults()["categories"]]

    concepts = _concept_candidates(article, curated, known, base, categories)
    names = {**{c["id"]: c["label"] for c in curated.concepts}, **{c.id: c.label for c in concepts}}
    relations = _relation_candidates(article, curated, concepts, types)
    starter = None if curated.graph else starter_graph_yaml(graph_id, article.title, base)
    return Draft(graph_dir, article, tuple(concepts), tuple(relations), tuple(types), names, starter)


def write_draft(result: Draft) -> list[Path]:
    """Write ``spec/draft.yaml`` (and a starter ``spec/graph.yaml`` if there is none), atomically."""
    from .pipeline import write_files

    files = {DRAFT_FILE: draft_yaml(result).encode("utf-8")}
    if result.starter is not None and not (result.graph_dir / "spec" / "graph.yaml").exists():
        files["graph.yaml"] = result.starter.encode("utf-8")
    return list(write_files(result.graph_dir / "spec", files))


def default_relation_types() -> list[RelationType]:
    """The built-in relation types with their cues (``data/relation-types.yaml``)."""
    return [_relation_type(record) for record in _defaults()["relation_types"]]


def sibling_graphs(graph_dir: Path) -> list[Path]:
    """The other graph folders beside this one (``graph/*`` with a ``spec/``)."""
    me = graph_dir.resolve()
    return sorted(p.parent for p in graph_dir.resolve().parent.glob("*/spec")
                  if p.is_dir() and p.parent.resolve() != me)


def known_concepts(folders: list[Path]) -> dict[str, KnownConcept]:
    """Every name of every curated concept of these graph folders, folded, to its concept.

    A folder whose spec cannot be read is skipped: matching is a suggestion, not a check. When
    two folders name different concepts the same, the first folder (in the order given) wins.
    """
    from .spec import load_spec, spec_files

    index: dict[str, KnownConcept] = {}
    for folder in folders:
        folder = Path(folder)
        if not spec_files(folder):
            continue
        try:
            raw = load_spec(folder)
        except ConceptGraphError:
            continue
        graph: dict = raw.graph or {}
        graph_id, base = str(graph.get("id") or folder.name), str(graph.get("base") or "")
        for record in raw.lists["concepts"]:
            if not isinstance(record, dict) or record.get("status") == CANDIDATE or not record.get("id"):
                continue
            names = tuple(str(n) for n in [record.get("label"), *(record.get("synonyms") or [])]
                          if isinstance(n, str) and n.strip())
            if not names:
                continue
            concept = KnownConcept(graph_id, base, str(record["id"]), names[0], names,
                                   str(record.get("category")) if record.get("category") else None)
            for name in names:
                index.setdefault(fold(name), concept)
    return index


def match_known(names, index: dict[str, KnownConcept]) -> KnownConcept | None:
    """The known concept that any of these names names (label first), or None."""
    for name in names:
        found = index.get(fold(name))
        if found:
            return found
    return None


def slug(text: str) -> str:
    """An id from a label: lower case, ASCII letters and digits, single hyphens.

    >>> slug("Secure base"), slug("John Bowlby's  theory"), slug("flight-or-fight")
    ('secure-base', 'john-bowlby-s-theory', 'flight-or-fight')
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# -- the curated spec already in the folder -------------------------------------------------------

@dataclass
class _Curated:
    graph: dict
    concepts: list[dict]
    relations: set[tuple[str, str, str]]
    relation_types: list[RelationType]
    categories: list[str]

    @classmethod
    def load(cls, graph_dir: Path) -> _Curated:
        from .spec import load_spec, spec_files

        files = spec_files(graph_dir)
        if not files:
            return cls({}, [], set(), [], [])
        raw = load_spec(graph_dir)
        def curated(record) -> bool:
            return isinstance(record, dict) and not str(getattr(record, "file", "")).endswith(DRAFT_FILE)

        for kind in ("concepts", "relations"):
            for record in raw.lists[kind]:
                if (isinstance(record, dict) and str(getattr(record, "file", "")).endswith(DRAFT_FILE)
                        and record.get("status", CANDIDATE) != CANDIDATE):
                    raise ConceptGraphError(Problem(
                        "draft-has-curated", getattr(record, "file", None), getattr(record, "line", None),
                        f"{DRAFT_FILE} holds a record a curator kept (status: {record.get('status')})",
                        f"move the accepted records to another spec file before drafting again: "
                        f"the draft rewrites {DRAFT_FILE}"))
        concepts = [r for r in raw.lists["concepts"] if curated(r) and r.get("id") and r.get("label")]
        relations = {(str(r.get("subject")), str(r.get("type")), str(r.get("object")))
                     for r in raw.lists["relations"] if curated(r)}
        types = [_relation_type(r) for r in raw.lists["relation_types"] if curated(r) and r.get("id")]
        categories = [str(r["id"]) for r in raw.lists["categories"] if curated(r) and r.get("id")]
        return cls(raw.graph or {}, concepts, relations, types, categories)


def _relation_type(record) -> RelationType:
    def words(key):
        return tuple(" ".join(str(w).split()) for w in (record.get(key) or []) if isinstance(w, str))

    return RelationType(str(record["id"]), str(record.get("label") or record["id"]),
                        " ".join(str(record.get("definition") or "").split()),
                        record.get("inverse"), bool(record.get("symmetric", False)), record.get("skos"),
                        record.get("family"), tuple(record.get("conflicts_with") or ()),
                        words("cues"), words("reverse_cues"))


_DEFAULTS: dict = {}


def _defaults_text() -> str:
    from importlib.resources import files

    return files("concept_graph").joinpath("data/relation-types.yaml").read_text(encoding="utf-8")


def _defaults() -> dict:
    if not _DEFAULTS:
        _DEFAULTS.update(yaml.safe_load(_defaults_text()))
    return _DEFAULTS


def _starter_base(graph_id: str, known: dict[str, KnownConcept]) -> str:
    """Beside a graph whose base ends in its id, the same pattern; else the project's own."""
    for concept in sorted(known.values(), key=lambda c: c.graph):
        if concept.base.endswith(f"/{concept.graph}/"):
            return concept.base[: -len(concept.graph) - 1] + graph_id + "/"
    return DEFAULT_BASE.format(id=graph_id)


def starter_graph_yaml(graph_id: str, title: str, base: str, by: str = "draft") -> str:
    """A spec/graph.yaml to start from: the graph's identity and the built-in types and categories.

    ``by`` names the command that writes it (``draft`` or ``init``), for the file's first comment.
    """
    if title.isupper():
        title = title.title()
    defaults = _defaults_text()
    body = defaults[defaults.index("categories:"):]
    why = ("because the folder had no spec/graph.yaml" if by == "draft" else "to start a new graph")
    head = (
        "# yaml-language-server: $schema=schema.json\n"
        f"# Written by `concept-graph {by}` {why}: the graph's identity, broad\n"
        "# categories and the built-in relation types with their cues. Edit freely; no command\n"
        "# rewrites this file. Reference: docs/spec.md of concept-graph.\n"
        "graph:\n"
        f"  id: {graph_id}\n"
        f"  title: {_scalar(title)}\n"
        f"  description: {_scalar(f'The concepts of the article {title!r} and the relations it states between them.')}"
        "\n"
        f"  base: {_scalar(base)}\n"
        "  article: article.txt\n"
        "  language: en\n\n")
    return head + body


# -- concepts ---------------------------------------------------------------------------------------

@dataclass
class _Occurrence:
    sentence: Sentence
    phrase: Phrase
    maximal: bool
    elided: bool = False  # "avoidant attachment" read in "avoidant or anxious attachment"


def _word_weights(article: Article) -> dict[str, float]:
    """YAKE's weight of every word of the article (lower is more important), by folded word.

    YAKE scores a word by its casing, position, frequency, spread over sentences and the variety
    of its neighbours: what makes "ego" and "sturdiness" key words and "individual" less so,
    without a corpus or a model.
    """
    import yake

    body = article.text[article.sections[0].start:] if article.sections else article.text
    extractor = yake.KeywordExtractor(lan="en", n=1, dedup_lim=1.0, top=10**7)
    weights: dict[str, float] = {}
    for word, weight in extractor.extract_keywords(body):
        key = fold(word)
        if key:
            weights[key] = min(float(weight), weights.get(key, math.inf))
    return weights


def _phrase_weight(key: str, count: int, weights: dict[str, float], worst: float) -> float:
    """A phrase's weight from its words' YAKE weights h and its frequency tf, after YAKE's
    prod(h) / (tf * (1 + sum(h))); lower is more important."""
    from .phrases import ATTACHING

    hs = [weights.get(w, worst) for w in key.split() if w not in ATTACHING and w not in ("the", "a", "an")]
    if not hs:
        return worst
    # YAKE multiplies the words' weights, which favours ever longer phrases when every phrase is
    # a candidate; their geometric mean weighs a name of any length alike.
    return math.prod(hs) ** (1 / len(hs)) / (count * (1 + sum(hs) / len(hs)))


def _concept_candidates(article: Article, curated: _Curated, known: dict[str, KnownConcept], base: str,
                        categories: list[str]) -> list[ConceptCandidate]:
    occurrences: dict[str, list[_Occurrence]] = defaultdict(list)
    tokens_of: dict[int, list[Token]] = {}
    contrasted: set[str] = set()
    for sentence in article.sentences:
        tokens = tokens_of[sentence.index] = tokenize(sentence.text, sentence.start)
        ellipses = elliptical(tokens)
        modifiers = {(tokens[p.first].start, tokens[p.first].end) for p in ellipses}
        for phrase in noun_phrases(tokens):
            if (phrase.start, phrase.end) in modifiers:
                continue  # "avoidant" in "avoidant or anxious attachment" names no concept alone
            forms = variants(tokens, phrase)
            # Without the grading words it opens with, a phrase stands on its own too: "successful
            # navigation of complex social challenges" names the navigation of those challenges.
            bare = phrase.first + _emphasis(tokens, phrase)
            for variant in forms:
                key = fold(variant.text)
                if len(key) >= 3 and len(key.split()) <= MAX_WORDS and re.search(r"[a-z]", key):
                    maximal = variant in (phrase, forms[0]) or (bare > phrase.first and variant.first == bare)
                    occurrences[key].append(_Occurrence(sentence, variant, maximal))
        for phrase in ellipses:
            key = fold(phrase.text)
            if len(key.split()) <= MAX_WORDS:
                occurrences[key].append(_Occurrence(sentence, phrase, True, elided=True))
                # Modifiers set side by side tell kinds apart: "avoidant or anxious attachment"
                # names two kinds of attachment, neither modifier qualifies in passing.
                shared = len(phrase.text.split()) - 1
                contrasted |= {key, fold(" ".join(t.text for t in tokens[phrase.last - shared:phrase.last + 1]))}

    weights = _word_weights(article)
    worst = max(weights.values(), default=1.0)
    scored = {key: _phrase_weight(key, len({(o.phrase.start, o.phrase.end) for o in occs}), weights, worst)
              for key, occs in occurrences.items()}
    # A phrase is a candidate where it stands on its own (a maximal phrase); one that qualifies a
    # name in passing hands its place to that name ("numerous stressors" -> "stressors").
    standing = {k for k, occs in occurrences.items() if any(o.maximal for o in occs) and _names_a_thing(occs)}
    for key in sorted(standing):
        plain = _without_emphasis(key, occurrences)
        if plain:
            standing.discard(key)
            standing.add(plain)
    typical = sorted(weights.values())[len(weights) // 2] if weights else 1.0
    for key in sorted(standing - contrasted):
        shorter = _passing_modifier(key, occurrences, lambda word: weights.get(fold(word), typical) > typical)
        if shorter:
            # "trust in predictable support" may be what a curator names, and the longest name a
            # sentence holds is what its relations are about: it stays beside "trust".
            if not any(word in ATTACHING for word in key.split()[1:]):
                standing.discard(key)
            standing.add(shorter)
    standing |= _nested_names(standing, occurrences)
    keys = sorted(standing)
    keys.sort(key=lambda k: (scored[k], k))
    keys = keys[: max(40, CONCEPTS_PER_SENTENCE * len(article.sentences))]
    synonyms_of = _declared_synonyms(article, tokens_of, set(keys))

    curated_names = {fold(n): r["id"] for r in curated.concepts
                     for n in [r["label"], *(r.get("synonyms") or [])] if isinstance(n, str)}
    groups: dict[str, list[str]] = {}  # the key that heads a group -> its keys
    owner: dict[str, str] = {}
    for key in keys:
        if key in owner:
            continue
        owner[key] = key
        groups[key] = [key]
        for synonym in synonyms_of.get(key, ()):
            if synonym not in owner and synonym in occurrences:
                owner[synonym] = key
                groups[key].append(synonym)

    alone = _uses_alone(occurrences, keys, [m for members in groups.values() for m in members])
    candidates: list[ConceptCandidate] = []
    taken_ids = {r["id"] for r in curated.concepts}
    by_known: dict[str, int] = {}
    for head, members in groups.items():
        if any(m in curated_names for m in members):
            continue  # already in the graph
        occs = [o for m in members for o in occurrences[m]]
        label = _label(occurrences[head])
        synonyms = tuple(dict.fromkeys(_label(occurrences[m]) for m in members[1:]))
        weight = min(scored[m] for m in members)
        score = round(1 / (1 + 4 * weight ** 0.5), 3)
        known_concept = match_known((label, *synonyms), known)
        if known_concept and known_concept.id in by_known:
            # A second name of a concept another graph has: a synonym of the first candidate.
            i = by_known[known_concept.id]
            first = candidates[i]
            candidates[i] = replace(first, synonyms=tuple(dict.fromkeys((*first.synonyms, label, *synonyms))),
                                    score=max(first.score, score), mentions=first.mentions + len(occs),
                                    alone=first.alone + sum(alone[m] for m in members),
                                    sections=tuple(sorted({*first.sections, *(o.sentence.section for o in occs)})))
            continue
        if known_concept:
            ident = known_concept.id
            category = known_concept.category if known_concept.category in categories else categories[0]
            exact = None if known_concept.base == base else known_concept.iri
        else:
            ident = _free_id(slug(label) or "concept", taken_ids, known)
            category, exact = categories[0], None
        if ident in taken_ids and not known_concept:
            continue
        taken_ids.add(ident)
        evidence, definition = _grounding(article, occs)
        if evidence is None:
            continue
        if known_concept:
            by_known[known_concept.id] = len(candidates)
        candidates.append(ConceptCandidate(ident, label, synonyms, category, definition, evidence, score,
                                           len(occs), tuple(sorted({o.sentence.section for o in occs})),
                                           known_concept, exact, sum(alone[m] for m in members)))
    candidates += _known_only(article, known, candidates, curated_names, taken_ids, base, categories)
    # The score a curator sorts by: YAKE's weight of the name, and how much it looks like a notion.
    candidates = [replace(c, score=round((c.score + _termhood(c, article.text)) / 2, 3)) for c in candidates]
    candidates.sort(key=lambda c: (-c.score, c.id))
    return candidates


def _uses_alone(occurrences: dict[str, list[_Occurrence]], keys: list[str], names: list[str]) -> dict[str, int]:
    """For each name, how many of its uses are no part of a longer candidate's name: "life" in
    "affective life" or "development" in "early childhood development" is used by that name, not
    on its own (the independent occurrences of the C-value measure, Frantzi et al. 2000)."""
    spans: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for key in keys:
        for o in occurrences[key]:
            if not o.elided:
                spans[o.sentence.index].add((o.phrase.start, o.phrase.end))
    out = {}
    for key in names:
        own = {(o.sentence.index, o.phrase.start, o.phrase.end) for o in occurrences[key]}
        out[key] = sum(1 for index, start, end in own
                       if not any(a <= start and end <= b and (a, b) != (start, end) for a, b in spans[index]))
    return out


def _nested_names(standing: set[str], occurrences: dict[str, list[_Occurrence]]) -> set[str]:
    """Names that several candidates end in, though the article never uses them alone:
    "foundational internal working model" and "negative internal working models" name kinds of
    an "internal working model" (the C-value idea of nested terms, Frantzi et al. 2000)."""
    containers: dict[str, set[str]] = defaultdict(set)
    for key in standing:
        words = key.split()
        for k in range(1, len(words) - 1):
            containers[" ".join(words[k:])].add(key)
    return {name for name, keys in containers.items()
            if len(keys) >= 2 and name in occurrences and name not in standing}


def _names_a_thing(occs: list[_Occurrence]) -> bool:
    """A phrase with a complement names a thing when the article repeats it or when it is
    "X of Y" ("sense of safety"); a one-off "X for Y" or "X to Y" describes in passing."""
    from .phrases import ATTACHING

    words = occs[0].phrase.text.split()
    attached = [w.lower() for w in words[1:] if w.lower() in ATTACHING]
    return not attached or attached[0] == "of" or len({(o.phrase.start, o.phrase.end) for o in occs}) > 1


def _emphasis(tokens: list[Token], phrase: Phrase) -> int:
    """How many grading or praising adjectives open the phrase (before its last noun)."""
    from .phrases import EVALUATIVE

    k = 0
    while phrase.first + k < phrase.head and tokens[phrase.first + k].lower in EVALUATIVE:
        k += 1
    return k


def _without_emphasis(key: str, occurrences: dict[str, list[_Occurrence]]) -> str | None:
    """The name without the grading or praising adjectives it opens with ("significant
    psychological fragmentation" -> "psychological fragmentation", "deep trust" -> "trust"), which
    a curator leaves out of a concept's name: unless the article repeats the graded name and never
    uses the bare one on its own (then the grade is part of the name)."""
    from .phrases import EVALUATIVE

    words = key.split()
    k = 0
    while k < len(words) - 1 and words[k] in EVALUATIVE:
        k += 1
    bare = " ".join(words[k:])
    if not k or bare not in occurrences or words[k] in ATTACHING:
        return None
    spans = {(o.phrase.start, o.phrase.end) for o in occurrences[key]}
    alone = [o for o in occurrences[bare] if not any(a <= o.phrase.start and o.phrase.end <= b for a, b in spans)]
    return bare if len(spans) == 1 or alone else None


def _passing_modifier(key: str, occurrences: dict[str, list[_Occurrence]], minor) -> str | None:
    """The name that a phrase used once only qualifies, if the article uses that name elsewhere:
    "numerous stressors" -> "stressor", "high psychological security" -> "psychological security".
    A name that recurs with its modifier ("relational security"), that starts with a noun
    ("support system") or with a key word of the article (``minor`` is false: "secure attachment
    relationship"), or whose head never stands apart ("secure base") keeps its place."""
    from .phrases import ATTACHING, word_classes

    occs = occurrences[key]
    if len({(o.phrase.start, o.phrase.end) for o in occs}) > 1 or " " not in key:
        return None
    occ = occs[0]
    words = occ.phrase.text.split()
    attached = next((i for i, w in enumerate(words) if i and w.lower() in ATTACHING), None)
    if attached is not None:
        shorter = fold(" ".join(words[:attached]))  # "secure base for newcomers" -> "secure base"
    else:
        first = words[0]
        if first[:1].isupper() or "ADJ" not in word_classes(first) or not minor(first):
            return None
        shorter = key.split(" ", 1)[1]
    elsewhere = {(o.phrase.start, o.phrase.end) for o in occurrences.get(shorter, ())
                 if not (occ.phrase.start <= o.phrase.start and o.phrase.end <= occ.phrase.end)}
    return shorter if elsewhere else None


def _known_only(article, known, candidates, curated_names, taken_ids, base, categories) -> list[ConceptCandidate]:
    """Concepts of other graphs that the article names though no phrase of it was kept."""
    have = {c.id for c in candidates} | set(curated_names.values())
    out = []
    concepts = {c.id: c for c in known.values()}
    for concept in sorted(concepts.values(), key=lambda c: c.id):
        if concept.id in have or concept.id in taken_ids:
            continue
        spans = [(m.start(), m.end()) for name in concept.names
                 for m in re.finditer(_name_pattern(name), article.text, flags=re.IGNORECASE)
                 if article.sentence_at(m.start()) is not None]
        if not spans:
            continue
        spans.sort()
        start, end = spans[0]
        sentence = article.sentence_at(start)
        evidence = _unique_quote(article, start, end, sentence)
        if evidence is None:
            continue
        category = concept.category if concept.category in categories else categories[0]
        out.append(ConceptCandidate(concept.id, article.text[start:end].lower() if not concept.label[0].isupper()
                                    else article.text[start:end], (), category, " ".join(sentence.text.split()),
                                    evidence, 0.5, len(spans),
                                    tuple(sorted({article.sentence_at(s).section for s, _ in spans})),
                                    concept, None if concept.base == base else concept.iri))
        taken_ids.add(concept.id)
    return out


def _name_pattern(name: str) -> str:
    words = [re.escape(w) for w in name.split()]
    words[-1] += "(?:s|es)?"
    return r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])"


def _free_id(ident: str, taken: set[str], known: dict[str, KnownConcept]) -> str:
    """An id no curated concept and no other graph's concept uses (so IRIs never collide)."""
    others = {c.id for c in known.values()}
    candidate, n = ident, 2
    while candidate in taken or candidate in others:
        candidate, n = f"{ident}-{n}", n + 1
    return candidate


def _label(occurrences: list[_Occurrence]) -> str:
    """The form the article uses most, in lower case unless it is a name ("John Bowlby")."""
    forms: dict[str, int] = defaultdict(int)
    for occ in occurrences:
        forms[occ.phrase.text] += 1
    text = max(sorted(forms), key=lambda f: forms[f])
    inside = [o for o in occurrences if o.phrase.start > o.sentence.start]
    if inside and all(any(w[:1].isupper() for w in o.phrase.text.split()) for o in inside):
        return text
    return text.lower() if not any(w.isupper() and len(w) > 1 for w in text.split()) else text


_DEFINING = re.compile(r"^\s*(?:,[^,]{0,80},\s*)?(?:is|are|refers to|means|denotes|describes|is defined as)\b",
                       re.IGNORECASE)


def _grounding(article: Article, occurrences: list[_Occurrence]) -> tuple[Evidence | None, str]:
    """The quote for a concept: the sentence that defines it if one does, else its first use."""
    ordered = sorted(occurrences, key=lambda o: o.phrase.start)
    chosen = next((o for o in ordered if o.phrase.start - o.sentence.start < 40
                   and _DEFINING.match(article.text[o.phrase.end:o.sentence.end])), None)
    if chosen is not None:
        evidence = _unique_quote(article, chosen.sentence.start, chosen.sentence.end, chosen.sentence)
    else:
        chosen = ordered[0]
        name = article.text[chosen.phrase.start:chosen.phrase.end]
        # A name used more than once is quoted with its whole sentence, which reads better than
        # a fragment lengthened word by word.
        if article.text.count(name) > 1 and article.text.count(chosen.sentence.text) == 1:
            evidence = _unique_quote(article, chosen.sentence.start, chosen.sentence.end, chosen.sentence)
        else:
            evidence = _unique_quote(article, chosen.phrase.start, chosen.phrase.end, chosen.sentence)
    return evidence, " ".join(chosen.sentence.text.split())


_SYNONYM_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:often|also|sometimes|commonly|usually|synonymously|otherwise)\s+)*"
    r"(?:referred to as|known as|called|termed|named)\s+", re.IGNORECASE)


def _declared_synonyms(article: Article, tokens_of: dict[int, list[Token]], keys: set[str]) -> dict[str, list[str]]:
    """Names the text declares for the phrase before them: "X, also known as Y or Z", "X (Y)",
    "X, or Y,"."""
    found: dict[str, list[str]] = defaultdict(list)
    for sentence in article.sentences:
        tokens = tokens_of[sentence.index]
        phrases = [variants(tokens, p)[0] for p in noun_phrases(tokens)]  # with a complement, if any
        for i, phrase in enumerate(phrases):
            key = fold(phrase.text)
            if key not in keys:
                continue
            if phrase.first and tokens[phrase.first - 1].lower in ("this", "these", "that", "those"):
                continue  # "this process, often referred to as re-parenting" names what the process is
            rest = article.text[phrase.end:sentence.end]
            following = phrases[i + 1:]
            names: list[Phrase] = []
            marker = _SYNONYM_AFTER.match(rest)
            if marker:
                at = phrase.end + marker.end()
                for other in following:
                    if other.start < at:
                        continue
                    between = article.text[at:other.start]
                    if other.start == at or re.fullmatch(r"\s*(?:,|,?\s*or|,?\s*and)?\s*", between):
                        names.append(other)
                        at = other.end
                    else:
                        break
            elif re.match(r"^\s*\(", rest) and following and re.fullmatch(
                    r"\s*\(\s*", article.text[phrase.end:following[0].start]) and re.match(
                    r"\s*\)", article.text[following[0].end:]):
                names.append(following[0])
            elif re.match(r"^,\s+or\s+", rest) and following and re.match(
                    r"\s*,", article.text[following[0].end:]) and re.fullmatch(
                    r",\s+or\s+", article.text[phrase.end:following[0].start]):
                names.append(following[0])
            for name in names:
                other_key = fold(name.text)
                if other_key != key:
                    found[key].append(other_key)
    return found


def _sentence_of(article: Article, offset: int) -> Sentence:
    """The sentence around a mention or a quote, which always lies in one (headings hold none)."""
    sentence = article.sentence_at(offset)
    if sentence is None:
        raise ValueError(f"offset {offset} of {article.path} lies outside every sentence")
    return sentence


def _unique_quote(article: Article, start: int, end: int, sentence: Sentence | None) -> Evidence | None:
    """A verbatim quote covering [start, end) that occurs once in the article: lengthened a word
    at a time, first to the right, then to the left, within its sentence, then beyond it."""
    text = article.text
    lo, hi = start, end
    low_bound = sentence.start if sentence else 0
    high_bound = sentence.end if sentence else len(text)
    turn = 0
    while True:
        quote = text[lo:hi]
        if quote.strip() and text.count(quote) == 1:
            trimmed = quote.rstrip(",;:—–-( ")
            if hi > end and len(trimmed) >= end - lo and text.count(trimmed) == 1:
                quote = trimmed  # "Resilience," -> "Resilience"
            try:
                return locate(article, quote)
            except (QuoteNotFound, QuoteAmbiguous):
                return None
        if lo <= low_bound and hi >= high_bound:
            if low_bound == 0 and high_bound == len(text):
                return None
            low_bound, high_bound = 0, len(text)
        if (turn % 2 == 0 and hi < high_bound) or lo <= low_bound:
            match = re.compile(r"\s*\S+").match(text, hi)
            hi = min(high_bound, match.end()) if match else high_bound
        else:
            before = re.search(r"\S+\s*$", text[low_bound:lo])
            lo = low_bound + before.start() if before else low_bound
        turn += 1


# -- relations --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Mention:
    """A concept named in a sentence, or referred to ("this model", "they", "a secure individual")."""

    concept: str
    start: int
    end: int
    inner: tuple[str, ...] = ()
    refers: str = ""  # the words as written, when they refer to the concept without naming it
    reach: int = 0  # where the words that name it end, past the mention ("avoidant| or anxious attachment")


_NOTION_ENDINGS = ("ness", "ity", "ty", "tion", "sion", "ance", "ence", "ancy", "ency", "ment", "ism", "ery", "ry",
                   "cy", "ing", "th", "al", "sis", "ure", "ise", "ize", "ship", "hood", "dom", "ist", "ics", "acy")


def _termhood(concept: ConceptCandidate, text: str) -> float:
    """How likely a candidate names a concept of the article rather than a passing thing.

    Names the article repeats are likelier, and names of two or three words more than single
    words. A single word counts its uses on its own only: as the head of longer names ("affective
    life", "early childhood development") it is used by them, and general words are the heads of
    many names. A single word the article mostly uses as a frame for something else ("a sense of
    safety", "the capacity for coping", "this process") is a general word, not the concept.
    """
    words = len(concept.label.split())
    uses = concept.repeated if words == 1 else concept.mentions
    repeated = {1: 0.3, 2: 0.55, 3: 0.75}.get(uses, 0.9)
    score = repeated * {1: 0.8, 2: 1.0, 3: 0.9}.get(words, 0.6)
    # A notion is one thing; a name the article uses in the plural ("relationships", "emotional
    # needs", "traumatic events") counts things.
    head = next((w for w, after in zip(concept.label.split(), [*concept.label.split()[1:], ""], strict=True)
                 if after.lower() in ATTACHING), concept.label.split()[-1]).lower()
    plural = singular(head) != head
    if plural:
        score *= 0.6
    if words == 1:
        # Notions are mostly named by nouns made from verbs and adjectives ("exploration",
        # "resilience", "vulnerability", "mastery"); a plain noun ("life", "world", "tasks")
        # is more often the setting of a statement than its subject, and so is such a noun in
        # the plural, which counts instances ("relationships", "expectations", "difficulties").
        from .phrases import PERSON_NOUNS

        if (plural or not fold(concept.label).endswith(_NOTION_ENDINGS)) and "-" not in concept.label:
            score *= 0.5
        # A person is who a statement is about.
        if concept.label.lower() in PERSON_NOUNS:
            score *= 0.6
        score *= 1 - 0.8 * _framing(concept.label, text)
    return score


def _inner_names(text: str, names: dict[str, str]) -> list[str]:
    """Concepts named inside a mention: "support system" in "approving support system", "safety"
    and "sense" in "sense of safety"."""
    from .phrases import ATTACHING

    words = text.split()
    found = []
    for i in range(1, len(words)):
        if words[i - 1].lower() in ATTACHING:
            found += [names.get(fold(" ".join(words[:i - 1]))), names.get(fold(" ".join(words[i:])))]
        else:
            found.append(names.get(fold(" ".join(words[i:]))))
    return [c for c in found if c]


def _described(concepts: list[ConceptCandidate], names: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Candidates whose name describes another concept rather than naming one of its own: a name
    the article uses once that opens with a qualitative adjective ("reliable secure base", "rigid
    psychological defenses", "repeated successful mastery") is about the concept named by a name
    it ends in (secure base, defenses, mastery), the longest first, which is what a curator
    relates; with a frame before a complement ("a reliable sense of self-efficacy", "lower levels
    of rumination") about the complement. A classifying adjective or a verb's participle makes a
    kind ("interpersonal security", "chronic threat", "perceived vulnerability"), and a name the
    article repeats is a term (:func:`concept_graph.phrases.qualitative`). The name stays a
    candidate of its own."""
    from .phrases import FRAME_NOUNS, qualitative

    out = {}
    for concept in concepts:
        words = fold(concept.label).split()
        if concept.mentions != 1 or len(words) < 2 or not qualitative(words[0]):
            continue
        attached = next((k for k, word in enumerate(words) if k and word in ATTACHING), len(words))
        ends = [" ".join(words[k:]) for k in range(1, attached)]
        if attached < len(words) and words[attached - 1] in FRAME_NOUNS:
            ends.append(" ".join(words[attached + 1:]))
        found = tuple(dict.fromkeys(names[e] for e in ends if names.get(e) not in (None, concept.id)))
        if found:
            out[concept.id] = found
    return out


def _readings(subject: _Mention, obj: _Mention, described: dict[str, tuple[str, ...]]):
    """The concept pairs two mentions can mean: as named, or by a name inside ("secure base" in
    "reliable secure base"); the likelier concept of each mention reads first: the one named,
    unless that name only describes the one inside (:func:`_described`)."""
    def ranked(mention):
        names = (mention.concept, *mention.inner)
        first = next((c for c in described.get(mention.concept, ()) if c in mention.inner), None)
        if first:
            names = (first, *(c for c in names if c != first))
        return [(c, 1.0 if i == 0 else 0.5) for i, c in enumerate(names)]

    for s, ps in ranked(subject):
        for o, po in ranked(obj):
            yield s, o, ps * po


@dataclass(frozen=True)
class _Cue:
    type: str
    text: str
    start: int
    end: int
    reversed: bool
    shared: int = 1
    examples: bool = False  # a kind-of cue read backwards: "such as", "including"
    joined: bool = False  # the cue continues a name: "mastery| of developmental tasks"


_BE = r"(?:is|are|was|were|be|been|being)"


def _relation_candidates(article: Article, curated: _Curated, concepts: list[ConceptCandidate],
                         types: list[RelationType]) -> list[RelationCandidate]:
    from .mentions import find_mentions

    every = [Concept(c.id, c.label, c.synonyms, c.category, "") for c in concepts]
    known_ids = {c.id for c in every}
    for record in curated.concepts:
        if record["id"] not in known_ids:
            synonyms = tuple(str(s) for s in record.get("synonyms") or [] if isinstance(s, str) and s.strip())
            every.append(Concept(str(record["id"]), str(record["label"]), synonyms, "", ""))
    # A curated concept is a concept for sure: relations between curated ones read first.
    salience = {**{str(r["id"]): 1.0 for r in curated.concepts}, **{c.id: _termhood(c, article.text) for c in concepts}}
    # The text names an example of a kind as a notion of that kind: one more use of its name.
    example = {**salience, **{c.id: _termhood(replace(c, mentions=c.mentions + 1, alone=c.alone + 1), article.text)
                              for c in concepts}}
    graph = ConceptGraph(GraphMeta("draft", article.title, "", "urn:draft:", "en"), article, (), (), tuple(every), ())
    by_sentence: dict[int, list[_Mention]] = defaultdict(list)
    names = {fold(name): concept.id for concept in every for name in concept.names}
    for mention in find_mentions(graph):
        sentence = article.sentence_at(mention.start)
        if sentence is not None:
            inner = tuple(dict.fromkeys(c for c in _inner_names(mention.text, names) if c != mention.concept))
            by_sentence[sentence.index].append(_Mention(mention.concept, mention.start, mention.end, inner))
    for index, listed in by_sentence.items():
        by_sentence[index] = _overlapping_names(article.text, sorted(listed, key=lambda m: m.start), names, salience)
    patterns = _cue_patterns(types)
    symmetric = {t.id for t in types if t.symmetric}
    frames = {c.id for c in every if _is_frame(c, article.text)}
    described = _described(concepts, names)

    found: dict[tuple[str, str, str], list[tuple[float, Evidence, _Cue, str, tuple]]] = defaultdict(list)
    resolver = _References(article, every, names)
    for sentence in article.sentences:
        tokens = tokenize(sentence.text, sentence.start)
        named = _elided(tokens, sorted(by_sentence.get(sentence.index, []), key=lambda m: m.start), names)
        cues = _cues(article, sentence, patterns, named, names)
        mentions = _outside_cues(article.text, named, cues, names)
        parse = _Parse(article.text, sentence, tokens, mentions, cues, frames)
        mentions = resolver.resolve(sentence, tokens, parse)
        mentions = _outside_cues(article.text, mentions, cues, names)
        parse = _Parse(article.text, sentence, tokens, mentions, cues, frames)
        resolver.remember(sentence, parse)
        if len(mentions) < 2:
            continue
        best: dict[frozenset, tuple] = {}
        for cue in cues:
            readings = []
            for subject, obj, distance, how in _pairs(parse, cue):
                if subject.concept == obj.concept:
                    continue  # "ego sturdiness, often referred to as ego strength": one concept
                for s, o, penalty in _readings(subject, obj, described):
                    if s == o:
                        continue
                    if cue.type in symmetric and s > o:
                        s, o = o, s
                    if (s, cue.type, o) in curated.relations or (
                            cue.type in symmetric and (o, cue.type, s) in curated.relations):
                        continue
                    words = len(cue.text.split())
                    specificity = (0.55, 0.75, 0.9)[min(words, 3) - 1] / cue.shared * parse.reliability(cue)
                    sal = (example if cue.examples else salience).get(s, 0.5) * salience.get(o, 0.5)
                    # A mention the sentence's reading did not link to the cue (a far one) is a
                    # second choice, as a name inside another is: it counts half.
                    second = 0.5 if how == "far" else 1.0
                    score = second * penalty * specificity * sal / (1 + 0.2 * distance)
                    reach = "inner" if penalty < 1 else "named"
                    readings.append((score, s, o, subject, obj, f"{how} {reach} d={distance:g}"))
            # One cue states a few relations, not every pair around it: each further reading of
            # the same cue, and of the same two mentions, counts for less.
            readings.sort(key=lambda x: (-x[0], x[1], x[2]))
            seen_spans: set = set()
            for rank, (score, s, o, subject, obj, how) in enumerate(readings):
                spans = (subject.start, obj.start)
                score *= 0.85 ** rank * (0.6 if spans in seen_spans else 1.0)
                seen_spans.add(spans)
                pair = frozenset((s, o))
                if pair not in best or score > best[pair][0]:
                    best[pair] = (score, s, o, subject, obj, cue, how)
        # A sentence states one relation between two concepts: the best reading of the pair.
        for score, s, o, subject, obj, cue, how in best.values():
            lo = min(subject.start, obj.start, cue.start)
            hi = max(subject.end, obj.end, cue.end, subject.reach, obj.reach)
            evidence = _unique_quote(article, lo, hi, sentence)
            if evidence is not None:
                references = tuple((m.refers, m.concept) for m in (subject, obj) if m.refers)
                found[(s, cue.type, o)].append((score, evidence, cue, how, references))

    kind = next((t for t in types if t.skos == "broader"), None)
    if kind is not None:
        for (s, o), (score, evidence) in _compound_kinds(article, every, salience, by_sentence).items():
            if (s, kind.id, o) not in curated.relations:
                cue = _Cue(kind.id, "", evidence.start, evidence.start, False)
                found[(s, kind.id, o)].append((score, evidence, cue, "compound", ()))

    out = []
    for readings_of_pair in _by_pair(found).values():
        (s, t, o), items = readings_of_pair[0]
        quotes = tuple(dict.fromkeys(item[1] for _, its in readings_of_pair for item in its))[:3]
        _, _, cue, how, references = items[0]
        others = tuple(dict.fromkeys(f"{s2} {t2} {o2}" for (s2, t2, o2), _ in readings_of_pair[1:]))
        statements: dict[int, float] = {}
        for _, its in readings_of_pair:
            for item in its:
                index = _sentence_of(article, item[1].start).index
                statements[index] = max(statements.get(index, 0.0), item[0])
        # A square root spreads the products of small factors over a readable 0..1 scale.
        score = math.sqrt(_combined(statements.values()))
        out.append(RelationCandidate(s, t, o, quotes, round(score, 3), cue.text, cue.reversed, how, references,
                                     others))
    out.sort(key=lambda r: (-r.score, r.evidence[0].start, r.subject, r.type, r.object))
    # A curator reads a few candidates per sentence, not every pair a sentence allows.
    return out[:RELATIONS_PER_SENTENCE * max(1, len(article.sentences))]


def _combined(chances) -> float:
    """How likely a pair is related when several sentences state it, each as likely as its best
    reading: as independent chances combine (several readings of one sentence are one statement,
    and weak readings add little, where a bonus per quote let three far readings outrank a near one).

    >>> _combined([0.5]), _combined([0.5, 0.5]), round(_combined([0.01, 0.01, 0.01]), 4)
    (0.5, 0.75, 0.0297)
    """
    return 1 - math.prod(1 - min(1.0, chance) for chance in chances)


def _by_pair(found: dict) -> dict[frozenset, list]:
    """The readings of each pair of concepts, best first: a curator decides once how two concepts
    relate, so the article's statements about a pair make one candidate, whose type and direction
    are the best-scored reading's; its quotes are the best of every reading, and the other
    readings are named in its note. A list of candidates is then not spent on one pair read
    several ways."""
    pairs: dict[frozenset, list] = defaultdict(list)
    for triple, items in found.items():
        items.sort(key=lambda x: (-x[0], x[1].start))
        pairs[frozenset((triple[0], triple[2]))].append((triple, items))
    for readings in pairs.values():
        readings.sort(key=lambda r: (-r[1][0][0], r[1][0][1].start, r[0]))
    return pairs


def _elided(tokens: list[Token], mentions: list[_Mention], names: dict[str, str]) -> list[_Mention]:
    """The mentions with those a coordination leaves its noun out of: in "avoidant or anxious
    attachment", "avoidant" names avoidant attachment. The mention is the modifier alone, so that
    the coordination reads as a list of two names; its quote reaches to the shared noun."""
    from .phrases import elliptical

    out = list(mentions)
    for phrase in elliptical(tokens):
        concept = names.get(fold(phrase.text))
        word = tokens[phrase.first]
        if concept is None or any(m.start < word.end and word.start < m.end and not (
                word.start <= m.start and m.end <= word.end) for m in out):
            continue
        # A concept named by the modifier alone ("avoidant") is the weaker reading.
        out = [m for m in out if not (word.start <= m.start and m.end <= word.end)]
        out.append(_Mention(concept, word.start, word.end, reach=phrase.end))
    return sorted(out, key=lambda m: m.start)


def _overlapping_names(text: str, mentions: list[_Mention], names: dict[str, str], salience: dict) -> list[_Mention]:
    """Two names that overlap are one mention of both: "sustained independence from alarm" holds
    "sustained independence" and "independence from alarm"; the more notion-like names it, the
    other reads inside (the longest match alone would keep the first and lose the second)."""
    out: list[_Mention] = []
    for mention in mentions:
        if out and mention.start < out[-1].end:
            continue
        words = list(re.finditer(r"[\w’'-]+", text[mention.start:mention.start + (mention.end - mention.start) + 80]))
        inside = [w for w in words[1:] if mention.start + w.start() < mention.end]
        longest = None
        for w in inside:
            start = mention.start + w.start()
            for last in words:
                end = mention.start + last.end()
                if end <= mention.end or end - start > 80:
                    continue
                concept = names.get(fold(text[start:end]))
                if concept and concept != mention.concept and (longest is None or end > longest[1]):
                    longest = (start, end, concept)
        if longest is None:
            out.append(mention)
            continue
        _, end, other = longest
        first, second = (mention.concept, other) if salience.get(mention.concept, 0.5) >= salience.get(other, 0.5) \
            else (other, mention.concept)
        inner = tuple(dict.fromkeys(c for c in (second, *mention.inner) if c != first))
        out.append(_Mention(first, mention.start, end, inner))
    return out


def _outside_cues(text: str, mentions: list[_Mention], cues: list[_Cue], names: dict[str, str]) -> list[_Mention]:
    """The mentions a sentence's cues leave: one that runs into a cue keeps the concept named before
    it ("relational security| hinges upon" read as one noun phrase), else it is dropped."""
    out = []
    for mention in mentions:
        cut = min((c.start for c in cues if c.start < mention.end and mention.start < c.end), default=None)
        if cut is None:
            out.append(mention)
            continue
        words = list(re.finditer(r"\S+", text[mention.start:cut]))
        for word in words:
            start = mention.start + word.start()
            concept = names.get(fold(text[start:cut]))
            if concept:
                out.append(_Mention(concept, start, start + len(text[start:cut].rstrip()), (), mention.refers))
                break
        after = max((c.end for c in cues if mention.start < c.end < mention.end), default=None)
        if after is not None and names.get(fold(text[after:mention.end])):
            start = after + len(text[after:mention.end]) - len(text[after:mention.end].lstrip())
            out.append(_Mention(names[fold(text[after:mention.end])], start, mention.end))
    return out


def _compound_kinds(article: Article, concepts: list[Concept], salience: dict,
                    by_sentence: dict[int, list[_Mention]]) -> dict[tuple[str, str], tuple[float, Evidence]]:
    """Kinds a name states by itself: "anticipatory anxiety" is a kind of anxiety, "negative
    internal working models" a kind of internal working model, when both are concepts (a modifier
    before a concept's name makes a narrower concept; the classic head-modifier reading of
    compound terms). Quoted where the narrower name is first used."""
    ends: dict[str, str] = {}
    for concept in concepts:
        for name in concept.names:
            ends.setdefault(fold(name), concept.id)
    first: dict[str, _Mention] = {}
    for index in sorted(by_sentence):
        for mention in by_sentence[index]:
            first.setdefault(mention.concept, mention)
    out = {}
    for concept in concepts:
        earliest = first.get(concept.id)
        if earliest is None:
            continue
        for name in concept.names:
            words = fold(name).split()
            if any(word in ATTACHING for word in words):
                continue  # "haven of safety" is no kind of safety
            broader = next((ends[" ".join(words[k:])] for k in range(1, len(words))
                            if ends.get(" ".join(words[k:])) not in (None, concept.id)), None)
            if broader is None or (concept.id, broader) in out:
                continue
            sentence = article.sentence_at(earliest.start)
            evidence = _unique_quote(article, earliest.start, earliest.end, sentence)
            if evidence is not None:
                # No cue states it: below the relations a sentence states.
                weight = 0.1 * salience.get(concept.id, 0.5) * salience.get(broader, 0.5)
                out[(concept.id, broader)] = (weight, evidence)
    return out


def _is_frame(concept: Concept, text: str) -> bool:
    """A name that frames the notion of its complement ("a robust sense of self-trust", "the
    capacity for coping"): by its last word, or, for one word, because the article mostly uses it
    so ("this process", "the capacity to")."""
    from .phrases import FRAME_NOUNS

    words = concept.label.lower().split()
    if not words:
        return False
    if words[-1] in FRAME_NOUNS:
        return True
    return len(words) == 1 and _framing(concept.label, text) >= 0.5


def _framing(word: str, text: str) -> float:
    """The share of a word's uses that frame something else: "X of", "X for", "this X", "their X"."""
    framing, uses = _framing_table(text)
    key = word.lower()
    return framing.get(key, 0) / max(1, uses.get(key, 0))


@lru_cache(maxsize=4)
def _framing_table(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """For every word of the text (and its singular by a plural ending), how often it is used and
    how often as a frame; one pass over the text instead of a search per word."""
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*", text)]
    framing: dict[str, int] = defaultdict(int)
    uses: dict[str, int] = defaultdict(int)
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        # A noun made from a verb takes its object with "of" ("internalization of mastery"): that
        # use names the process, it frames nothing.
        action = word.endswith(("tion", "sion", "ment", "ing", "ure", "ance", "al"))
        frames = (after in ("for", "to", "that") or after == "of" and not action
                  or before in ("this", "these", "that", "those", "its", "their", "his", "her"))
        for key in {word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word}:
            uses[key] += 1
            framing[key] += frames
    return dict(framing), dict(uses)


def _cue_patterns(types: list[RelationType]) -> list[tuple[re.Pattern, RelationType, str, bool]]:
    """One pattern per cue, matching every form of its verb ("include", "includes", "including").

    A type without cues of its own borrows those of the built-in type of the same id."""
    patterns = []
    defaults = {t.id: t for t in default_relation_types()}
    for rtype in types:
        if not rtype.cues and not rtype.reverse_cues and rtype.id in defaults:
            rtype = replace(rtype, cues=defaults[rtype.id].cues, reverse_cues=defaults[rtype.id].reverse_cues)
        # A type's own label states it too: "leads to", and read backwards "results from".
        forward = dict.fromkeys([*rtype.cues, rtype.label])
        backward = dict.fromkeys([*rtype.reverse_cues, *([rtype.inverse_label] if rtype.inverse_label else [])])
        for cue, reverse in [*((c, False) for c in forward), *((c, True) for c in backward)]:
            if reverse is False and cue in backward:
                continue  # listed both ways: the explicit reading backwards wins
            words = [re.escape(w) for w in cue.split()]
            forms = _verb_forms(cue.split()[0])
            if forms:
                words[0] = "(?:" + "|".join(re.escape(f) for f in forms) + ")"
            # A long cue keeps its sense with a word added inside: "provides (vital) opportunities for".
            body = (r"\s+(?:[\w-]+\s+)?" if len(words) >= 3 else r"\s+").join(words)
            patterns.append((re.compile(r"(?<![\w-])" + body + r"(?![\w-])", re.IGNORECASE), rtype, cue, reverse))
    return patterns


def _verb_forms(word: str) -> list[str]:
    """Every form of the verb a cue's first word is a form of, longest first; [] if it is none."""
    from lemminflect import getAllInflections, getAllLemmas

    from .phrases import AUXILIARIES, PREPOSITIONS

    lower = word.lower()
    lemmas = getAllLemmas(lower).get("VERB")
    if not lemmas or lower in AUXILIARIES or lower in PREPOSITIONS:
        return []
    forms = {lower, *(f for fs in getAllInflections(lemmas[0], "VERB").values() for f in fs)}
    return sorted(forms, key=lambda f: (-len(f), f))


def _cues(article: Article, sentence: Sentence, patterns, mentions: list[_Mention],
          names: dict[str, str]) -> list[_Cue]:
    """The cues of a sentence that are not part of a concept's name; a longer cue hides the
    shorter ones inside it; a cue several types share is shared.

    A name that ends inside a cue was the cue's own noun read as a name ("a reliable buffer
    against", "an important part of"): the cue wins, unless that noun names a concept itself
    ("the successful mastery of developmental tasks"): then the name keeps it and the cue is the
    rest ("of")."""
    from .phrases import word_classes

    text = article.text
    matches = []
    for pattern, rtype, cue, reverse in patterns:
        for m in pattern.finditer(text, sentence.start, sentence.end):
            start, end = m.start(), m.end()
            if "VERB" in word_classes(m.group(0).split()[0]) and re.search(
                    r"(?:\b(?:the|a|an|this|these|that|those|its|their|his|her|our|my|your)|['’]s?)\s+$",
                    text[max(sentence.start, start - 12):start], re.IGNORECASE):
                continue  # after a determiner, a verb's form is a noun: "this model", "the means"
            named = next((x for x in mentions
                          if x.start < start < x.end < end and fold(text[start:x.end]) in names), None)
            if named is not None:
                start = named.end + len(text[named.end:end]) - len(text[named.end:end].lstrip())
            head = text[start:end].split(maxsplit=1)[0]
            inside = next((x for x in mentions if x.start == start and end < x.end and fold(head) in names
                           and fold(text[end:x.end]) in names and len(cue.split()) > 1), None)
            if inside is not None:
                start += len(head)  # "projection of internal anxiety": projection, of, internal anxiety
            # A cue inside a concept's name, or running into one, is part of the name ("positive
            # feedback loop"); a name inside a cue was a verb misread as a noun ("caregivers
            # function as"), and one that ends inside it was the cue's own noun ("an important
            # part of"), so the cue wins.
            if any(x is not inside and (x.start <= start and end <= x.end and (x.start, x.end) != (start, end)
                                        or start < x.start < end < x.end) for x in mentions):
                continue
            backwards = reverse or (not cue.endswith(" by") and _passive(text, start, end, m.group(0)))
            matches.append(_Cue(rtype.id, cue, start, end, backwards, examples=backwards and rtype.skos == "broader",
                                joined=named is not None or inside is not None))
    kept = [c for c in matches
            if not any(o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start)
                       for o in matches)]
    spans: dict[tuple[int, int], int] = defaultdict(int)
    for c in kept:
        spans[(c.start, c.end)] += 1
    unique = {(c.type, c.start, c.end): replace(c, shared=spans[(c.start, c.end)]) for c in kept}
    return sorted(unique.values(), key=lambda c: (c.start, c.type))


def _passive(text: str, start: int, end: int, cue: str) -> bool:
    """A past participle used in the passive ("is crucially engendered by"): read backwards."""
    first = cue.split()[0].lower()
    if not first.endswith(("ed", "en", "built", "made")):
        return False
    before = re.search(_BE + r"\s+(?:\w+ly\s+)?$", text[max(0, start - 40):start], re.IGNORECASE)
    after = re.match(r"\s+(?:\w+ly\s+)?by\b", text[end:end + 30], re.IGNORECASE)
    return bool(after or before and not re.match(r"\s+(?:to|with|into)\b", text[end:end + 10]))


class _References:
    """Mentions that refer to a concept without naming it, resolved sentence by sentence:

    - "this model", "these defenses": the nearest concept named before (in this sentence or the
      three before it, in the same section) whose name ends in the same noun, or the name the
      text gives it right after ("this process, often referred to as re-parenting");
    - "it", "they" as a subject: the subject of an earlier clause of the sentence, or of the
      sentence before, when singular or plural agree; "this" as a subject: what the sentence
      before ended on;
    - "a secure individual", "anxious children": a person described by a concept's adjective is
      read as that concept (security, anxiety), which is what statements about them are about.
    """

    def __init__(self, article: Article, concepts: list[Concept], names: dict[str, str]):
        from .phrases import nominalizations

        self.article, self.names = article, names
        self.heads: dict[str, set[str]] = defaultdict(set)  # last word of a longer name -> concepts
        for concept in concepts:
            for name in concept.names:
                words = fold(name).split()
                if len(words) > 1:
                    self.heads[words[-1]].add(concept.id)
        self.nominal = nominalizations
        self.history: list[tuple[int, list[_Mention]]] = []  # (section, mentions) of recent sentences
        self.subject: tuple[int, _Mention] | None = None  # (section, mention) of the last sentence

    def resolve(self, sentence: Sentence, tokens: list[Token], parse: _Parse) -> list[_Mention]:
        from .phrases import PERSON_NOUNS

        text, mentions = self.article.text, list(parse.mentions)
        for k, token in enumerate(tokens):
            low = token.lower
            if low in ("this", "these") and k + 1 < len(tokens) and tokens[k + 1].tag in ("ADJ", "NOUN"):
                found = self._demonstrative(tokens, k, mentions)
            elif low in ("it", "they") and token.tag == "PRON":
                found = self._pronoun(tokens, k, parse)
            elif low == "this" and k + 1 < len(tokens) and tokens[k + 1].tag in ("VERB", "AUX"):
                found = self._this(token)
            elif token.tag == "ADJ" and k + 1 < len(tokens) and tokens[k + 1].lower in PERSON_NOUNS:
                concept = next((self.names[n] for n in self.nominal(low) if n in self.names), None)
                found = _Mention(concept, token.start, tokens[k + 1].end, (), text[token.start:tokens[k + 1].end]) \
                    if concept else None
            else:
                continue
            if found is None:
                continue
            covering = [m for m in mentions if m.start < found.end and found.start < m.end]
            if low in ("this", "these") and any(len(fold(text[m.start:m.end]).split()) > 1 and not m.refers
                                                for m in covering):
                continue  # "this relational security" names its concept
            if covering and low not in ("this", "these", "it", "they"):
                # "a secure individual" named as a candidate of its own: read as security first
                mentions = [replace(m, concept=found.concept, refers=found.refers,
                                    inner=tuple(c for c in dict.fromkeys((m.concept, *m.inner)) if c != found.concept))
                            if m in covering and (m.start, m.end) == (found.start, found.end) else m for m in mentions]
                continue
            mentions = [m for m in mentions if m not in covering]
            mentions.append(found)
        return sorted(mentions, key=lambda m: m.start)

    def remember(self, sentence: Sentence, parse: _Parse) -> None:
        self.history = [*self.history[-2:], (sentence.section, list(parse.mentions))]
        subject = parse.first_subject(parse.body, parse.sentence.end)
        self.subject = (sentence.section, parse.mentions[subject]) if subject is not None else None

    def _demonstrative(self, tokens: list[Token], k: int, mentions: list[_Mention]) -> _Mention | None:
        text = self.article.text
        j, last = k + 1, None
        while j < len(tokens) and (tokens[j].tag in ("ADJ", "NOUN")
                                   or tokens[j].text == "," and j + 1 < len(tokens) and tokens[j + 1].tag == "ADJ"):
            if tokens[j].tag == "NOUN":
                last = j
            j += 1
        if last is None:
            return None
        start, end = tokens[k].start, tokens[last].end
        words = text[start:end]
        head = fold(tokens[last].text)
        section = _sentence_of(self.article, start).section
        earlier = [m for s, ms in self.history if s == section for m in ms]
        earlier += [m for m in mentions if m.end <= start]
        for m in reversed(earlier):
            if m.concept in self.heads.get(head, ()) or m.concept == self.names.get(head):
                return _Mention(m.concept, start, end, (), words)
        named = re.match(r"\s*,\s*(?:(?:often|also|sometimes|commonly|usually)\s+)*"
                         r"(?:referred to as|known as|called|termed)\s+[‘'\"“]?", text[end:end + 80])
        if named:
            at = end + named.end()
            target = next((m for m in mentions if m.start == at), None)
            if target is not None:
                return _Mention(target.concept, start, end, (), words)
        return None

    def _this(self, token: Token) -> _Mention | None:
        """"This involves ...": what the sentence before ended on ("to cultivate internal stability")."""
        section = _sentence_of(self.article, token.start).section
        if not self.history or self.history[-1][0] != section or not self.history[-1][1]:
            return None
        last = self.history[-1][1][-1]
        return _Mention(last.concept, token.start, token.end, last.inner, token.text)

    def _pronoun(self, tokens: list[Token], k: int, parse: _Parse) -> _Mention | None:
        token = tokens[k]
        after = tokens[k + 1] if k + 1 < len(tokens) else None
        before = tokens[k - 1] if k else None
        if after is None or after.tag not in ("VERB", "AUX", "ADV", "PART") or (
                before is not None and before.tag in ("PREP", "VERB")):
            return None  # an object ("to manage it prevents")
        plural = token.lower == "they"
        options = []
        for at, _ in sorted({*parse.boundaries, (parse.sentence.start, "main")}, reverse=True):
            if at < token.start:
                i = parse.first_subject(at, token.start)
                if i is not None:
                    options.append(parse.mentions[i])
        section = _sentence_of(self.article, token.start).section
        if self.subject is not None and self.subject[0] == section:
            options.append(self.subject[1])
        from .phrases import PERSON_NOUNS

        for m in options:
            last = self.article.text[m.start:m.end].split()[-1].lower()
            if not plural and last in PERSON_NOUNS:
                continue  # "it" is no person
            word = re.sub(r"[^a-z0-9]", "", re.sub(r"[’']s?$", "", last).split("-")[-1])
            if (singular(word) != word) == plural:
                return _Mention(m.concept, token.start, token.end, m.inner, token.text)
        return None


_OF_LINK = re.compile(r"\s+(?:of|for|in|from|about|against)\s+(?:(?:the|a|an|this|these|that|those|their|its|his|her"
                      r"|our|one[’']s)\s+)?(?:[\w-]+,?\s+){0,2}?", re.IGNORECASE)
_OF_OPENING = re.compile(r"\s+(?:of|for|in|from|about|against)\s+(?:(?:the|a|an|this|these|that|those|their|its|his"
                         r"|her|our|one[’']s)\s+)?", re.IGNORECASE)
_POSSESSIVE_LINK = re.compile(r"[’']s?\s+(?:own\s+)?(?:[\w-]+,?\s+){0,2}?", re.IGNORECASE)
_RELATIVE = re.compile(r",\s*(?:(?:all|each|both|most|many|some|none|one)\s+of\s+)?"
                       r"(?:which|who|whom|whose|where|wherein)\b", re.IGNORECASE)
_SUBORDINATE = re.compile(r"(?:,\s*|\s)(?:because|while|whereas|although|though|when|whenever|if|unless|since|until)\b"
                          r"|,\s*as(?=\s+(?:the|a|an|they|it|he|she|we|this|these|one)\b)", re.IGNORECASE)
_PARTICIPLE_GAP = re.compile(r"\s*[,—–]\s*(?:(?:\w+ly|thereby|thus|so|further|often|all|while|also|and|even)\s+)*",
                             re.IGNORECASE)
_COORDINATED_GAP = re.compile(r"\s*,\s*(?:(?:and|or|but)\s+)?(?:(?:\w+ly|also|then|often|even)\s+)*"
                              r"|\s+(?:and|or|but)\s+(?:(?:\w+ly|also|then|often|even)\s+)*", re.IGNORECASE)


class _Parse:
    """One sentence as the relation reading sees it: its mentions and cues, which words are verbs,
    where its clauses start, and which mention is a clause's subject.

    A few rules of English word order instead of a parser (none that runs offline from a wheel
    without a model download): an introductory phrase ends at the first comma; a clause starts
    after a semicolon, at ", which", or at a subordinating word; a relative clause between commas
    closes when a verb follows the second comma; a clause's subject is its first mention when no
    verb precedes it.
    """

    def __init__(self, text: str, sentence: Sentence, tokens: list[Token], mentions: list[_Mention],
                 cues: list[_Cue], frames: set[str]):
        self.text, self.sentence, self.mentions, self.cues, self.frames = text, sentence, mentions, cues, frames
        self.tokens = tokens
        inside = [(m.start, m.end) for m in mentions]
        self.verbs = sorted([(t.start, t.end) for t in tokens if t.tag in ("VERB", "AUX")
                             and not any(a <= t.start and t.end <= b for a, b in inside)]
                            + [(c.start, c.end) for c in cues])
        self.nouns = [(t.start, t.end) for t in tokens if t.tag == "NOUN"
                      and not any(a <= t.start and t.end <= b for a, b in inside)]
        self.body = self._body(tokens)
        self.boundaries, self.closed = self._clauses(tokens)

    def _body(self, tokens: list[Token]) -> int:
        """Where the main clause starts: after an introductory phrase ("Externally, ", "When
        caregivers function as a secure base, ")."""
        words = [t for t in tokens if t.is_word]
        if words and (words[0].tag in ("PREP", "CONJ", "ADV", "PART") or words[0].lower.endswith("ly")):
            for t in tokens[1:48]:
                if t.text == ",":
                    return t.end
        return self.sentence.start

    def _clauses(self, tokens: list[Token]):
        s, text = self.sentence, self.text
        boundaries = [(self.body, "main")] + [(s.start + m.end(), "main") for m in re.finditer(";", s.text)]
        closed = []
        for m in _RELATIVE.finditer(s.text):
            at = s.start + m.start()
            # "which" and "who" are the relative clause's subject; after "where" or "whose" it has
            # its own ("where the mastery of tasks contributes").
            own = re.search(r"(?:where|wherein|whose|whom)$", m.group(0), re.IGNORECASE)
            boundaries.append((s.start + m.end(), "subordinate") if own else (at, "relative"))
            if own:
                continue
            # ", which integrates these competencies, represents": the verb after the second comma
            # resumes the clause the relative one interrupted.
            comma = text.find(",", s.start + m.end(), s.end)
            if comma != -1:
                after = [t for t in tokens if t.start > comma and t.tag not in ("ADV", "PART")][:1]
                if after and after[0].tag in ("VERB", "AUX"):
                    closed.append((at, comma + 1))
        boundaries += [(s.start + m.end(), "subordinate") for m in _SUBORDINATE.finditer(s.text)]
        return sorted(boundaries), closed

    def clause_at(self, pos: int) -> tuple[int, str]:
        """The start and kind of the clause holding ``pos``."""
        open_ = [(at, kind) for at, kind in self.boundaries if at <= pos
                 and not any(a <= at < b <= pos for a, b in self.closed)]
        return max(open_, default=(self.sentence.start, "main"))

    def verb_between(self, a: int, b: int) -> bool:
        return any(a <= v0 and v1 <= b for v0, v1 in self.verbs)

    def is_object(self, i: int) -> bool:
        """A mention that a verb of its clause precedes: an object, not a subject."""
        start, _ = self.clause_at(self.mentions[i].start)
        return self.verb_between(start, self.mentions[i].start)

    def subject_at(self, pos: int) -> int | None:
        """The subject of the clause holding ``pos``: its first mention before any verb, or, in a
        relative clause, the mention it is about ("security, which frees up")."""
        start, kind = self.clause_at(pos)
        if kind == "relative":
            before = [i for i, m in enumerate(self.mentions) if m.end <= start]
            return self.chain_head(before[-1], -1) if before else None
        return self.first_subject(start, pos)

    def first_subject(self, start: int, limit: int) -> int | None:
        """The first mention from ``start`` on (before ``limit``) when no verb precedes it."""
        first = next((i for i, m in enumerate(self.mentions) if start <= m.start < limit), None)
        if first is None or self.verb_between(start, self.mentions[first].start):
            return None
        return self.chain_head(first, +1)

    def modified_complement(self, start: int, end: int) -> bool:
        """Whether [start, end) is "of" (or another attaching preposition) and the modifiers of
        the name after it, however many: "the presence of a comforting and consistently
        approving| support system"."""
        opening = _OF_OPENING.match(self.text, start, end)
        if not opening:
            return False
        inside = [t for t in self.tokens if opening.end() <= t.start and t.end <= end]
        return all(t.tag in ("ADJ", "ADV", "PART") or t.lower in ("and", "or", ",")
                   or t.tag == "VERB" and t.lower.endswith(("ing", "ed")) for t in inside)

    def raised(self, i: int) -> int:
        """Where the verb ends when the mention i is followed by "to" and a verb, as the object of
        "allows", "helps", "teaches" is ("allows the client to bring"): it is that verb's subject;
        else 0."""
        mention = self.mentions[i]
        after = [t for t in self.tokens if t.start >= mention.end][:3]
        if len(after) >= 2 and after[0].lower == "to" and after[1].tag == "ADV":
            after = after[:1] + after[2:]
        if len(after) >= 2 and after[0].lower == "to" and after[1].tag == "VERB":
            return after[1].end
        return 0

    def after_relative(self, i: int, at: int) -> int | None:
        """The noun a relative clause is about, when the mention i ends that clause and the
        predicate at ``at`` is a participle after its closing comma: the participle goes on from
        the noun, not from the clause ("invalidation, where the support system is unreliable,
        eroding ego sturdiness")."""
        words = self.text[at:at + 40].split()
        between = self.text[self.mentions[i].end:at]
        if not words or not words[0].lower().endswith("ing") or not re.fullmatch(r"[^,;]*,\s*", between):
            return None
        start, kind = self.clause_at(self.mentions[i].start)
        opening = re.search(r",\s*(?:where|wherein|whose|which|who|whom)\s*$", self.text[self.sentence.start:start])
        if kind not in ("relative", "subordinate") or start <= self.body or not opening:
            return None
        cut = self.sentence.start + opening.start()
        before = [j for j, m in enumerate(self.mentions) if m.end <= cut]
        return self.chain_head(before[-1], -1) if before else None

    def chain_head(self, i: int, step: int) -> int:
        """Of mentions chained by "of" or a possessive, the one that names what is meant: "the
        internalization of the caregiver's comforting presence" is about internalization, "a
        robust sense of self-trust" about self-trust, "the child's own capacity for self-soothing"
        about self-soothing (a possessor, and a name that frames another, hand on)."""
        text, mentions = self.text, self.mentions
        items, links = [i], []
        j = i + step
        while 0 <= j < len(mentions):
            a, b = (mentions[j], mentions[items[-1]]) if step < 0 else (mentions[items[-1]], mentions[j])
            gap = text[a.end:b.start]
            if _OF_LINK.fullmatch(gap) or self.modified_complement(a.end, b.start):
                links.append("of")
            elif _POSSESSIVE_LINK.fullmatch(gap):
                links.append("possessive")
            else:
                break
            items.append(j)
            j += step
        if step < 0:
            items.reverse()
            links.reverse()
        for k, index in enumerate(items[:-1]):
            name = text[mentions[index].start:mentions[index].end]
            if links[k] == "possessive" and re.search(r"\s(?:of|for|in)\s", name):
                return index  # "the internalization of the caregiver|'s presence": the name's own head
            if links[k] == "possessive" or (links[k] == "of" and mentions[index].concept in self.frames):
                continue
            return index
        return items[-1]

    def reliability(self, cue: _Cue) -> float:
        """A cue of one word states a relation when it is used as a verb ("fosters", "erodes")
        or a preposition that links ("despite"); the same word as an adverb or a noun
        ("eventually", "however", "cycle") more often does not."""
        if len(cue.text.split()) > 1 or cue.examples:
            return 1.0
        tag = next((t.tag for t in self.tokens if t.start == cue.start), None)
        return 1.0 if tag in ("VERB", "AUX", "PREP") else 0.5

    def clause_end(self, pos: int) -> int:
        """Where the clause holding ``pos`` ends: at the next clause's start, or where a relative
        clause between commas closes."""
        ends = [at for at, _ in self.boundaries if at > pos] + [b for a, b in self.closed if a <= pos < b]
        return min(ends, default=self.sentence.end)

    def link(self, i: int, at: int) -> str:
        """How the mention i relates to the predicate (a cue or a verb) that starts at ``at``:

        - "direct": it is the predicate's subject ("security fosters", "security, which frees up");
        - "participle": a participle of the clause ("..., thereby forging") has the clause's subject;
        - "modifier": a participle after a comma may modify the mention or the clause ("a support
          system, typically beginning with");
        - "coordinated": after the mention, its verb's object, a verb coordinated with that verb
          ("endure stress, negotiate internal conflict, and bounce back from") shares its subject;
        - "framed": "the capacity to endure" is its owner's;
        - "prepositional": "coherence despite internal conflicts" qualifies the clause;
        - "copular": of "security refers to a state characterized by", the subject is security;
        - "adjunct": a mention after a preposition is no subject ("security, which in turn frees").
        """
        mention = self.mentions[i]
        gap = self.text[mention.end:at]
        word = self.text[at:at + 40].split()[0].lower() if self.text[at:at + 40].split() else ""
        participle = word.endswith(("ing", "ed", "en")) and word not in ("even", "then", "when")
        if any(a >= mention.end and b <= at for a, b in self.nouns):
            return "unnamed"  # "individuals whose insecurity stems from": the subject has no candidate
        if word.endswith("ing") and _PARTICIPLE_GAP.fullmatch(gap):
            return "participle" if re.search(r"\b(?:thereby|thus|so)\b", gap, re.IGNORECASE) else "modifier"
        coordinated = _COORDINATED_GAP.fullmatch(gap) and (re.search(r"\b(?:and|or|but)\b", gap) or not participle)
        if coordinated and self.is_object(i):
            return "coordinated"
        if mention.concept in self.frames and re.fullmatch(r"\s+to\s+(?:\w+ly\s+)?", gap):
            return "framed"
        if word in _ADVERBIAL_PREPOSITIONS and not gap.strip(" ,"):
            return "prepositional"
        before = re.findall(r"[\w’'-]+", self.text[max(self.sentence.start, mention.start - 60):mention.start])
        while before and before[-1].lower() in DETERMINERS:
            before.pop()
        if (before and before[-1].lower() in PREPOSITIONS and before[-1].lower() != "of"
                and not self.verb_between(mention.end, at) and self.subject_at(mention.start) not in (None, i)):
            return "adjunct"  # "security, which in turn frees up": no subject follows a preposition
        start, _ = self.clause_at(mention.start)
        verbs = [self.text[a:b].lower() for a, b in self.verbs if start <= a and b <= mention.start]
        if verbs and all(v in _COPULAS for v in verbs) and not gap.strip(" ,"):
            return "copular"
        return "direct"

    def agent(self, at: int, depth: int = 0) -> int | None:
        """The subject of the predicate that starts at ``at``, read through the links above."""
        left = [i for i, m in enumerate(self.mentions) if m.end <= at and ";" not in self.text[m.end:at]]
        if not left:
            return None
        i = left[-1]
        link = self.link(i, at)
        if link == "unnamed":
            return None
        if link in ("direct", "modifier") or depth > 3:
            return self.chain_head(i, -1)
        if link == "coordinated":
            start, _ = self.clause_at(self.mentions[i].start)
            verbs = [a for a, b in self.verbs if start <= a and b <= self.mentions[i].start]
            if verbs:
                return self.agent(verbs[-1], depth + 1)
        return self.subject_at(self.mentions[i].start)


_ADVERBIAL_PREPOSITIONS = frozenset("despite without through like unlike via after before during throughout "
                                    "beyond against toward towards".split())
_COPULAS = frozenset("is are was were be been remains remain represents represent refers refer to means mean "
                     "constitutes constitute becomes become".split())


_LIST_GAP = re.compile(r"^(?:\s*(?:,|;)?\s*(?:and|or|as well as|and even)?\s*(?:[\w-]+\s+){0,2}?)$", re.IGNORECASE)
_REDUCED_RELATIVE = re.compile(r"\s+\w+(?:ed|en)\s+by\s+(?:(?:the|a|an|their|its|one[’']s)\s+)?", re.IGNORECASE)
_COMPLEMENT_GAP = re.compile(r"\s+(?:onto|into|in|on|of|for|to|from|with|about|toward|towards|through)\s+"
                             r"(?:(?:the|a|an|their|its|his|her|one[’']s)\s+)?", re.IGNORECASE)
_GERUND_GAP = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?\w+ing(?:\s+(?:in|on|with|to|for))?\s+", re.IGNORECASE)
_NOT_IN_LISTS = re.compile(r"\b(?:which|who|whom|whose|where|that|when|while|because|as|if|than)\b", re.IGNORECASE)


def _list_from(parse: _Parse, i: int, step: int, limit: int) -> list[_Mention]:
    """The mention at i and those listed with it ("X, Y, and Z"), walking left or right."""
    text, mentions = parse.text, parse.mentions
    items = [mentions[i]]
    last = mentions[i]  # the mention the walk stands on: an item or a complement of one
    j = i + step
    while 0 <= j < len(mentions):
        a, b = (mentions[j], last) if step < 0 else (last, mentions[j])
        between = text[a.end:b.start]
        if (step > 0 and mentions[j].start > limit) or (step < 0 and mentions[j].end < limit):
            break
        if any(a.end <= at <= b.start for at, _ in parse.boundaries):
            break
        if step > 0 and _COMPLEMENT_GAP.fullmatch(between) and not parse.verb_between(a.end, b.start):
            last = mentions[j]  # "projection of internal anxiety onto external situations, or ..."
            j += step
            continue
        gerund = _GERUND_GAP.fullmatch(between)  # "practicing X, challenging Y, and engaging in Z"
        if not gerund and (not (re.search(r",|\band\b|\bor\b", between) and _LIST_GAP.match(between))
                           or _NOT_IN_LISTS.search(between) or parse.verb_between(a.end, b.start)):
            break
        items.append(mentions[j])
        last = mentions[j]
        j += step
    return items


def _pairs(parse: _Parse, cue: _Cue):
    """Subject and object mentions a cue links, with how far they are from it (in words).

    The nearest mention on each side, with the items listed with it, links best, unless the cue
    starts a clause of its own (:meth:`_Parse.link`): then the subject of the clause before it
    does. The other mentions of the sentence before the cue and of the cue's clause after it link
    too, the further the weaker.
    """
    text, mentions, sentence = parse.text, parse.mentions, parse.sentence
    previous = max((c.end for c in parse.cues if c.end <= cue.start), default=sentence.start)
    following = min((c.start for c in parse.cues if c.start >= cue.end), default=sentence.end)
    end = parse.clause_end(cue.end)
    left = [i for i, m in enumerate(mentions) if m.end <= cue.start and ";" not in text[m.end:cue.start]]
    right = [i for i, m in enumerate(mentions) if m.start >= cue.end and m.start < end]
    if not left or not right:
        return
    link = "direct" if cue.examples or cue.joined else parse.link(left[-1], cue.start)
    if not cue.joined and not cue.examples and parse.raised(right[0]):
        # "Security allows the client to bring ...": the client is the subject of what is allowed,
        # not what is allowed; that is what follows the infinitive.
        right = [i for i in right[1:] if mentions[i].start > parse.raised(right[0])]
        if not right:
            return
    li, ri = (left[-1], right[0]) if cue.joined else (parse.chain_head(left[-1], -1), parse.chain_head(right[0], +1))
    if mentions[li].concept == mentions[ri].concept:
        return  # "this process, often referred to as re-parenting": a name, no relation
    before = _list_from(parse, li, -1, sentence.start)
    after = _list_from(parse, ri, +1, end)
    # A chain of names ("the internalization of the caregiver's presence") is one noun phrase:
    # its distance to the cue is its nearest end's.
    gap_left = _words(text[max(before[0].end, mentions[left[-1]].end):cue.start])
    gap_right = _words(text[cue.end:min(after[0].start, mentions[right[0]].start)])
    near_left: list[tuple[_Mention, float]] = [(m, gap_left + 0.5 * k) for k, m in enumerate(before)]
    how_left = "near"
    first = mentions.index(before[-1])
    if link == "direct" and first and _REDUCED_RELATIVE.fullmatch(text[mentions[first - 1].end:before[-1].start]):
        # "the approval offered by friends and family directly boosts": the approval does
        heads = _list_from(parse, parse.chain_head(first - 1, -1), -1, sentence.start)
        near_left = [(m, 1 + 0.5 * k) for k, m in enumerate(heads)] + [(m, d + 3) for m, d in near_left]
        how_left = "reduced"
    antecedent = parse.after_relative(left[-1], cue.start) if link == "direct" and not cue.examples else None
    if link == "unnamed":
        near_left, how_left = [(m, d + 4) for m, d in near_left], link
    elif antecedent is not None and mentions[antecedent] not in before:
        # "interpersonal invalidation, where the support system is unreliable, eroding ego
        # sturdiness": the invalidation erodes it.
        subjects = _list_from(parse, antecedent, -1, sentence.start)
        near_left = [(m, 1 + 0.5 * k) for k, m in enumerate(subjects)] + [(m, d + 3) for m, d in near_left]
        how_left = "participle"
    elif link != "direct":
        s = parse.agent(cue.start) if link != "modifier" else parse.subject_at(mentions[left[-1]].start)
        if s is not None and mentions[s] not in before:
            subjects = _list_from(parse, s, +1, mentions[left[-1]].start)
            if link == "modifier":
                near_left += [(m, gap_left + 4 + 0.5 * k) for k, m in enumerate(subjects)]
            else:
                near_left = [(m, 1 + 0.5 * k) for k, m in enumerate(subjects)] + [(m, d + 3) for m, d in near_left]
            how_left = link
    near_right: list[tuple[_Mention, float]] = [(m, gap_right + 0.5 * k) for k, m in enumerate(after)]
    taken = {id(m) for m, _ in near_left}
    # An introductory phrase ("For individuals whose insecurity stems from trauma, ...") holds
    # no subject of the main clause's verbs.
    far_left: list[tuple[_Mention, float]] = [
        (mentions[i], 2 + _words(text[mentions[i].end:cue.start]) + (0 if mentions[i].start >= previous else 6))
        for i in left if id(mentions[i]) not in taken and (mentions[i].start >= parse.body or cue.start < parse.body)]
    far_right: list[tuple[_Mention, float]] = [
        (mentions[i], 2 + _words(text[cue.end:mentions[i].start]) + (0 if mentions[i].start < following else 6))
        for i in right if mentions[i] not in after]
    sides = [(near_left, near_right, how_left), (near_left, far_right, "far"), (far_left, near_right, "far")]
    if cue.examples:
        # "goals such as exploration, learning": the examples follow, their kind just precedes.
        sides = [(near_left[:1], near_right, how_left)]
    if cue.joined:
        # "the mastery of developmental tasks": the relation is inside the name.
        sides = [(near_left[:1], near_right[:1], "joined")]
    for lefts, rights, how in sides:
        for x, dx in lefts:
            for y, dy in rights:
                subject, obj = (y, x) if cue.reversed else (x, y)
                yield subject, obj, dx + dy, how


def _words(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", text))



# -- writing ------------------------------------------------------------------------------------------

def _scalar(value) -> str:
    """One YAML scalar or flow list, quoted only as YAML needs."""
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**9).strip()
    return dumped[1:-1]


def draft_yaml(result: Draft) -> str:
    """The text of spec/draft.yaml: every candidate with its score, quote and status."""
    lines = [
        "# Candidates drafted by `concept-graph draft` from the article; validate and build skip every",
        "# record with `status: candidate`. To keep one, set `status: accepted` (or move it to another",
        "# spec file) after checking its label, category, definition and quote. A relation needs both",
        "# of its concepts. Running the draft again rewrites this file.",
        "",
        "concepts:" if result.concepts else "concepts: []",
    ]
    for c in result.concepts:
        where = ", ".join(map(str, c.sections))
        same = f"; same concept as {c.same_as.graph}:{c.same_as.id}" if c.same_as else ""
        mentions = f"{c.mentions} mention{'s' if c.mentions != 1 else ''}"
        sections = f"section{'s' if len(c.sections) != 1 else ''} {where}"
        lines.append(f"  # {mentions}, {sections}{same}")
        lines.append(f"  - id: {c.id}")
        lines.append(f"    label: {_scalar(c.label)}")
        if c.synonyms:
            lines.append(f"    synonyms: {_scalar(list(c.synonyms))}")
        lines.append(f"    category: {c.category}")
        lines.append(f"    definition: {_scalar(c.definition)}")
        lines.append(f"    quote: {_scalar(c.evidence.quote)}")
        if c.exact_match:
            lines.append(f"    exact_match: {_scalar(c.exact_match)}")
        lines.append(f"    status: {CANDIDATE}")
        lines.append(f"    score: {c.score}")
    lines += ["", "relations:" if result.relations else "relations: []"]
    for r in result.relations:
        lines.append(f"  - subject: {r.subject}")
        lines.append(f"    type: {r.type}")
        lines.append(f"    object: {r.object}")
        quotes = [e.quote for e in r.evidence]
        lines.append(f"    quote: {_scalar(quotes[0] if len(quotes) == 1 else quotes)}")
        lines.append(f"    note: {_scalar(r.note)}")
        lines.append(f"    status: {CANDIDATE}")
        lines.append(f"    score: {r.score}")
    return "\n".join(lines) + "\n"
