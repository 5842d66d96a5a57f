"""The review page of a draft: every candidate by section, its quote highlighted in its sentence.

A curator reads this before setting ``status: accepted`` in ``spec/draft.yaml``: one HTML file,
inline CSS, no script and nothing fetched, so it opens anywhere; every text from the article or
the spec is escaped, so an article quoting markup cannot inject any.
"""

from __future__ import annotations

from html import escape

from .draft import ConceptCandidate, Draft, RelationCandidate
from .model import Evidence

_CSS = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1rem; color: #555; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #eee; }
th { font-weight: 600; color: #555; }
td.score { font-variant-numeric: tabular-nums; width: 3.5rem; }
mark { background: #fff0a6; padding: 0 .1em; }
.type { font-weight: 600; white-space: nowrap; }
.reversed { color: #8a4b00; font-size: .85em; }
.same { color: #2a6f2a; font-size: .85em; }
.id { font-family: ui-monospace, monospace; font-size: .85em; color: #555; }
p.summary { color: #555; }
"""


def to_review_html(result: Draft) -> str:
    """The page: a summary, then for each section its concept and relation candidates."""
    article = result.article
    title = f"Draft of {article.title}"
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Belt and braces: nothing on this page may load anything from anywhere.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{escape(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{len(result.concepts)} concept candidates and {len(result.relations)} relation '
        f"candidates, each grounded in a quote of the article (highlighted). To keep one, set "
        f"<code>status: accepted</code> in <code>spec/draft.yaml</code>.</p>",
    ]
    concepts_by_section: dict[int, list[ConceptCandidate]] = {}
    for concept in result.concepts:
        concepts_by_section.setdefault(concept.evidence.section, []).append(concept)
    relations_by_section: dict[int, list[RelationCandidate]] = {}
    for relation in result.relations:
        relations_by_section.setdefault(relation.evidence[0].section, []).append(relation)
    for section in article.sections:
        concepts = concepts_by_section.get(section.number, [])
        relations = relations_by_section.get(section.number, [])
        parts.append(f'<h2 id="section-{section.number}">{section.number}. {escape(section.heading)}</h2>')
        if concepts:
            parts.append(f"<h3>Concepts ({len(concepts)})</h3>")
            parts.append("<table><tr><th>score</th><th>concept</th><th>grounding sentence</th></tr>")
            for c in concepts:
                same = (f'<br><span class="same">same as {escape(c.same_as.graph)}:{escape(c.same_as.id)}</span>'
                        if c.same_as else "")
                synonyms = f"<br>also: {escape(', '.join(c.synonyms))}" if c.synonyms else ""
                parts.append(f'<tr><td class="score">{c.score:.2f}</td><td><b>{escape(c.label)}</b>'
                             f'<br><span class="id">{escape(c.id)}</span>{synonyms}{same}</td>'
                             f"<td>{_sentence(article, c.evidence)}</td></tr>")
            parts.append("</table>")
        if relations:
            parts.append(f"<h3>Relations ({len(relations)})</h3>")
            parts.append("<table><tr><th>score</th><th>relation</th><th>grounding sentence</th></tr>")
            for r in relations:
                types = {t.id: t for t in result.relation_types}
                label = types[r.type].label if r.type in types else r.type
                direction = ('<br><span class="reversed">read backwards: object named first, '
                             f"cue &ldquo;{escape(r.cue)}&rdquo;</span>" if r.reversed
                             else f'<br><span class="reversed">cue &ldquo;{escape(r.cue)}&rdquo;</span>')
                parts.append(
                    f'<tr><td class="score">{r.score:.2f}</td><td>{escape(result.names.get(r.subject, r.subject))} '
                    f'<span class="type">{escape(label)}</span> {escape(result.names.get(r.object, r.object))}'
                    f"{direction}</td><td>{'<br>'.join(_sentence(article, e) for e in r.evidence)}</td></tr>")
            parts.append("</table>")
        if not concepts and not relations:
            parts.append("<p>No candidates in this section.</p>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _sentence(article, evidence: Evidence) -> str:
    """The sentence around a quote, escaped, with the quote marked."""
    sentence = article.sentences[evidence.sentence] if evidence.sentence >= 0 else None
    start = min(sentence.start, evidence.start) if sentence else evidence.start
    end = max(sentence.end, evidence.end) if sentence else evidence.end
    text = article.text
    return (escape(text[start:evidence.start]) + "<mark>" + escape(text[evidence.start:evidence.end]) + "</mark>"
            + escape(text[evidence.end:end]))
