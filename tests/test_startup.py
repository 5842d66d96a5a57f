"""Start-up: the package imports nothing heavy until a name is used, so --help and a build with
nothing to do stay quick; `concept_graph.build` is the function, the pipeline module has its own name."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

HEAVY = ("rdflib", "yaml", "networkx", "pyoxigraph", "matplotlib", "pyshacl", "pyvis", "numpy", "ahocorasick")


def heavy_modules_after(code: str) -> list[str]:
    probe = (code + "\nimport json, sys\n"
             f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_package_loads_no_library():
    assert heavy_modules_after("import concept_graph") == []


def test_help_loads_no_library():
    code = ("from concept_graph.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "try:\n    main(['build', '--help'])\nexcept SystemExit:\n    pass")
    assert heavy_modules_after(code) == []


@pytest.mark.slow
def test_a_build_with_nothing_to_do_loads_no_library(tiny):
    first = subprocess.run([sys.executable, "-m", "concept_graph.cli", "build", str(tiny)], capture_output=True,
                           cwd=ROOT)
    assert first.returncode == 0
    code = f"from concept_graph.cli import main\nassert main(['build', {str(tiny)!r}]) == 0"
    assert heavy_modules_after(code) == []


def test_build_is_the_function_whatever_was_imported_first():
    code = ("import concept_graph.pipeline\nimport concept_graph\nfrom concept_graph import build\n"
            "assert callable(build) and build is concept_graph.pipeline.build\n"
            "assert 'build' in dir(concept_graph) and 'build' in concept_graph.__all__")
    assert heavy_modules_after(code) == []
