"""The article as data: sections, sentences and the exact position of every quote."""

from __future__ import annotations

import pytest

from concept_graph import ConceptGraphError, locate, parse_article, read_article
from concept_graph.article import QuoteAmbiguous, QuoteNotFound
from conftest import ARTICLE_GRAPH


@pytest.fixture(scope="module")
def article():
    return read_article(ARTICLE_GRAPH / "article.txt")


def test_the_article_has_its_title_and_eight_sections_in_order(article):
    assert article.title == "SECURITY"
    assert [s.number for s in article.sections] == list(range(1, 9))
    assert article.sections[0].heading == "Definition and Core Psychological Components"
    assert article.sections[4].heading == "Security (Trust) within the Psychotherapeutic Context"
    assert article.sections[7].heading == "Developing and Maintaining Psychological Security"


def test_every_sentence_is_the_text_at_its_offsets(article):
    assert len(article.sentences) > 60
    for sentence in article.sentences:
        assert article.text[sentence.start:sentence.end] == sentence.text
        assert sentence.text[-1] in ".!?"
        section = article.section(sentence.section)
        assert section.start <= sentence.start < sentence.end <= section.end


def test_e_g_does_not_end_a_sentence(article):
    sentence = article.sentence_at(article.text.index("(e.g., poverty"))
    assert sentence.text.startswith("Chronic threats, however")
    assert sentence.text.endswith("eroding ego sturdiness slowly over time.")


def test_a_quote_is_located_by_section_sentence_and_offsets(article):
    quote = "ego sturdiness, often synonymously referred to as ego strength or resilience"
    evidence = locate(article, quote)
    assert article.text[evidence.start:evidence.end] == quote
    assert evidence.section == 1
    assert quote in article.sentences[evidence.sentence].text
    assert article.text[evidence.start - len(evidence.prefix):evidence.start] == evidence.prefix
    assert article.text[evidence.end:evidence.end + len(evidence.suffix)] == evidence.suffix


def test_a_quote_with_straight_apostrophes_is_not_found_and_the_hint_shows_the_sentence(article):
    with pytest.raises(QuoteNotFound) as info:
        locate(article, "the infant's initial expectations about relational dynamics")
    assert "apostrophes" in info.value.hint
    assert "infant’s initial expectations" in info.value.hint


def test_a_misremembered_quote_gets_the_closest_passage(article):
    with pytest.raises(QuoteNotFound) as info:
        locate(article, "the therapist models reliability and consistent responsiveness")
    assert "section 5" in info.value.hint
    assert "models reliability and predictable responsiveness" in info.value.hint


def test_a_quote_found_twice_is_ambiguous(article):
    with pytest.raises(QuoteAmbiguous) as info:
        locate(article, "ego sturdiness")
    assert info.value.count > 2


@pytest.mark.parametrize("raw, code, line", [
    (b"\xef\xbb\xbfTitle\nHead\nText.", "article-bom", 1),
    (b"Title\r\nHead\r\nText.", "article-line-endings", 1),
    (b"Title\nHead\nCaf\xe9.", "article-encoding", 3),
    (b"", "empty-article", 1),
    (b"Title\n- One\n- Two\nOne\nText.", "missing-section", None),
])
def test_a_broken_article_is_refused_with_a_clear_problem(raw, code, line):
    with pytest.raises(ConceptGraphError) as info:
        parse_article(raw, "a.txt")
    problem = info.value.problems[0]
    assert (problem.code, problem.file, problem.line) == (code, "a.txt", line)
    assert problem.hint


def test_the_quote_index_locates_every_quote_as_locate_does(article):
    from concept_graph.article import QuoteIndex, locate

    quotes = [article.text[s.start:s.end] for s in article.sentences[::3]]
    quotes += [article.text[s.start + 5:s.start + 40] for s in article.sentences[1::3]]
    quotes += ["security", "not in the article at all", "secure base"]
    index = QuoteIndex(article, quotes)
    for quote in quotes:
        try:
            expected = locate(article, quote)
        except Exception as exc:  # QuoteNotFound or QuoteAmbiguous: the index raises the same
            with pytest.raises(type(exc)) as caught:
                index.locate(quote)
            assert vars(caught.value) == vars(exc)
        else:
            assert index.locate(quote) == expected


def test_overlapping_occurrences_of_a_quote_are_counted_as_before():
    from concept_graph.article import QuoteAmbiguous, QuoteIndex

    article = parse_article("T\nS\nHa ha ha ha ha.")
    with pytest.raises(QuoteAmbiguous) as caught:
        QuoteIndex(article, ["ha ha"]).locate("ha ha")
    assert (caught.value.count, caught.value.sections) == (2, [1])  # three times, twice without overlap


@pytest.mark.slow
def test_after_fifty_missing_quotes_the_hint_asks_whether_the_article_is_the_right_one(article):
    from concept_graph.article import QuoteIndex, QuoteNotFound

    missing = [f"a sentence that is not there, number {n}" for n in range(52)]
    index = QuoteIndex(article, missing)
    hints = []
    for quote in missing:
        with pytest.raises(QuoteNotFound) as caught:
            index.locate(quote)
        hints.append(caught.value.hint)
    assert all(h.startswith("closest passage, in section") for h in hints[:50])
    assert "is graph.article the right file?" in hints[50] and "is graph.article the right file?" in hints[51]
