"""A lecturer drafts the graph of the next article: grounded candidates, accepted, built.

The story: a folder holds only an article; `concept-graph draft` proposes concepts and relations,
each with a quote that occurs once in the article; nothing of the draft reaches a build until a
curator accepts it; concepts the Security graph already has come back under the same id.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from concept_graph.draft import draft, known_concepts, match_known, write_draft
from concept_graph.errors import ConceptGraphError
from concept_graph.pipeline import build
from concept_graph.review import to_review_html
from concept_graph.validate import load_graph
from conftest import ARTICLE_GRAPH, FIXTURES, run_cli

SECURITY_BASE = "https://w3id.org/concept-graph/graphs/security/"
SECURITY_CONCEPT = SECURITY_BASE + "concept/"


@pytest.fixture
def work(tmp_path) -> Path:
    """A copy of the fixture article about attachment at work, with no spec at all."""
    target = tmp_path / "attachment-at-work"
    shutil.copytree(FIXTURES / "attachment-at-work", target)
    return target


def folder_with(tmp_path: Path, body: str, title: str = "Test Article", heading: str = "Findings") -> Path:
    folder = tmp_path / "article"
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(f"{title}\n{heading}\n{body}\n", encoding="utf-8")
    return folder


def drafted(folder: Path, match_with=()) -> dict:
    write_draft(draft(folder, list(match_with)))
    return yaml.safe_load((folder / "spec" / "draft.yaml").read_text(encoding="utf-8"))


def relation_triples(data: dict) -> set[tuple[str, str, str]]:
    return {(r["subject"], r["type"], r["object"]) for r in data["relations"]}


# -- what the draft proposes --------------------------------------------------------------------

@pytest.mark.slow
def test_a_folder_with_only_an_article_gets_candidates_and_a_starter_spec(work):
    result = run_cli("draft", str(work), "--match-with", str(ARTICLE_GRAPH))
    assert result.returncode == 0, result.stderr
    assert "concept candidates" in result.stdout
    data = yaml.safe_load((work / "spec" / "draft.yaml").read_text(encoding="utf-8"))
    assert len(data["concepts"]) >= 10 and len(data["relations"]) >= 5
    assert all(r["status"] == "candidate" for r in data["concepts"] + data["relations"])
    assert all(0 <= r["score"] <= 1 for r in data["concepts"] + data["relations"])
    starter = yaml.safe_load((work / "spec" / "graph.yaml").read_text(encoding="utf-8"))
    assert starter["graph"]["id"] == "attachment-at-work"
    assert starter["graph"]["title"] == "Attachment At Work"
    assert starter["graph"]["base"] == "https://w3id.org/concept-graph/graphs/attachment-at-work/"
    fosters = next(t for t in starter["relation_types"] if t["id"] == "fosters")
    assert "fosters" in fosters["cues"] and fosters["family"] == "promotes"
    assert {f["id"] for f in starter["families"]} >= {"promotes", "counters"}


@pytest.mark.slow
def test_every_quote_is_verbatim_and_occurs_once(work):
    data = drafted(work, [ARTICLE_GRAPH])
    text = (work / "article.txt").read_text(encoding="utf-8")
    quotes = [c["quote"] for c in data["concepts"]]
    for relation in data["relations"]:
        quotes += relation["quote"] if isinstance(relation["quote"], list) else [relation["quote"]]
    assert quotes
    for quote in quotes:
        assert text.count(quote) == 1, quote


def test_a_relation_quote_holds_both_concepts_and_the_cue(tmp_path):
    folder = folder_with(tmp_path, "Psychological safety is fostered by supportive leaders. "
                                   "Chronic workload threatens psychological safety.")
    data = drafted(folder)
    labels = {c["id"]: c["label"] for c in data["concepts"]}
    relation = next(r for r in data["relations"] if r["type"] == "threatens")
    assert relation["subject"] == "chronic-workload" and relation["object"] == "psychological-safety"
    for concept in (relation["subject"], relation["object"]):
        assert labels[concept].lower() in relation["quote"].lower()
    assert "threatens" in relation["quote"]


def test_passive_voice_reverses_the_direction(tmp_path):
    folder = folder_with(tmp_path, "Psychological safety is fostered by supportive leaders. "
                                   "Team trust is crucially engendered by consistent feedback.")
    triples = relation_triples(drafted(folder))
    assert ("supportive-leaders", "fosters", "psychological-safety") in triples
    assert ("consistent-feedback", "fosters", "team-trust") in triples
    assert ("psychological-safety", "fosters", "supportive-leaders") not in triples


def test_a_list_gives_one_candidate_per_item(tmp_path):
    folder = folder_with(tmp_path, "Workplace stressors such as job insecurity, chronic workload and "
                                   "social isolation are common. Each of these stressors matters.")
    data = drafted(folder)
    kinds = {(r["subject"], r["object"]) for r in data["relations"] if r["type"] == "kind-of"}
    assert {("job-insecurity", "workplace-stressors"), ("chronic-workload", "workplace-stressors"),
            ("social-isolation", "workplace-stressors")} <= kinds


def best_reading(data: dict, type_: str, obj: str) -> dict:
    """The best-scored candidate of a type for an object (candidates are written best first)."""
    return next(r for r in data["relations"] if r["type"] == type_ and r["object"] == obj)


def test_verbs_coordinated_after_an_object_share_the_clause_subject(tmp_path):
    folder = folder_with(tmp_path, "Ego strength is a core trait of resilient workers. Ego strength represents "
                                   "the capacity to endure stress, negotiate internal conflict, and bounce back "
                                   "from adversity.")
    data = drafted(folder)
    assert best_reading(data, "withstands", "adversity")["subject"] == "ego-strength"
    assert best_reading(data, "withstands", "internal-conflict")["subject"] == "ego-strength"


def test_a_participle_after_thereby_takes_the_subject_of_its_clause(tmp_path):
    folder = folder_with(tmp_path, "Team trust grows slowly. Regular feedback directly challenges feelings of "
                                   "helplessness, thereby forging a robust sense of team trust.")
    data = drafted(folder)
    forging = best_reading(data, "fosters", "team-trust")
    assert forging["subject"] == "regular-feedback"
    assert "thereby forging a robust sense of team trust" in forging["quote"]


def test_a_name_that_frames_another_hands_the_relation_to_it(tmp_path):
    folder = folder_with(tmp_path, "The presence of a supportive mentor fosters confidence. A supportive mentor "
                                   "listens. The presence of peers matters too.")
    data = drafted(folder)
    assert best_reading(data, "fosters", "confidence")["subject"] == "supportive-mentor"


def test_a_frame_hands_the_relation_on_across_any_number_of_modifiers(tmp_path):
    scores = []
    for framed in ("a consistently supportive mentor", "a reliable and consistently supportive mentor"):
        folder = folder_with(tmp_path / str(len(scores)),
                             f"Confidence is fostered by the presence of {framed}. "
                             "A supportive mentor listens. The presence of peers matters too.")
        relation = best_reading(drafted(folder), "fosters", "confidence")
        assert relation["subject"] == "supportive-mentor"
        scores.append(relation["score"])
    assert scores[0] == scores[1]  # read as near the cue both times, not as a far mention


def test_this_model_is_read_as_the_concept_named_before_with_the_same_head(tmp_path):
    folder = folder_with(tmp_path, "A child forms an internal working model of the caregiver early in life. "
                                   "This model establishes relational expectations for later friendships.")
    data = drafted(folder)
    relation = best_reading(data, "leads-to", "relational-expectations")
    assert relation["subject"] == "internal-working-model"
    assert relation["quote"] == "This model establishes relational expectations"
    assert "'This model' read as internal-working-model" in relation["note"]


def test_this_process_is_read_as_the_name_the_text_gives_it(tmp_path):
    folder = folder_with(tmp_path, "The therapist models empathy and reliability. This process, often referred to "
                                   "as re-parenting, fosters self-confidence in the client.")
    data = drafted(folder)
    assert best_reading(data, "fosters", "self-confidence")["subject"] == "re-parenting"
    process = [c for c in data["concepts"] if c["id"] == "process"]
    assert not process or "re-parenting" not in process[0].get("synonyms", [])
    assert not any(r["type"] == "operationalized-as" for r in data["relations"])


@pytest.mark.parametrize("body, pronoun, subject, obj", [
    ("Psychological safety is a shared belief of a team. It fosters learning behavior in the team.",
     "It", "psychological-safety", "behavior"),
    ("When these teams are stable, they allow for open dissent. Stable teams need trust.",
     "they", "teams", "open-dissent"),
])
def test_a_pronoun_subject_is_read_as_the_subject_before_it(tmp_path, body, pronoun, subject, obj):
    data = drafted(folder_with(tmp_path, body))
    relation = next(r for r in data["relations"] if r["object"] == obj)
    assert relation["subject"] == subject
    assert f"{pronoun!r} read as {subject}" in relation["note"]


def test_a_pronoun_object_is_not_read_as_a_subject(tmp_path):
    folder = folder_with(tmp_path, "Coaching builds skills. Good habits help employees to manage it well, and "
                                   "workload threatens morale.")
    data = drafted(folder)
    assert not any("read as" in r["note"] for r in data["relations"])


def test_a_person_described_by_an_adjective_is_read_as_its_quality(tmp_path):
    folder = folder_with(tmp_path, "Security grows from care. A secure person demonstrates effective emotional "
                                   "regulation.")
    data = drafted(folder)
    relation = best_reading(data, "manifests-as", "emotional-regulation")
    assert relation["subject"] == "security"
    assert "'secure person' read as security" in relation["note"]


def test_a_noun_cue_wins_over_a_name_that_ends_in_it(tmp_path):
    folder = folder_with(tmp_path, "Social support provides a reliable buffer against chronic stress.")
    data = drafted(folder)
    assert ("social-support", "buffers", "chronic-stress") in relation_triples(data)
    assert not any(c["label"] == "reliable buffer" for c in data["concepts"]
                   if any(r["subject"] == c["id"] or r["object"] == c["id"] for r in data["relations"]))


def test_a_sentence_states_one_relation_between_two_concepts(tmp_path):
    folder = folder_with(tmp_path, "Regular mentoring fosters and enables professional growth.")
    data = drafted(folder)
    pairs = [(r["subject"], r["object"]) for r in data["relations"]]
    assert pairs.count(("regular-mentoring", "professional-growth")) == 1


def test_a_concept_is_named_without_the_words_that_only_grade_it(tmp_path):
    folder = folder_with(tmp_path, "Chronic stress can end in significant psychological fragmentation. Critical "
                                   "thinking protects students. Teachers value critical thinking. Mentoring builds "
                                   "deep trust. Trust grows slowly. The successful navigation of complex social "
                                   "challenges boosts confidence.")
    labels = {c["label"] for c in drafted(folder)["concepts"]}
    assert {"psychological fragmentation", "trust", "navigation of complex social challenges"} <= labels
    assert not {"significant psychological fragmentation", "deep trust"} & labels
    assert "critical thinking" in labels  # repeated, and 'thinking' never stands alone: a name


def test_modifiers_coordinated_before_one_noun_each_name_a_concept(tmp_path):
    folder = folder_with(tmp_path, "Complex or repeated trauma threatens security. Security grows slowly. Insecure "
                                   "attachment has forms such as avoidant or anxious attachment. In cases of "
                                   "inconsistent or rejecting care, children withdraw.")
    data = drafted(folder)
    labels = {c["label"] for c in data["concepts"]}
    assert {"complex trauma", "repeated trauma", "avoidant attachment", "anxious attachment", "inconsistent care",
            "rejecting care"} <= labels
    assert not {"avoidant", "complex"} & labels
    complex_ = next(r for r in data["relations"] if (r["subject"], r["object"]) == ("complex-trauma", "security"))
    assert complex_["type"] == "threatens" and complex_["quote"] == "Complex or repeated trauma threatens security"
    assert ("repeated-trauma", "threatens", "security") in relation_triples(data)
    kinds = {(r["subject"], r["object"]) for r in data["relations"] if r["type"] == "kind-of"}
    assert {("avoidant-attachment", "insecure-attachment"), ("anxious-attachment", "insecure-attachment")} <= kinds


def test_a_word_used_mostly_inside_longer_names_ranks_below_one_used_on_its_own(tmp_path):
    folder = folder_with(tmp_path, "Early development, moral development and language development shape resilience. "
                                   "Resilience grows with care. Resilience protects children. Development takes time.")
    scores = {c["label"]: c["score"] for c in drafted(folder)["concepts"]}
    assert scores["resilience"] > scores["development"]


def test_an_example_of_a_kind_counts_as_a_notion_of_the_article(tmp_path):
    folder = folder_with(tmp_path, "Workplace stressors such as job insecurity are common. Workplace stressors "
                                   "provide opportunities for job autonomy.")
    data = drafted(folder)
    pairs = [(r["subject"], r["type"], r["object"]) for r in data["relations"]]
    example = pairs.index(("job-insecurity", "kind-of", "workplace-stressors"))
    stated = pairs.index(("workplace-stressors", "enables", "job-autonomy"))
    assert example < stated  # though 'provide opportunities for' is the more specific cue


def test_a_name_in_the_plural_ranks_below_a_notion_named_in_the_singular(tmp_path):
    folder = folder_with(tmp_path, "Daily hassles erode team morale. Chronic workload erodes team morale.")
    scores = {r["subject"]: r["score"] for r in drafted(folder)["relations"] if r["object"] == "team-morale"}
    assert scores["chronic-workload"] > scores["daily-hassles"]


def test_a_one_off_description_is_read_as_the_concept_it_describes_and_a_kind_by_its_own_name(tmp_path):
    folder = folder_with(tmp_path, "Burnout is reduced by the reliable supervision. Supervision is common. Teams "
                                   "value supervision. Interpersonal security enables emotional co-regulation. "
                                   "Security grows slowly. Security is common. Disorganized security manifests as "
                                   "chaotic behavior.")
    data = drafted(folder)
    assert "reliable supervision" in {c["label"] for c in data["concepts"]}  # still a candidate of its own
    assert best_reading(data, "reduces", "burnout")["subject"] == "supervision"
    # 'interpersonal' classifies and 'disorganized' is a verb's participle: both name kinds of security,
    # which are what their sentences are about
    assert best_reading(data, "enables", "emotional-co-regulation")["subject"] == "interpersonal-security"
    assert best_reading(data, "manifests-as", "chaotic-behavior")["subject"] == "disorganized-security"


def test_the_object_of_allows_before_an_infinitive_is_who_acts_not_what_is_allowed(tmp_path):
    folder = folder_with(tmp_path, "Good supervision allows the newcomer to build confidence. The newcomer learns "
                                   "fast.")
    pairs = {(s, o) for s, _, o in relation_triples(drafted(folder))}
    assert ("good-supervision", "confidence") in pairs
    assert ("good-supervision", "newcomer") not in pairs


def test_a_gerund_opening_a_clause_is_its_subject(tmp_path):
    folder = folder_with(tmp_path, "Mentoring provides a secure base for newcomers, and mentoring fosters "
                                   "self-efficacy.")
    triples = relation_triples(drafted(folder))
    assert {("mentoring", "provides", "secure-base"), ("mentoring", "fosters", "self-efficacy")} <= triples


def test_a_mention_far_from_the_cue_is_a_second_choice(tmp_path):
    folder = folder_with(tmp_path, "Good teamwork develops in wards, and burnout reduces empathy. Good teamwork is "
                                   "common. Burnout is common.")
    scores = {r["subject"]: r["score"] for r in drafted(folder)["relations"] if r["object"] == "empathy"}
    assert scores["burnout"] > scores["good-teamwork"]  # read across a clause, 13 words away


def test_a_noun_made_from_a_verb_counts_instances_in_the_plural_as_a_plain_noun_does(tmp_path):
    folder = folder_with(tmp_path, "Deadlines erode team morale. Expectations erode team morale.")
    scores = {r["subject"]: r["score"] for r in drafted(folder)["relations"] if r["object"] == "team-morale"}
    assert scores["expectations"] == scores["deadlines"]


def test_a_participle_after_a_relative_clause_goes_on_from_the_noun_the_clause_is_about(tmp_path):
    folder = folder_with(tmp_path, "Sustained interpersonal invalidation, where the support system is unreliable or "
                                   "actively critical, eroding ego sturdiness, is common. Ego sturdiness matters. The "
                                   "support system helps.")
    relation = best_reading(drafted(folder), "threatens", "ego-sturdiness")
    assert relation["subject"] == "sustained-interpersonal-invalidation"


def test_two_concepts_get_one_candidate_with_every_statement_as_a_quote(tmp_path):
    folder = folder_with(tmp_path, "Chronic workload threatens team morale. In busy months, chronic workload "
                                   "reduces team morale further.")
    data = drafted(folder)
    between = [r for r in data["relations"] if {r["subject"], r["object"]} == {"chronic-workload", "team-morale"}]
    assert len(between) == 1
    (relation,) = between
    assert relation["type"] in ("threatens", "reduces")
    assert isinstance(relation["quote"], list) and len(relation["quote"]) == 2
    other = "reduces" if relation["type"] == "threatens" else "threatens"
    assert f"also read as: chronic-workload {other} team-morale" in relation["note"]


def test_a_name_ending_in_another_concept_s_name_is_a_candidate_kind_of_it(tmp_path):
    folder = folder_with(tmp_path, "Anxiety is common at work. Anticipatory anxiety disrupts sleep. "
                                   "Anticipatory anxiety grows before deadlines.")
    data = drafted(folder)
    kind = next(r for r in data["relations"] if (r["subject"], r["type"], r["object"])
                == ("anticipatory-anxiety", "kind-of", "anxiety"))
    assert kind["quote"].startswith("Anticipatory anxiety")
    assert "a kind by its name" in kind["note"]


def test_an_introductory_phrase_holds_no_subject_of_the_main_clause(tmp_path):
    folder = folder_with(tmp_path, "For employees whose burnout stems from chronic overload, the mentor provides "
                                   "steady guidance. Chronic overload is common. The mentor is a colleague.")
    data = drafted(folder)
    assert ("mentor", "provides", "steady-guidance") in relation_triples(data)
    assert not any(r["type"] == "provides" and r["subject"] == "chronic-overload" for r in data["relations"])


def test_overlapping_names_are_both_read(tmp_path):
    folder = folder_with(tmp_path, "Mastery fosters sustained independence from alarm. Sustained independence is "
                                   "rare. Independence from alarm is a goal. Independence from alarm matters.")
    triples = relation_triples(drafted(folder))
    assert {("mastery", "fosters", "sustained-independence"),
            ("mastery", "fosters", "independence-from-alarm")} <= triples


def test_a_cue_that_opens_a_name_links_its_head_and_complement_only(tmp_path):
    folder = folder_with(tmp_path, "These defenses include emotional numbing and projection of internal anxiety. "
                                   "Projection is common. Internal anxiety grows. Emotional numbing hurts.")
    data = drafted(folder)
    assert ("projection", "tries-to-manage", "internal-anxiety") in relation_triples(data)
    assert not any(r["type"] == "tries-to-manage" and r["subject"] != "projection" for r in data["relations"])
    assert {("emotional-numbing", "kind-of", "defenses"),
            ("projection", "kind-of", "defenses")} <= relation_triples(data)


def test_synonyms_the_text_declares_are_one_concept(work):
    data = drafted(work, [])
    adult = next(c for c in data["concepts"] if c["label"] == "adult attachment")
    assert adult["synonyms"] == ["attachment in adulthood"]
    resilience = next(c for c in data["concepts"] if c["label"] == "resilience")
    assert "ego strength" in resilience["synonyms"]
    assert not any(c["label"] == "attachment in adulthood" for c in data["concepts"])


def test_concepts_of_the_security_graph_come_back_under_their_id(work):
    result = draft(work, [ARTICLE_GRAPH])
    by_id = {c.id: c for c in result.concepts}
    assert by_id["secure-base"].exact_match == SECURITY_CONCEPT + "secure-base"
    resilience = by_id["ego-sturdiness"]
    assert resilience.label == "resilience" and "ego sturdiness" in resilience.synonyms
    assert resilience.exact_match == SECURITY_CONCEPT + "ego-sturdiness"
    assert by_id["psychological-security"].same_as.graph == "security"


def test_a_graph_with_the_same_base_reuses_the_iri_without_exact_match(work):
    (work / "spec").mkdir()
    (work / "spec" / "graph.yaml").write_text(
        f"graph: {{id: work, title: Work, base: '{SECURITY_BASE}'}}\n", encoding="utf-8")
    result = draft(work, [ARTICLE_GRAPH])
    secure_base = next(c for c in result.concepts if c.id == "secure-base")
    assert secure_base.exact_match is None


def test_matching_across_graphs_folds_case_and_plurals():
    index = known_concepts([ARTICLE_GRAPH])
    assert match_known(["Secure Bases"], index).id == "secure-base"
    assert match_known(["ego strength"], index).iri == SECURITY_CONCEPT + "ego-sturdiness"
    assert match_known(["burnout"], index) is None


def test_drafting_twice_writes_the_same_bytes(work):
    drafted(work, [ARTICLE_GRAPH])
    first = (work / "spec" / "draft.yaml").read_bytes()
    drafted(work, [ARTICLE_GRAPH])
    assert (work / "spec" / "draft.yaml").read_bytes() == first


# -- candidates stay out of graphs until accepted -----------------------------------------------

def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_the_draft_never_touches_curated_files(tiny):
    before = digest(tiny)
    run = run_cli("draft", str(tiny))
    assert run.returncode == 0, run.stderr
    after = digest(tiny)
    assert set(after) - set(before) == {"spec/draft.yaml"}
    assert all(after[name] == digest_ for name, digest_ in before.items())


@pytest.mark.slow
def test_candidates_never_pollute_a_build(tiny, tmp_path):
    article = tiny / "article.txt"
    article.write_text(article.read_text(encoding="utf-8") + " Trauma leads to chronic avoidance.",
                       encoding="utf-8")
    clean = build(tiny, tmp_path / "clean")
    write_draft(draft(tiny, []))
    data = yaml.safe_load((tiny / "spec" / "draft.yaml").read_text(encoding="utf-8"))
    assert data["concepts"] and data["relations"]
    with_draft = build(tiny, tmp_path / "with-draft")
    assert len(with_draft.graph.concepts) == len(clean.graph.concepts)
    assert len(with_draft.graph.relations) == len(clean.graph.relations)
    for path in clean.written:
        assert (tmp_path / "with-draft" / path.name).read_bytes() == path.read_bytes(), path.name


def test_curated_concepts_and_relations_are_not_proposed_again_and_new_ones_reuse_curated_ids(tiny):
    article = tiny / "article.txt"
    article.write_text(article.read_text(encoding="utf-8") + " Trauma leads to chronic avoidance.",
                       encoding="utf-8")
    result = draft(tiny, [])
    assert not {"secure-base", "exploration", "mastery", "competence", "trauma"} & {c.id for c in result.concepts}
    triples = {(r.subject, r.type, r.object) for r in result.relations}
    assert ("trauma", "leads-to", "avoidance") in triples  # "chronic" qualifies it once, in passing
    assert ("trauma", "threatens", "secure-base") not in triples  # already curated


def test_an_unknown_status_is_an_error_with_a_suggestion(tiny):
    spec = tiny / "spec" / "graph.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "    quote: A secure base fosters exploration.",
        "    quote: A secure base fosters exploration.\n    status: acepted"), encoding="utf-8")
    with pytest.raises(ConceptGraphError) as caught:
        load_graph(tiny)
    assert caught.value.codes == ["bad-status"]
    assert "did you mean 'accepted'?" in str(caught.value)


def test_an_exact_match_must_be_an_iri(tiny):
    spec = tiny / "spec" / "graph.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "    quote: A secure base fosters exploration.",
        "    quote: A secure base fosters exploration.\n    exact_match: secure base elsewhere"), encoding="utf-8")
    with pytest.raises(ConceptGraphError) as caught:
        load_graph(tiny)
    assert caught.value.codes == ["bad-iri"]


def accept(folder: Path, concepts: set[str], relations: set[tuple[str, str, str]]) -> None:
    """Set status: accepted on the chosen records, editing the file's lines as a curator would."""
    path = folder / "spec" / "draft.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    record: dict = {}
    for i, line in enumerate(lines):
        if line.startswith("  - "):
            record = {}
        match = re.match(r"\s+(?:- )?(id|subject|type|object): (\S+)", line)
        if match:
            record[match.group(1)] = match.group(2)
        if line == "    status: candidate":
            key = (record.get("subject"), record.get("type"), record.get("object"))
            if record.get("id") in concepts or key in relations:
                lines[i] = "    status: accepted"
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.slow
def test_accepted_candidates_validate_and_build_with_the_shared_concepts(work, tmp_path):
    """Part 3 of the story: draft -> accept -> validate -> build, on an article of its own."""
    result = draft(work, [ARTICLE_GRAPH])
    write_draft(result)
    chosen = [r for r in result.relations if r.score >= 0.2][:12]
    relations = {(r.subject, r.type, r.object) for r in chosen}
    concepts = {c for r in chosen for c in (r.subject, r.object)} | {"secure-base", "ego-sturdiness"}
    accept(work, concepts, relations)

    graph = load_graph(work)
    assert {c.id for c in graph.concepts} == concepts
    assert {(r.subject, r.type, r.object) for r in graph.relations} == relations
    shared = graph.concept("secure-base")
    assert shared.exact_match == (SECURITY_CONCEPT + "secure-base",)
    built = build(work, tmp_path / "out")
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    rdf = Graph().parse(tmp_path / "out" / "attachment-at-work.ttl")
    concept = URIRef("https://w3id.org/concept-graph/graphs/attachment-at-work/concept/secure-base")
    assert (concept, SKOS.prefLabel, None) in rdf
    assert len(built.written) >= 10


