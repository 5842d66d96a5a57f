"""The slide deck as a file: a title slide and one slide per step, each quote verbatim with its
section, self-contained, repeatable; and the slides command's errors. What the deck does in a
browser (keys, print) is tested in test_browser.py."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from concept_graph import load_graph
from concept_graph.slides import to_deck
from concept_graph.storyboard import load_storyboards, resolve, step_quotes
from conftest import FIXTURES, run_cli

pytestmark = pytest.mark.slow  # browsers, servers or whole builds: the full suite runs them, the quick loop does not

LECTURE = FIXTURES / "lecture"


class Slides(HTMLParser):
    """Each [data-cg-slide] element's text, quotes and pictures, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.slides: list[dict] = []
        self.depth = 0
        self.stack: list[str] = []
        self.scripts: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.in_quote = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "data-cg-slide" in attrs:
            self.slides.append({"number": int(attrs["data-cg-slide"]), "text": "", "quotes": [], "pictures": []})
        if not self.slides:
            return
        if tag == "blockquote":
            self.in_quote = True
            self.slides[-1]["quotes"].append("")
        if tag == "img":
            self.slides[-1]["pictures"].append(attrs.get("src", ""))

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.in_quote = False

    def handle_data(self, data):
        if self.slides and self.lasttag != "script":
            self.slides[-1]["text"] += data
            if self.in_quote:
                self.slides[-1]["quotes"][-1] += data


@pytest.fixture(scope="module")
def lecture():
    graph = load_graph(LECTURE)
    (board,) = load_storyboards(LECTURE, graph)
    return graph, board, to_deck(graph, board)


def test_the_deck_has_a_title_slide_then_a_slide_per_step_with_its_caption_and_quotes_verbatim(lecture):
    graph, board, deck = lecture
    parsed = Slides()
    parsed.feed(deck)
    steps = resolve(graph, board)
    assert [s["number"] for s in parsed.slides] == list(range(len(steps) + 1))
    title = parsed.slides[0]
    assert board.title in title["text"] and all(s.step.title in title["text"] for s in steps)
    for slide, step in zip(parsed.slides[1:], steps, strict=True):
        assert step.step.title in slide["text"] and step.step.caption in slide["text"]
        quotes = step_quotes(graph, step)
        assert slide["quotes"] == ["\u201c" + evidence.quote + "\u201d" for _, evidence in quotes]
        for _, evidence in quotes:
            assert f"Section {evidence.section}: {graph.article.section(evidence.section).heading}" in slide["text"]


def test_each_step_slide_carries_a_picture_of_its_view_for_print(lecture):
    graph, board, deck = lecture
    parsed = Slides()
    parsed.feed(deck)
    for slide, step in zip(parsed.slides[1:], resolve(graph, board), strict=True):
        (src,) = slide["pictures"]
        assert src.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        assert svg.startswith("<?xml") and "<svg" in svg
        # Every concept of the step is drawn (a marker each), whatever the labels that fit.
        assert svg.count("<use ") >= len(step.concepts)


def test_the_deck_is_self_contained_and_only_its_own_three_scripts_may_run(lecture):
    _, _, deck = lecture
    parsed = Slides()
    parsed.feed(deck)
    assert not [attrs for tag, attrs in parsed.tags if "src" in attrs and tag != "img"]
    assert not [attrs for tag, attrs in parsed.tags if tag == "link"]
    assert all(attrs["src"].startswith("data:") for tag, attrs in parsed.tags if tag == "img")
    assert "@import" not in deck and "sourceMappingURL" not in deck and "file://" not in deck
    (csp,) = [attrs["content"] for tag, attrs in parsed.tags if attrs.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    bodies = re.findall(r"<script>(.*?)</script>", deck, re.S)
    assert len(bodies) == 3  # vis-network, the page, the deck's keys (the graph's data is JSON, not a script)
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_the_same_storyboard_gives_a_byte_identical_deck(lecture):
    graph, board, deck = lecture
    assert to_deck(load_graph(LECTURE), board) == deck


def test_the_slides_command_writes_the_deck_of_the_only_storyboard(tmp_path):
    result = run_cli("slides", str(LECTURE), "-o", str(tmp_path / "deck.html"))
    assert result.returncode == 0, result.stderr
    assert "4 steps and a title slide" in result.stdout
    assert (tmp_path / "deck.html").read_text(encoding="utf-8").count("data-cg-slide=") == 5


def test_an_unknown_lecture_is_exit_2_with_a_suggestion(tmp_path):
    result = run_cli("slides", str(LECTURE), "--lecture", "lectrue", "-o", str(tmp_path / "deck.html"))
    assert result.returncode == 2
    assert "no storyboard named 'lectrue'" in result.stderr and "did you mean 'lecture'?" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "deck.html").exists()


