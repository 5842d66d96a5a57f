"""Targets: what a graph must reach to build, so a spec cut in half cannot build quietly.

A spec file truncated at a line boundary is still valid YAML: half the relations vanish, dozens of
concepts become isolated, and without targets the build says nothing. ``graph: targets:`` in
``graph.yaml`` names the minimum share of grounded sentences, the most isolated concepts and the
most lint findings allowed; ``build`` and ``validate`` refuse (exit 1, outputs untouched) when one
is missed, and the message names it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConceptGraphError, Problem
from .model import ConceptGraph


class TargetsMissed(ConceptGraphError):
    """The spec is valid but the graph misses a target it set itself: exit code 1, not 2."""

    exit_code = 1


@dataclass(frozen=True)
class Report:
    """What was measured against the targets, whether or not any are set."""

    coverage: float
    isolated: tuple[str, ...]
    findings: tuple[Problem, ...]
    missed: tuple[Problem, ...]


def measure(graph: ConceptGraph) -> Report:
    """Coverage, isolated concepts and lint findings, and the targets they miss."""
    from .coverage import coverage
    from .lint import lint

    share = coverage(graph)[-1].share
    linked = {r.subject for r in graph.relations} | {r.object for r in graph.relations}
    isolated = tuple(c.id for c in graph.concepts if c.id not in linked)
    findings = tuple(lint(graph))
    t = graph.meta.targets
    spec_file, line = graph.meta.source or (None, None)
    missed = []
    if t.min_coverage is not None and share < t.min_coverage:
        missed.append(Problem("target-missed", spec_file, line,
                              f"target min_coverage missed: {share:.1%} of the article's sentences are grounded, "
                              f"the target is {t.min_coverage:.1%}",
                              "run 'concept-graph coverage' for the sentences that ground nothing"))
    if t.max_isolated is not None and len(isolated) > t.max_isolated:
        shown = ", ".join(isolated[:8]) + (", ..." if len(isolated) > 8 else "")
        missed.append(Problem("target-missed", spec_file, line,
                              f"target max_isolated missed: {len(isolated)} concepts have no relation "
                              f"({shown}), the target is at most {t.max_isolated}",
                              "a relation or a spec file may be missing"))
    if t.max_lint_findings is not None and len(findings) > t.max_lint_findings:
        missed.append(Problem("target-missed", spec_file, line,
                              f"target max_lint_findings missed: lint finds {len(findings)}, "
                              f"the target is at most {t.max_lint_findings}",
                              "run 'concept-graph lint' for the findings"))
    return Report(share, isolated, findings, tuple(missed))


def check(graph: ConceptGraph) -> Report:
    """The report, or :class:`TargetsMissed` naming every target the graph misses."""
    report = measure(graph)
    if report.missed:
        raise TargetsMissed(list(report.missed))
    return report
