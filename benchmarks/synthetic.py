"""Synthetic graph folders of any size, shaped like a course's reading list.

``write_graph_folder(path, n)`` writes ``spec/*.yaml`` (one file per thousand concepts, as a
lecturer would split a reading list by article) and ``article.txt``: a section per hundred
concepts, a definition sentence per concept and a sentence per relation, so every quote is
copied verbatim from the article and occurs there once. About five relations per concept, with
every relation-type feature the model has (inverse, symmetric, family, ``skos: broader``); the
kind-of relations point from later to earlier concepts, so they form no cycle. Names are made-up
words, so the mention finder has real work (labels, synonyms and plurals in running text).

Deterministic: the same ``n`` and ``seed`` give the same bytes.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

CONSONANTS = "bdfgklmnprtvz"
VOWELS = "aeiou"
CATEGORIES = ("construct", "state", "process", "practice", "threat")
# id, label, inverse, extra fields: the features the model materialises in RDF.
RELATION_TYPES = (
    ("fosters", "fosters", "is fostered by", "family: promotes"),
    ("enables", "enables", "is enabled by", "family: promotes"),
    ("threatens", "threatens", "is threatened by", "family: counters"),
    ("part-of", "is part of", "has part", None),
    ("kind-of", "is a kind of", "has kind", "skos: broader"),
    ("contrasts-with", "contrasts with", None, "symmetric: true"),
)
RELATIONS_PER_CONCEPT = 5
CONCEPTS_PER_SECTION = 100
CONCEPTS_PER_FILE = 1000


def word(i: int, syllables: int = 3) -> str:
    """The i-th made-up word: consonant-vowel syllables, so no word ends in 's' (plurals stay plurals)."""
    out = []
    for _ in range(syllables):
        i, r = divmod(i, len(CONSONANTS) * len(VOWELS))
        out.append(CONSONANTS[r // len(VOWELS)] + VOWELS[r % len(VOWELS)])
    return "".join(out)


def label(i: int) -> str:
    return f"{word(i)} {word(i + 7919)}"


def synonym(i: int) -> str:
    return f"{word(i + 15887, 4)}"


def _relations(n: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """(subject, type index, object) triples, about five per concept, no duplicates, no kind-of cycles."""
    out, seen = [], set()
    weights = [1.0 / (rank + 1) ** 0.5 for rank in range(n)]  # a few hubs, as in a real graph
    for s in range(n):
        made = 0
        while made < RELATIONS_PER_CONCEPT:
            o = rng.choices(range(n), weights)[0] if rng.random() < 0.5 else rng.randrange(n)
            t = rng.randrange(len(RELATION_TYPES))
            if o == s:
                continue
            if RELATION_TYPES[t][0] == "kind-of" and o > s:
                o, s_ = s, o
                key = (s_, t, o)
            else:
                key = (s, t, o)
            symmetric = RELATION_TYPES[t][2] is None
            if key in seen or (symmetric and (key[2], t, key[0]) in seen):
                made += 1  # a collision still counts, so the total stays near five per concept
                continue
            seen.add(key)
            out.append(key)
            made += 1
    return out


def write_graph_folder(folder: Path | str, n: int, seed: int = 1) -> tuple[int, int]:
    """Write a graph folder of ``n`` concepts; returns (concepts, relations)."""
    folder = Path(folder)
    (folder / "spec").mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    labels = [label(i) for i in range(n)]
    ids = [name.replace(" ", "-") for name in labels]
    relations = _relations(n, rng)
    by_subject: dict[int, list[int]] = {}
    for k, (s, _t, _o) in enumerate(relations):
        by_subject.setdefault(s, []).append(k)

    sentences: dict[int, list[str]] = {}  # relation index -> its sentences (quotes, without the full stop)
    lines = [f"A reading list of {n} concepts"]
    for start in range(0, n, CONCEPTS_PER_SECTION):
        lines.append(f"Part {start // CONCEPTS_PER_SECTION + 1} {labels[start]}")
        for i in range(start, min(n, start + CONCEPTS_PER_SECTION)):
            said = [f"{labels[i].capitalize()} is defined here as the idea numbered {i}"]
            if i % 3 == 0:
                said.append(f"Some readers call it {synonym(i)}, and several {labels[i]}s appear in the readings")
            for k in by_subject.get(i, ()):
                s, t, o = relations[k]
                verb = RELATION_TYPES[t][1]
                quotes = [f"{labels[s].capitalize()} {verb} {labels[o]} (case {k})"]
                if k % 10 == 0:
                    quotes.append(f"Case {k} is stated a second time by another reading")
                sentences[k] = quotes
                said.extend(quotes)
            lines.append(". ".join(said) + ".")
    (folder / "article.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    head = ["graph:", "  id: reading-list", "  title: A reading list",
            "  base: https://example.org/graphs/reading-list/", "  article: article.txt", "  language: en",
            "categories:"]
    head += [f"  - {{id: {c}, label: {c.capitalize()}}}" for c in CATEGORIES]
    head += ["families:",
             "  - {id: promotes, label: promotes, definition: Every positive influence.}",
             "  - {id: counters, label: counters, definition: Every negative influence.}",
             "relation_types:"]
    for tid, tlabel, inverse, extra in RELATION_TYPES:
        head.append(f"  - id: {tid}")
        head.append(f"    label: {tlabel}")
        head.append(f"    definition: The subject {tlabel} the object.")
        if inverse:
            head.append(f"    inverse: {inverse}")
        if extra:
            head.append(f"    {extra}")
    (folder / "spec" / "graph.yaml").write_text("\n".join(head) + "\n", encoding="utf-8")

    for start in range(0, n, CONCEPTS_PER_FILE):
        out = ["concepts:"]
        chunk = range(start, min(n, start + CONCEPTS_PER_FILE))
        for i in chunk:
            out += [f"  - id: {ids[i]}", f"    label: {labels[i]}"]
            if i % 3 == 0:
                out.append(f"    synonyms: [{synonym(i)}]")
            quote = labels[i].capitalize() + " is defined here as the idea numbered " + str(i) + "."
            out += [f"    category: {CATEGORIES[i % len(CATEGORIES)]}",
                    f"    definition: A made-up idea, number {i} of the reading list.",
                    f"    quote: {json.dumps(quote)}"]
        out.append("relations:")
        for i in chunk:
            for k in by_subject.get(i, ()):
                s, t, o = relations[k]
                out += [f"  - subject: {ids[s]}", f"    type: {RELATION_TYPES[t][0]}", f"    object: {ids[o]}"]
                quotes = sentences[k]
                if len(quotes) == 1:
                    out.append(f"    quote: {json.dumps(quotes[0])}")
                else:
                    out.append("    quote:")
                    out += [f"      - {json.dumps(q)}" for q in quotes]
        (folder / "spec" / f"part-{start // CONCEPTS_PER_FILE:03d}.yaml").write_text("\n".join(out) + "\n",
                                                                                      encoding="utf-8")
    return n, len(relations)
