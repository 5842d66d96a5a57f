"""A lecturer's storyboard: validated like the spec, and each step knows what it shows and what is new."""

from __future__ import annotations

import shutil

import pytest

from concept_graph import ConceptGraphError, build, load_graph
from concept_graph.storyboard import View, load_storyboards, resolve
from conftest import ARTICLE_GRAPH, run_cli

STORY = """\
title: Where security comes from
steps:
  - title: The base
    view: {focus: secure-base}
    caption: A child explores because it can come back.
  - title: Where exploring leads
    view: {path: [secure-base, exploration, mastery]}
  - title: Threats
    view: {focus: trauma}
    quotes: [trauma threatens secure-base]
"""


@pytest.fixture(scope="module")
def article():
    return load_graph(ARTICLE_GRAPH)


def write(folder, text, name="lecture.yaml"):
    (folder / name).write_text(text, encoding="utf-8")


def test_each_step_shows_its_view_and_marks_what_is_new(tiny):
    write(tiny, STORY)
    graph = load_graph(tiny)
    (board,) = load_storyboards(tiny, graph)
    steps = resolve(graph, board)
    assert [s.step.title for s in steps] == ["The base", "Where exploring leads", "Threats"]
    first, second, third = steps
    assert set(first.concepts) == {"secure-base", "exploration", "trauma"}
    assert set(second.new_concepts) == {"mastery"}
    assert second.path == ("secure-base--fosters--exploration", "exploration--leads-to--mastery")
    assert second.quotes == second.path  # a path reads its quotes in order
    assert third.new_concepts == () and third.quotes == ("trauma--threatens--secure-base",)
    assert board.steps[1].view.fragment() == "path=secure-base,exploration,mastery"


def test_the_security_storyboard_tells_eleven_steps_each_with_quotes(article):
    (board,) = load_storyboards(ARTICLE_GRAPH, article)
    steps = resolve(article, board)
    assert 8 <= len(steps) <= 12
    assert all(s.step.caption and s.quotes for s in steps)
    assert all(s.new_concepts or s.new_relations for s in steps)
    assert any(s.path for s in steps)
    relations = {r.id for r in article.relations}
    assert all(set(s.quotes) <= relations for s in steps)
    therapy = next(s for s in steps if s.step.view.focus == "therapist")
    assert "therapist--provides--consistent-boundaries" in therapy.relations


CASES = {
    "unknown-concept": ("steps:\n  - title: A\n    view: {focus: secure-bas}\n", 3, "did you mean 'secure-base'?"),
    "unknown-section": ("steps:\n  - title: A\n    view: {section: 9}\n", 3, "sections are numbered 1 to 2"),
    "unknown-relation": ("steps:\n  - title: A\n    view: {focus: trauma}\n    quotes: [trauma threatens secure-bas]\n",
                         4, "did you mean 'trauma--threatens--secure-base'?"),
    "unknown-field": ("steps:\n  - title: A\n    veiw: {focus: trauma}\n", 3, "did you mean 'view'?"),
    "bad-option": ("steps:\n  - title: A\n    view: {path: [trauma]}\n", 3, "at least two concepts"),
    "missing-field": ("steps:\n  - view: {focus: trauma}\n", 2, "add 'title: ...'"),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_a_storyboard_mistake_is_named_with_its_file_line_and_a_suggestion(tiny, code):
    text, line, hint = CASES[code]
    write(tiny, "title: T\n" + text)
    with pytest.raises(ConceptGraphError) as info:
        load_storyboards(tiny, load_graph(tiny))
    problem = next(p for p in info.value.problems if p.code == code)
    assert problem.file.endswith("lecture.yaml") and problem.line == line + 1
    assert hint in str(problem)


@pytest.mark.slow
def test_a_typo_in_a_storyboard_fails_validate_and_build_with_exit_2_and_outputs_untouched(tmp_path):
    folder = tmp_path / "security"
    shutil.copytree(ARTICLE_GRAPH, folder)
    story = folder / "lecture.yaml"
    story.write_text(story.read_text().replace("focus: secure-base}", "focus: secure-bse}"))
    before = {p.name: p.read_bytes() for p in (folder / "out").iterdir()}
    for command in ("validate", "build"):
        result = run_cli(command, str(folder))
        assert result.returncode == 2, result.stderr
        assert "lecture.yaml:" in result.stderr and "unknown concept 'secure-bse'" in result.stderr
        assert "did you mean 'secure-base'?" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in (folder / "out").iterdir()} == before


def test_several_storyboards_live_in_lectures_and_are_named_for_their_files(tiny):
    (tiny / "lectures").mkdir()
    write(tiny, STORY, "lectures/basics.yaml")
    write(tiny, STORY.replace("Where security comes from", "Threats first"), "lectures/threats.yaml")
    boards = load_storyboards(tiny, load_graph(tiny))
    assert [(b.name, b.title) for b in boards] == [("basics", "Where security comes from"),
                                                    ("threats", "Threats first")]
    build(tiny)


def test_a_view_fragment_is_the_page_s_deep_link():
    view = View(focus="trust", depth=2, types=("fosters",), families=("counters",), highlight=("a", "b"))
    assert view.fragment() == "focus=trust&depth=2&types=fosters&families=counters&highlight=a,b"
