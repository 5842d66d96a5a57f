"""A pip install of the built wheel works outside a checkout: the library, build and serve.

The wheel is built from a copy of the source (so the checkout gets no build/ folder), installed
into a fresh virtual environment in a temporary folder, with the pinned versions of
constraints.txt from the configured package index, and every command runs from another
temporary folder: nothing can be found in the checkout by accident.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow


def run(*args, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the concept-graph command of a fresh venv with the wheel installed, a folder outside the checkout)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", source, cwd=base)
    assert built.returncode == 0, built.stderr
    (wheel,) = (base / "dist").glob("concept_graph-*.whl")
    venv = base / "venv"
    created = run(sys.executable, "-m", "venv", venv, cwd=base)
    assert created.returncode == 0, created.stderr
    pip = run(venv / "bin" / "python", "-m", "pip", "install", "-q", "-c", ROOT / "constraints.txt", wheel, cwd=base)
    assert pip.returncode == 0, pip.stderr
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return venv / "bin" / "concept-graph", elsewhere


def test_the_wheel_lists_its_query_library(installed):
    command, elsewhere = installed
    result = run(command, "query", "--list", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "what-it-does" in result.stdout and "quote-behind-relation" in result.stdout


def test_the_wheel_runs_a_library_query_on_a_graph_folder(installed):
    command, elsewhere = installed
    result = run(command, "query", "synonyms", FIXTURES / "lecture", "-p", "term=resilience", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2:] == ["ego-sturdiness  ego sturdiness  preferred",
                                              "ego-sturdiness  ego strength    synonym",
                                              "ego-sturdiness  resilience      synonym"]


def test_the_wheel_builds_a_copied_graph_folder(installed):
    command, elsewhere = installed
    folder = elsewhere / "tiny"
    shutil.copytree(FIXTURES / "tiny", folder)
    result = run(command, "build", folder, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (folder / "out" / "tiny.ttl").is_file() and (folder / "out" / "tiny.html").is_file()


def test_the_wheel_serves_answers_and_stops(installed):
    command, elsewhere = installed
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    process = subprocess.Popen([str(command), "serve", str(FIXTURES / "lecture"), "--port", "0"], cwd=elsewhere,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert line.startswith("serving "), line
        url = line.split(" at ")[1].split(" ")[0]
        query = urllib.request.quote("SELECT ?l WHERE { ?c skos:notation 'trust' ; skos:prefLabel ?l }")
        with urllib.request.urlopen(url + "sparql?query=" + query, timeout=60) as response:
            bindings = json.loads(response.read())["results"]["bindings"]
        assert [b["l"]["value"] for b in bindings] == ["trust"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
