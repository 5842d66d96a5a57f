"""Reading an article: text to title, sections and sentences with character offsets.

The article format is plain UTF-8 text as a lecturer would paste it: the title on the first line,
optionally a table of contents of lines starting with ``- ``, then each section as a heading line
followed by paragraphs. With a table of contents, the headings are the lines equal to its entries;
without one, a heading is a short line that does not end like a sentence.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path

from .errors import ConceptGraphError, Problem, clip, display_path
from .model import Article, Evidence, Section, Sentence

# A sentence ends at . ! or ? (optionally followed by a closing quote or bracket) before
# whitespace and an upper-case letter or opening quote. Abbreviations such as "e.g.," are safe
# because a comma, not a space, follows their last full stop.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z“‘\"'(])")
_CONTEXT = 32  # characters of prefix and suffix kept for a TextQuoteSelector


def read_article(path: Path | str) -> Article:
    """Load and parse an article file, or raise a :class:`ConceptGraphError` saying what is wrong."""
    path = Path(path)
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConceptGraphError(Problem(
            "missing-file", shown, None, "article file not found",
            "copy the article's text there, or set graph.article in the spec")) from None
    except OSError as exc:
        raise ConceptGraphError(Problem("unreadable-file", shown, None,
                                        f"cannot read the article: {exc.strerror}")) from None
    return parse_article(raw, shown)


def parse_article(raw: bytes | str, path: str = "<article>") -> Article:
    """Parse article text; the offsets are those of the text exactly as stored.

    >>> a = parse_article("Title\\nFirst\\nOne. Two!\\nSecond\\nThree?")
    >>> [s.heading for s in a.sections], [s.text for s in a.sentences]
    (['First', 'Second'], ['One.', 'Two!', 'Three?'])
    """
    text = _decode(raw, path)
    lines = _lines(text)
    if not lines or not lines[0][2].strip():
        raise ConceptGraphError(Problem("empty-article", path, 1, "the article has no title line",
                                        "put the title on the first line"))
    title = lines[0][2].strip()
    body = lines[1:]
    toc = []
    while body and body[0][2].startswith("- "):
        toc.append(body[0][2][2:].strip())
        body = body[1:]
    if toc:
        is_heading = lambda line: line.strip() in toc  # noqa: E731
    else:
        is_heading = lambda line: (0 < len(line.strip()) <= 100  # noqa: E731
                                   and not line.rstrip().endswith((".", "!", "?", ":", ";", ",")))

    sections: list[list] = []  # [number, heading, heading_start, paragraphs]
    for number, start, line in body:
        if not line.strip():
            continue
        if toc and not is_heading(line) and (entry := _near_entry(line.strip(), toc)):
            raise ConceptGraphError(Problem(
                "heading-mismatch", path, number,
                f"heading {line.strip()!r} differs from its table of contents entry {entry!r}",
                "make the heading line and the entry match exactly, in case and spelling"))
        if is_heading(line):
            sections.append([line.strip(), start, []])
        elif not sections:
            raise ConceptGraphError(Problem(
                "text-before-heading", path, number,
                "paragraph before the first section heading",
                "start each section with its heading line" + (" (one of the table of contents)" if toc else "")))
        else:
            sections[-1][2].append((start, line))
    if not sections:
        raise ConceptGraphError(Problem("no-sections", path, None, "the article has no section headings",
                                        "put each section's heading on a line of its own"))
    missing = [h for h in toc if h not in {s[0] for s in sections}]
    if missing:
        raise ConceptGraphError(Problem("missing-section", path, None,
                                        f"table of contents entry has no heading in the text: {missing[0]!r}",
                                        "make the heading line match the entry exactly"))

    built_sections: list[Section] = []
    sentences: list[Sentence] = []
    for number, (heading, heading_start, paragraphs) in enumerate(sections, start=1):
        if paragraphs:
            start = paragraphs[0][0]
            end = paragraphs[-1][0] + len(paragraphs[-1][1])
        else:
            start = end = heading_start + len(heading)
        built_sections.append(Section(number, heading, heading_start, start, end))
        for p_start, paragraph in paragraphs:
            for s_start, s_end in _split_sentences(paragraph):
                sentences.append(Sentence(len(sentences), number, p_start + s_start, p_start + s_end,
                                          paragraph[s_start:s_end]))
    return Article(path, title, text, tuple(built_sections), tuple(sentences))


def _near_entry(line: str, toc: list[str]) -> str | None:
    """The table of contents entry a short line almost equals (case, spacing or a typo), if any."""
    if len(line) > 120 or line.endswith((".", "!", "?")):
        return None
    folded = " ".join(line.casefold().split())
    for entry in toc:
        other = " ".join(entry.casefold().split())
        if folded == other or difflib.SequenceMatcher(None, folded, other).ratio() >= 0.9:
            return entry
    return None


def _decode(raw: bytes | str, path: str) -> str:
    if isinstance(raw, str):
        text = raw
    else:
        if raw.startswith(b"\xef\xbb\xbf"):
            raise ConceptGraphError(Problem(
                "article-bom", path, 1, "the article starts with a byte order mark (BOM)",
                "save it as UTF-8 without BOM, so that character offsets start at the title"))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ConceptGraphError(Problem(
                "article-encoding", path, line,
                f"the article is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                "save it as UTF-8")) from None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise ConceptGraphError(Problem(
            "article-line-endings", path, line, "the article has Windows (CRLF) or old Mac (CR) line endings",
            "convert it to Unix line endings (LF), so that offsets are the same on every system"))
    return text


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(line number, start offset, line) for every line, newline excluded."""
    out, offset = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        out.append((number, offset, line))
        offset += len(line) + 1
    return out


