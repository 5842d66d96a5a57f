"""The README's examples are run, and print what the README shows.

A new user runs the README's commands first; an example that prints a count the code no longer
prints is a broken promise. Every ``console`` code block of README.md is a session: each ``$ ``
line is run in a fresh copy of the project's graph folders and fixtures (so a build there cannot
touch the committed outputs), and what it prints must match the lines shown under it. A line
``...`` stands for any number of lines, ``...`` inside a line for any text; a ``# comment`` after
a command is not run. An HTML comment right before a block sets the scene a reader is told about
in the text (``<!-- readme: copy SRC DST -->``, ``<!-- readme: replace FILE OLD NEW -->``).
Blocks fenced as ``sh`` are instructions, not run (servers, installs); the tests of those
commands live with the commands.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def sessions() -> list[tuple[int, list[list[str]], list[tuple[str, list[str]]]]]:
    """(line of the block, setup directives, [(command, expected lines)]) for every console block."""
    out = []
    for match in re.finditer(r"((?:^<!-- readme: .*? -->\n)*)^```console\n(.*?)^```", README, flags=re.S | re.M):
        line = README[:match.start(2)].count("\n")
        setup = [shlex.split(d) for d in re.findall(r"<!-- readme: (.*?) -->", match.group(1))]
        steps: list[tuple[str, list[str]]] = []
        for text in match.group(2).rstrip("\n").split("\n"):
            if text.startswith("$ "):
                steps.append((text[2:].split("  #")[0].strip(), []))
            elif steps:
                steps[-1][1].append(text.rstrip())
        out.append((line, setup, steps))
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    while expected and not expected[-1].strip():  # the blank line between two commands of a block
        expected = expected[:-1]
    pattern = ""
    for line in expected:
        if line.strip() == "...":
            pattern += r"(?:.*\n)*?"
        else:
            pattern += ".*?".join(re.escape(part) for part in line.split("...")) + r"\s*\n"
    return re.fullmatch(pattern, "".join(a.rstrip() + "\n" for a in actual)) is not None


@pytest.fixture
def project(tmp_path):
    # A fresh clone: no build stamps, so a build builds as it does on a new machine.
    shutil.copytree(ROOT / "graph", tmp_path / "graph", ignore=shutil.ignore_patterns(".concept-graph-build.json"))
    shutil.copytree(ROOT / "tests" / "fixtures", tmp_path / "tests" / "fixtures")
    return tmp_path


def set_scene(project, setup: list[list[str]]) -> None:
    for directive in setup:
        if directive[0] == "copy":
            shutil.copytree(project / directive[1], project / directive[2])
        elif directive[0] == "replace":
            path = project / directive[1]
            text = path.read_text(encoding="utf-8")
            assert directive[2] in text, f"README setup: {directive[2]!r} is not in {directive[1]}"
            path.write_text(text.replace(directive[2], directive[3], 1), encoding="utf-8")
        else:
            raise AssertionError(f"README setup: unknown directive {directive[0]!r}")


@pytest.mark.slow
@pytest.mark.parametrize("line,setup,steps", sessions(), ids=[f"README.md:{line}" for line, _, _ in sessions()])
def test_the_readme_example_prints_what_the_readme_shows(project, line, setup, steps):
    set_scene(project, setup)
    env = {**os.environ, "COLUMNS": "120"}
    for command, expected in steps:
        argv = shlex.split(command)
        assert argv[0] == "concept-graph", f"README.md:{line}: only concept-graph commands are run: {command}"
        result = subprocess.run([sys.executable, "-m", "concept_graph.cli", *argv[1:]], cwd=project, env=env,
                                capture_output=True, text=True, timeout=300)
        printed = (result.stdout + result.stderr).rstrip("\n").split("\n") if (result.stdout + result.stderr) else []
        assert matches(expected, printed), (
            f"README.md:{line}: `{command}` printed\n" + "\n".join(printed) + "\n\nbut the README shows\n"
            + "\n".join(expected))


def python_examples() -> list[tuple[int, str, list[str]]]:
    """(line, code, expected output) for every ``python`` block followed by an ``output`` block."""
    found = re.finditer(r"^```python\n(.*?)^```\n\n```output\n(.*?)^```", README, flags=re.S | re.M)
    return [(README[:m.start()].count("\n") + 1, m.group(1), m.group(2).rstrip("\n").split("\n")) for m in found]


@pytest.mark.slow
@pytest.mark.parametrize("line,code,expected", python_examples(),
                         ids=[f"README.md:{n}" for n, _, _ in python_examples()])
def test_the_readme_python_example_prints_what_the_readme_shows(project, line, code, expected):
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert matches(expected, result.stdout.rstrip("\n").split("\n")), (
        f"README.md:{line}: the example printed\n{result.stdout}\nbut the README shows\n" + "\n".join(expected))


def test_there_are_examples_to_check():
    assert python_examples()
    assert len(sessions()) >= 3