def test_a_graph_without_a_storyboard_says_where_to_write_one(tiny, tmp_path):
    result = run_cli("slides", str(tiny), "-o", str(tmp_path / "deck.html"))
    assert result.returncode == 2
    assert "has no storyboard" in result.stderr and "lecture.yaml" in result.stderr


def test_several_storyboards_need_a_choice(tiny, tmp_path):
    (tiny / "lectures").mkdir()
    for name in ("basics", "threats"):
        (tiny / "lectures" / f"{name}.yaml").write_text(
            "title: T\nsteps:\n  - title: A\n    view: {focus: trauma}\n", encoding="utf-8")
    result = run_cli("slides", str(tiny), "-o", str(tmp_path / "deck.html"))
    assert result.returncode == 2 and "basics, threats" in result.stderr and "--lecture" in result.stderr
    result = run_cli("slides", str(tiny), "--lecture", "threats", "-o", str(tmp_path / "deck.html"))
    assert result.returncode == 0, result.stderr


def test_a_storyboard_typo_fails_the_slides_command_with_file_line_and_suggestion(tmp_path):
    import shutil

    folder = tmp_path / "lecture"
    shutil.copytree(LECTURE, folder)
    story = folder / "lecture.yaml"
    story.write_text(story.read_text().replace("highlight: [stressor]", "highlight: [stresor]"), encoding="utf-8")
    result = run_cli("slides", str(folder), "-o", str(tmp_path / "deck.html"))
    assert result.returncode == 2
    line = next(i for i, text in enumerate(story.read_text().splitlines(), 1) if "stresor" in text)
    assert f"lecture.yaml:{line}:" in result.stderr and "did you mean 'stressor'?" in result.stderr


def test_hostile_titles_captions_and_labels_stay_text_in_the_deck(tmp_path):
    import shutil

    folder = tmp_path / "hostile"
    shutil.copytree(FIXTURES / "hostile", folder)
    (folder / "lecture.yaml").write_text(
        'title: "</title><script>alert(1)</script>"\n'
        'description: "<img src=x onerror=alert(1)>"\n'
        "steps:\n"
        '  - title: "</h2><script>alert(2)</script>"\n'
        "    view: {focus: secure-base}\n"
        "    caption: \"<iframe src=javascript:alert(3)></iframe> & ' \\\"\"\n", encoding="utf-8")
    graph = load_graph(folder)
    (board,) = load_storyboards(folder, graph)
    deck = to_deck(graph, board)
    parsed = Slides()
    parsed.feed(deck)
    assert [tag for tag, _ in parsed.tags if tag in ("script", "iframe")] == ["script", "script", "script", "script"]
    scripts = [attrs.get("type") for tag, attrs in parsed.tags if tag == "script"]
    assert scripts == [None, "application/json", None, None]
    assert [attrs["src"][:5] for tag, attrs in parsed.tags if tag == "img"] == ["data:"]
    assert board.steps[0].caption in parsed.slides[1]["text"] and board.title in parsed.slides[0]["text"]
    (alt,) = [attrs["alt"] for tag, attrs in parsed.tags if tag == "img"]
    assert graph.concept("secure-base").label in alt  # "</script><script>alert(1)</script>", as text