def _split_sentences(paragraph: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    stripped_end = len(paragraph.rstrip())
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.start() + len(match.group(0).rstrip())
        spans.append((start, end))
        start = match.end()
    if start < stripped_end:
        spans.append((start, stripped_end))
    return spans


class QuoteNotFound(Exception):
    """A quote is not a verbatim substring; carries the closest passage as a hint."""

    def __init__(self, hint: str):
        super().__init__(hint)
        self.hint = hint


class QuoteAmbiguous(Exception):
    def __init__(self, count: int, sections: list[int]):
        super().__init__(count)
        self.count = count
        self.sections = sections


def locate(article: Article, quote: str) -> Evidence:
    """Find a quote's one position in the article.

    Raises :class:`QuoteNotFound` (with the closest passage) or :class:`QuoteAmbiguous`. For many
    quotes, :class:`QuoteIndex` finds them all in one pass over the text.

    >>> a = parse_article("T\\nS\\nSafety first. Then exploration.")
    >>> e = locate(a, "Then exploration")
    >>> (e.start, e.end, e.section, e.sentence)
    (18, 34, 1, 1)
    """
    text = article.text
    start = text.find(quote) if quote else -1
    if start < 0:
        raise QuoteNotFound(closest_passage(article, quote))
    second = text.find(quote, start + 1)
    if second >= 0:
        positions = [m.start() for m in re.finditer(re.escape(quote), text)]
        raise QuoteAmbiguous(len(positions), sorted({s.number for p in positions if (s := article.section_at(p))}))
    return _evidence(article, quote, start)


def _evidence(article: Article, quote: str, start: int) -> Evidence:
    text = article.text
    end = start + len(quote)
    section = article.section_at(start)
    sentence = article.sentence_at(start)
    return Evidence(
        quote=quote, start=start, end=end,
        section=section.number if section else 0,
        sentence=sentence.index if sentence else -1,
        prefix=text[max(0, start - _CONTEXT):start],
        suffix=text[end:end + _CONTEXT],
    )


class QuoteIndex:
    """Every quote of a spec located in one pass over the article (Aho-Corasick).

    ``str.find`` per quote reads the whole article for each quote, twice (to be sure it occurs
    once): at 60,000 quotes in a 4 MB reading list that is minutes. Here one automaton holds the
    first :data:`KEY` characters of every quote; one scan of the text yields each place where a
    quote may start, and ``str.startswith`` there confirms it. Time is linear in the text plus
    the quotes plus the places found.

    >>> a = parse_article("T\\nS\\nSafety first. Then exploration. Then exploration.")
    >>> index = QuoteIndex(a, ["Safety first", "Then exploration"])
    >>> index.locate("Safety first").start
    4
    >>> index.locate("Then exploration")
    Traceback (most recent call last):
    ...
    concept_graph.article.QuoteAmbiguous: 2
    """

    KEY = 24
    HINTS = 50  # closest-passage searches before the hint says the article may be the wrong one

    def __init__(self, article: Article, quotes):
        self.article = article
        self.positions: dict[str, list[int]] = {}
        self._misses = 0
        self._folded: list[str] | None = None
        keys: dict[str, list[str]] = {}
        for quote in {q for q in quotes if isinstance(q, str) and q}:
            keys.setdefault(quote[: self.KEY], []).append(quote)
            self.positions[quote] = []
        if not keys:
            return
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for key, group in keys.items():
            automaton.add_word(key, (len(key), tuple(group)))
        automaton.make_automaton()
        text = article.text
        for last, (length, group) in automaton.iter(text):
            start = last - length + 1
            for quote in group:
                if text.startswith(quote, start):
                    self.positions[quote].append(start)

    def locate(self, quote: str) -> Evidence:
        """Like :func:`locate`, from the index; a quote it was not built with is looked up directly."""
        positions = self.positions.get(quote)
        if positions is None:
            return locate(self.article, quote)
        if not positions:
            self._misses += 1
            if self._misses > self.HINTS:
                raise QuoteNotFound(f"closest passage not searched: more than {self.HINTS} quotes are not in "
                                    "the article (is graph.article the right file?)")
            raise QuoteNotFound(closest_passage(self.article, quote, self._folded_sentences()))
        if len(positions) > 1:
            # Counted as re.finditer counts them (without overlaps), as the message always has.
            apart, until = [], -1
            for start in sorted(positions):
                if start >= until:
                    apart.append(start)
                    until = start + len(quote)
            raise QuoteAmbiguous(len(apart), sorted({s.number for p in apart if (s := self.article.section_at(p))}))
        return _evidence(self.article, quote, positions[0])

    def _folded_sentences(self) -> list[str]:
        if self._folded is None:
            self._folded = [_fold(s.text) for s in self.article.sentences]
        return self._folded


_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = s.translate(_FOLD)
    return re.sub(r"\s+", " ", s).strip().lower()


def closest_passage(article: Article, quote: str, folded_sentences: list[str] | None = None) -> str:
    """A hint for a quote that is not in the text: the passage of the article most like it."""
    if not quote.strip():
        return "the quote is empty"
    folded = _fold(quote)
    sentences = article.sentences
    folded_sentences = folded_sentences or [_fold(s.text) for s in sentences]
    # First the common case: only apostrophes, dashes, case or spacing differ.
    for sentence, text in zip(sentences, folded_sentences, strict=True):
        if folded in text:
            return (f"differs from the text only in apostrophes, dashes, case or spacing; "
                    f"the sentence reads: {clip(sentence.text)!r}")
    best, best_ratio = None, 0.0
    for sentence, text in zip(sentences, folded_sentences, strict=True):
        matcher = difflib.SequenceMatcher(None, folded, text, autojunk=False)
        ratio = matcher.find_longest_match(0, len(folded), 0, len(text)).size
        if ratio > best_ratio:
            best, best_ratio = sentence, ratio
    if best is None:
        return "the article has no sentences"
    return f"closest passage, in section {best.section}: {clip(best.text)!r}"
