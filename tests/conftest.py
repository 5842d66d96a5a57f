"""Shared fixtures: small graph folders under tests/fixtures, copied so tests may change them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ARTICLE_GRAPH = ROOT / "graph" / "security"


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A copy of the tiny valid graph folder: 5 concepts, 4 relations, 2 sections."""
    target = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", target)
    return target


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real console command, as a user would."""
    return subprocess.run([sys.executable, "-m", "concept_graph.cli", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)