def test_a_draft_with_accepted_records_is_not_overwritten(work):
    write_draft(draft(work, []))
    path = work / "spec" / "draft.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    status: candidate", "    status: accepted", 1),
                    encoding="utf-8")
    before = path.read_bytes()
    result = run_cli("draft", str(work))
    assert result.returncode == 2
    assert "draft-has-curated" in result.stderr and "move the accepted records" in result.stderr
    assert path.read_bytes() == before


# -- the review page ------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_review_page_lists_candidates_by_section_with_the_quote_marked(work):
    run = run_cli("draft", str(work), "--review", "--match-with", str(ARTICLE_GRAPH))
    assert run.returncode == 0, run.stderr
    page = (work / "draft-review.html").read_text(encoding="utf-8")
    for heading in ("The Workplace as a Secure Base", "Threats at Work and Resilience", "Building Security in Teams"):
        assert heading in page
    assert "<mark>" in page and "read backwards" in page
    assert "same as security:secure-base" in page


@pytest.mark.slow
def test_the_review_page_is_offline_and_escapes_hostile_text(tmp_path):
    folder = folder_with(tmp_path, 'Hostile <script>alert("x")</script> text & noise fosters '
                                   '<img src=http://evil.example/x.png> images. Images such as icons matter.',
                         title="Title <b>bold</b>")
    result = draft(folder, [])
    page = to_review_html(result)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert not re.search(r"<[a-z][^>]*\s(?:src|href)\s*=", page, re.IGNORECASE)
    assert "default-src 'none'" in page
    out = tmp_path / "review.html"
    run = run_cli("draft", str(folder), "--review", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == page


# -- bad input --------------------------------------------------------------------------------------

def test_a_folder_without_an_article_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_cli("draft", str(tmp_path / "empty"))
    assert result.returncode == 2
    assert "article file not found" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_folder_is_a_clear_error(tmp_path):
    result = run_cli("draft", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "graph folder not found" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_an_unwritable_spec_folder_is_a_clear_error(work):
    (work / "spec").write_text("not a folder", encoding="utf-8")
    result = run_cli("draft", str(work))
    assert result.returncode == 2
    assert "unwritable-output" in result.stderr and "Traceback" not in result.stderr
    assert (work / "spec").read_text(encoding="utf-8") == "not a folder"


def test_out_without_review_is_a_usage_error(work):
    result = run_cli("draft", str(work), "-o", "page.html")
    assert result.returncode == 2
    assert "-o/--out needs --review" in result.stderr
