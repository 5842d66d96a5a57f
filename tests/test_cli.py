"""The command line as a user meets it: help for everything, documented, cheap to start."""

from __future__ import annotations

import subprocess
import sys

import pytest

from concept_graph.cli import make_parser
from conftest import ARTICLE_GRAPH, ROOT, run_cli


def commands() -> list[str]:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_and_appears_in_the_readme(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "usage: concept-graph " + command in result.stdout
    assert len(result.stdout.splitlines()) > 4
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"concept-graph {command}" in readme or f"    {command} " in readme


def test_help_and_validate_do_not_import_pyvis_or_pyshacl():
    code = ("import sys; from concept_graph.cli import main; "
            "main(['validate', 'tests/fixtures/tiny', '--no-shapes']); "
            "print(sorted(m for m in ('pyvis', 'pyshacl', 'networkx', 'pyoxigraph') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_no_command_prints_help_and_exits_2():
    result = run_cli()
    assert result.returncode == 2
    assert "commands:" in result.stdout


@pytest.mark.slow
def test_stats_shows_counts_central_concepts_and_isolated_ones(tiny):
    result = run_cli("stats", str(tiny))
    assert result.returncode == 0
    assert "5 concepts, 4 relations, 4 of 5 relation types used" in result.stdout
    assert "isolated concepts: none" in result.stdout
    central = result.stdout.split("most central concept")[1].splitlines()[2]
    assert central.split()[0] == "exploration"


@pytest.mark.slow
def test_stats_flags_an_isolated_concept(tiny):
    (tiny / "spec" / "zz.yaml").write_text(
        "concepts:\n  - id: avoidance\n    label: avoidance\n    category: process\n"
        "    definition: A defense.\n    quote: Avoidance is a defense.\n")
    result = run_cli("stats", str(tiny))
    assert "isolated concepts (1): avoidance" in result.stdout


@pytest.mark.slow
def test_coverage_lists_ungrounded_sentences_and_can_enforce_a_minimum(tiny):
    result = run_cli("coverage", str(tiny), "--min", "0.9")
    assert result.returncode == 1
    assert "[2] Avoidance is a defense." in result.stdout
    assert "below 90%" in result.stderr
    assert run_cli("coverage", str(tiny), "--min", "0.8").returncode == 0


def test_version_prints_the_package_version():
    from concept_graph import __version__

    result = run_cli("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"concept-graph {__version__}")


@pytest.mark.parametrize("value", ["-2", "0", "ten"])
def test_a_bad_number_is_refused_where_it_is_parsed_with_exit_2(value):
    result = run_cli("stats", str(ARTICLE_GRAPH), "--top", value)
    assert result.returncode == 2
    assert "argument --top" in result.stderr and "Traceback" not in result.stderr


def test_commands_run_from_inside_a_graph_folder_use_it(tiny):
    result = run_cli("validate", "--no-shapes", cwd=tiny)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(".: spec valid: 5 concepts")


def test_outside_any_graph_folder_the_hint_says_how_to_start_one(tmp_path):
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "concept-graph init DIR ARTICLE" in result.stderr
