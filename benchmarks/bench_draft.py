"""How much of a hand-made graph does `concept-graph draft` recover from the article alone?

Copies graph/security to a temporary folder, deletes its spec/, drafts it, and compares the
candidates with the curated spec read at run time from graph/security/spec:

- concepts: share of curated concepts whose label or a synonym equals a candidate's label or
  synonym, after folding case, hyphens, leading articles and plurals;
- relations as linked pairs: share of curated relations whose two concepts the draft links by
  any candidate relation, in either direction and of any type;
- top 100: share of the 100 best-scored relation candidates whose two concepts the curated graph
  relates (and, stricter, by the same type in the same direction).

Then the same relation figures for a draft of the Security folder with its curated concepts kept
and its relations removed: what the relation drafting does when the concepts are right.

Last, the same draft of tests/fixtures/attachment-at-work, an article the drafting was not
developed on (no curated spec to compare with): how many candidates, the best of them with their
quotes, so that a reader sees what the draft proposes outside the Security article.

Run: python benchmarks/bench_draft.py [GRAPH_DIR]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from concept_graph.draft import draft, write_draft  # noqa: E402
from concept_graph.phrases import fold  # noqa: E402
from concept_graph.validate import load_graph  # noqa: E402


def main(graph_dir: Path) -> None:
    curated = load_graph(graph_dir)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / graph_dir.name
        shutil.copytree(graph_dir, folder, ignore=shutil.ignore_patterns("out"))
        shutil.rmtree(folder / "spec")
        started = time.perf_counter()
        result = draft(folder, match_with=[])
        drafted = time.perf_counter() - started
        write_draft(result)
        total = time.perf_counter() - started
    report(curated, result, graph_dir)
    print(f"time: draft {drafted:.2f} s, with writing {total:.2f} s")
    print()
    print("the relations alone, drafted with the curated concepts kept (a partial spec):")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / graph_dir.name
        shutil.copytree(graph_dir, folder, ignore=shutil.ignore_patterns("out"))
        for path in (folder / "spec").glob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            data.pop("relations", None)
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        partial = draft(folder, match_with=[])
    report(curated, partial, graph_dir, relations_only=True)
    print()
    elsewhere(ROOT / "tests" / "fixtures" / "attachment-at-work")


def elsewhere(folder: Path, shown: int = 8) -> None:
    """The draft of another article, qualitatively: counts and the best candidates."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / folder.name
        shutil.copytree(folder, copy)
        started = time.perf_counter()
        result = draft(copy, match_with=[])
        took = time.perf_counter() - started
    print(f"another article: {folder.relative_to(ROOT)} ({len(result.article.text):,} characters, "
          f"{len(result.article.sentences)} sentences), no curated spec to compare with")
    print(f"draft:   {len(result.concepts)} concept candidates, {len(result.relations)} relation candidates "
          f"in {took:.2f} s")
    print("best concepts:  " + ", ".join(c.label for c in result.concepts[:shown * 2]))
    print("best relations:")
    for r in result.relations[:shown]:
        read = "".join(f"; {words!r} read as {concept}" for words, concept in r.references)
        print(f"  {r.score:.2f} {r.subject} --{r.type}--> {r.object}   \"{r.evidence[0].quote}\"{read}")


def report(curated, result, graph_dir: Path, relations_only: bool = False) -> None:

    by_name = {c.id: c.id for c in curated.concepts} if relations_only else {}
    for concept in curated.concepts:
        for name in concept.names:
            by_name.setdefault(fold(name), concept.id)

    to_curated = {c.id: c.id for c in curated.concepts} if relations_only else {}
    for candidate in result.concepts:
        for name in (candidate.label, *candidate.synonyms):
            if fold(name) in by_name:
                to_curated[candidate.id] = by_name[fold(name)]
                break
    recovered = set(to_curated.values())

    pairs = {frozenset((r.subject, r.object)) for r in curated.relations}
    typed = {(r.subject, r.type, r.object) for r in curated.relations}
    symmetric = {t.id for t in curated.relation_types if t.symmetric}

    def mapped(r):
        s, o = to_curated.get(r.subject), to_curated.get(r.object)
        return (s, o) if s and o and s != o else None

    linked = {frozenset(m) for r in result.relations if (m := mapped(r))}
    relations_linked = sum(1 for r in curated.relations if frozenset((r.subject, r.object)) in linked)
    top = result.relations[:100]
    correct = sum(1 for r in top if (m := mapped(r)) and frozenset(m) in pairs)
    correct_typed = sum(1 for r in top if (m := mapped(r)) and (
        (m[0], r.type, m[1]) in typed or (r.type in symmetric and (m[1], r.type, m[0]) in typed)))

    n_top = max(1, len(top))
    if not relations_only:
        print(f"article: {graph_dir / 'article.txt'} ({len(result.article.text):,} characters, "
              f"{len(result.article.sentences)} sentences)")
        print(f"curated: {len(curated.concepts)} concepts, {len(curated.relations)} relations")
    print(f"draft:   {len(result.concepts)} concept candidates, {len(result.relations)} relation candidates")
    if not relations_only:
        print(f"concepts recovered:            {len(recovered)}/{len(curated.concepts)} = "
              f"{len(recovered) / len(curated.concepts):.1%}   (target 60%)")
    print(f"relations as linked pairs:     {relations_linked}/{len(curated.relations)} = "
          f"{relations_linked / len(curated.relations):.1%}   (target 40%)")
    print(f"top {len(top)} relations correct:      {correct}/{len(top)} = {correct / n_top:.1%}   (target 50%)")
    print(f"  with type and direction:     {correct_typed}/{len(top)} = {correct_typed / n_top:.1%}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "graph" / "security")
