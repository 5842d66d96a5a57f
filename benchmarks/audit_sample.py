"""Draw a random sample of relations for a reader's audit, with the seed printed.

An auditor reads the article first, then judges each sampled relation against its quotes: is the
relation stated by the quote, with the right type and direction? The sample is a Markdown table
with the type's definition beside each relation, so the auditor needs nothing but the article.

    python benchmarks/audit_sample.py graph/security --n 40            # a fresh seed, printed
    python benchmarks/audit_sample.py graph/security --n 40 --seed 7   # the same sample again
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from concept_graph import load_graph  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph_dir", nargs="?", default="graph/security")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
    graph = load_graph(args.graph_dir)
    sample = random.Random(seed).sample(list(graph.relations), min(args.n, len(graph.relations)))
    label = {c.id: c.label for c in graph.concepts}
    types = graph.relation_type_by_id
    print(f"# Audit sample: {len(sample)} of {len(graph.relations)} relations of {args.graph_dir}, seed {seed}\n")
    print("| # | section | subject | relation | object | quote(s) | note |")
    print("|---|---|---|---|---|---|---|")
    for i, r in enumerate(sample, 1):
        quotes = " / ".join(f"\u201c{e.quote}\u201d" for e in r.evidence)
        sections = ", ".join(sorted({str(e.section) for e in r.evidence}))
        print(f"| {i} | {sections} | {label[r.subject]} | {types[r.type].label} | {label[r.object]} | {quotes} | "
              f"{r.note or ''} |")
    print("\n## The relation types used above\n")
    for t in sorted({r.type for r in sample}):
        print(f"- **{types[t].label}**: {types[t].definition}")


if __name__ == "__main__":
    main()
