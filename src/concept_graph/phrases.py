"""Noun phrases of English text: words, their word classes, and the key that merges inflections.

The draft needs the article's candidate concepts, which are noun phrases ("secure base", "absence
of danger", "internal working models"), found without downloading a model at run time. Word
classes come from LemmInflect's lexicon (the NIH SPECIALIST lexicon, shipped inside its wheel),
with the few closed classes of English (determiners, prepositions, ...) listed here; a short word
window decides between the classes of an ambiguous word. This is a chunker, not a parser: it finds
the phrases, and the draft's scores and a curator decide which are concepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Closed classes of English: grammar, not the vocabulary of any one article.
DETERMINERS = frozenset("""a an the this that these those its their his her our your my each every
any some no all both either neither such another other others own same whose which what whatever
whichever much many more most less least few fewer several""".split())
PREPOSITIONS = frozenset("""of in on at by for from to with without within into onto upon about
against among amongst between through throughout toward towards over under beneath beyond across
along around after before during despite via per than outside inside like unlike""".split())
CONJUNCTIONS = frozenset("and or nor but yet so because although though while whereas if unless "
                         "when whenever where wherever whether as since until once how why".split())
PRONOUNS = frozenset("""i me we us you he him she it they them one ones oneself itself themselves
himself herself ourselves yourself yourselves myself someone anyone everyone something anything
everything nothing nobody somebody everybody who whom""".split())
AUXILIARIES = frozenset("""be is are was were been being am have has had having do does did done
can could may might must shall should will would ought""".split())
BE_FORMS = frozenset("be is are was were been being am".split())
# Frequent adverbs and particles that the lexicon lists under other classes too.
PARTICLES = frozenset("""not never also only even just very too thus then there here therefore
however often always sometimes still already rather quite instead merely first again far well
yet else ever perhaps up out back away down off""".split())
# Prepositions that attach a complement to a concept's name: "absence of danger", "trust in the
# therapist", "recovery from failure", "exposure to violence".
ATTACHING = ("of", "from", "in", "to", "for", "with", "about", "against")
# Nouns that classify or count what follows them: "a kind of competence" names competence.
LIGHT_NOUNS = frozenset("kind kinds type types form forms sort sorts part parts variety number lot lots range "
                        "set example examples instance instances way ways".split())
# Nouns that frame the notion named in their complement: "a sense of safety", "the capacity for
# coping", "the development of trust", "the presence of a support system" are about safety,
# coping, trust and the support system.
FRAME_NOUNS = LIGHT_NOUNS | frozenset("""sense feeling feelings capacity capacities ability abilities quality
presence level levels degree amount lack source sources role development establishment genesis focus basis
experience experiences pattern patterns process aspect aspects notion concept idea area areas means progression
accumulation acquisition construct""".split())
# Adjectives that grade or praise what they qualify instead of naming a kind of it: "significant
# psychological fragmentation" and "a robust sense of self-trust" are psychological fragmentation
# and a sense of self-trust, said with emphasis. ("Chronic", "rigid", "basic" say what kind.)
EVALUATIVE = frozenset("""significant profound deep genuine robust true real strong great greater greatest high higher
highest considerable substantial major crucial critical essential vital key important fundamental overall full
complete total mere sheer actual particular certain notable remarkable tremendous enormous immense intense
heightened increased enhanced marked utmost solid successful effective healthy potential further""".split())
# Nouns for a person or a mind: "a secure individual" is a person who has security.
PERSON_NOUNS = frozenset("""individual individuals person persons people child children adult adults infant
infants mind minds self selves client clients patient patients""".split())

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")
_POSSESSIVE = re.compile(r"^(.*?)(['’]s)$", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    """A word or a punctuation mark, with its offsets in the text it came from."""

    text: str
    start: int
    end: int
    tag: str  # DET PREP CONJ PRON AUX ADV ADJ NOUN VERB PART POSS NUM PUNCT

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.tag not in ("PUNCT",)


@dataclass(frozen=True)
class Phrase:
    """A noun phrase: token span [first, last] of its sentence, text offsets, and its words."""

    first: int
    last: int
    start: int
    end: int
    text: str
    head: int  # index of the head noun (the last noun before any attached complement)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Words and punctuation of ``text`` with offsets (plus ``offset``), each given a word class.

    >>> [(t.text, t.tag) for t in tokenize("The secure base fosters exploration.")]
    [('The', 'DET'), ('secure', 'ADJ'), ('base', 'NOUN'), ('fosters', 'VERB'), ('exploration', 'NOUN'), ('.', 'PUNCT')]
    """
    raw: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(text):
        word, start = match.group(0), match.start()
        possessive = _POSSESSIVE.match(word)
        if possessive and len(possessive.group(1)) > 1:
            raw.append((possessive.group(1), start, start + len(possessive.group(1))))
            raw.append((possessive.group(2), start + len(possessive.group(1)), match.end()))
        else:
            raw.append((word, start, match.end()))
    classes = [word_classes(w) for w, _, _ in raw]
    tags: list[str] = []
    for i, (word, _, _) in enumerate(raw):
        before = raw[i - 1][0].lower() if i else ""
        after = classes[i + 1] if i + 1 < len(raw) else frozenset()
        after_word = raw[i + 1][0].lower() if i + 1 < len(raw) else ""
        tags.append(_choose(word, classes[i], before, tags[-1] if tags else "", after, after_word))
        if (tags[-1] == "VERB" and word.lower().endswith("ing") and len(tags) > 1 and tags[-2] in ("ADJ", "NOUN")
                and "ADJ" in classes[i - 1] and not after & {"NOUN", "ADJ"} and after_word not in DETERMINERS):
            tags[-2:] = ["ADJ", "NOUN"]  # a gerund ending a phrase: "human flourishing", "emotional numbing"
    for i, (word, _, _) in enumerate(raw):
        # A gerund that opens a clause before its verb is the clause's subject: "Mentoring
        # provides a secure base", "..., and mentoring fosters self-efficacy".
        if (tags[i] == "VERB" and word.lower().endswith("ing") and i + 1 < len(raw) and tags[i + 1] in ("VERB", "AUX")
                and not raw[i + 1][0].lower().endswith(("ing", "ed")) and (i == 0 or raw[i - 1][0].lower() in
                                                                         ("and", "or", ",", ";", "but"))):
            tags[i] = "NOUN"
    tokens = [Token(word, start + offset, end + offset, tag) for (word, start, end), tag in zip(raw, tags, strict=True)]
    return tokens


def noun_phrases(tokens: list[Token]) -> list[Phrase]:
    """Maximal runs of modifiers ending in a noun, without leading determiners.

    >>> toks = tokenize("a comforting and consistently approving support system")
    >>> [p.text for p in noun_phrases(toks)]
    ['approving support system']
    """
    phrases, i = [], 0
    while i < len(tokens):
        if tokens[i].tag not in ("ADJ", "NOUN"):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].tag in ("ADJ", "NOUN"):
            j += 1
        last = j
        while last >= i and tokens[last].tag != "NOUN":
            last -= 1
        if last >= i:
            phrases.append(_phrase(tokens, i, last, last))
        i = j + 1
    return phrases


def elliptical(tokens: list[Token], phrases: list[Phrase] | None = None) -> list[Phrase]:
    """The names a coordination of modifiers shares one noun among: "avoidant or anxious
    attachment" names avoidant attachment too, "complex, repeated or prolonged trauma" complex and
    repeated trauma. Only with "or", which offers alternatives, so kinds: with "and" the modifiers
    are as often properties of one thing ("a stable and flexible affective life", "consistent,
    sensitive, and responsive caregiving"). Each such phrase spans from its own modifier to the
    shared noun, and its text is the name without the other conjuncts.

    >>> toks = tokenize("such as avoidant or anxious attachment")
    >>> [(p.text, toks[p.first].text, toks[p.last].text) for p in elliptical(toks)]
    [('avoidant attachment', 'avoidant', 'attachment')]
    """
    out = []
    for phrase in noun_phrases(tokens) if phrases is None else phrases:
        first = phrase.first
        if first >= 3 and tokens[first - 1].tag == "VERB" and _modifier_like(tokens[first - 1]) \
                and tokens[first - 2].lower in ("or",) and tokens[first - 3].tag == "ADJ":
            first -= 1  # "inconsistent or rejecting care": the participle the chunker left out
            out.append(_phrase(tokens, first, phrase.last, phrase.head))
        if phrase.head == first or not _modifier_like(tokens[first]):
            continue  # the right conjunct is a modifier and the noun it shares
        k = first - 1
        if k < 1 or tokens[k].lower not in ("or",):
            continue
        k -= 1 if tokens[k - 1].text != "," else 2
        shared = " ".join(t.text for t in tokens[first + 1:phrase.last + 1])
        while k >= 0 and _modifier_like(tokens[k]) and not (k and tokens[k - 1].tag in ("ADJ", "NOUN")):
            if tokens[k].lower not in EVALUATIVE:  # a grade makes no kind of the noun
                out.append(Phrase(k, phrase.last, tokens[k].start, phrase.end, f"{tokens[k].text} {shared}",
                                  phrase.head))
            if k >= 2 and tokens[k - 1].text == ",":
                k -= 2
            else:
                break
    return sorted(out, key=lambda p: p.start)


def _modifier_like(token: Token) -> bool:
    """A word that can modify a noun: an adjective ("complex", read as a noun before "or"), a
    participle ("rejecting"), or a word the lexicon lacks that ends like an adjective
    ("avoidant"); not a gerund or a noun ("self-soothing and independent coping", "approval and
    positive regard")."""
    lower = token.lower
    if token.tag == "ADJ":
        return True
    if token.tag == "VERB":
        return lower.endswith(("ing", "ed"))
    if token.tag != "NOUN" or lower.endswith("ing"):
        return False
    return "ADJ" in word_classes(lower) or (not _lexicon(lower) and lower.endswith(_ADJECTIVE_ENDINGS))


def variants(tokens: list[Token], phrase: Phrase) -> list[Phrase]:
    """The phrase, its shorter forms that keep the head ("support system", "system"), and each
    of them with an attached complement ("absence of danger") when one follows."""
    out = [_phrase(tokens, first, phrase.last, phrase.head) for first in range(phrase.first, phrase.last + 1)
           if tokens[first].tag in ("ADJ", "NOUN")]
    complement = _complement(tokens, phrase.last) if tokens[phrase.last].lower not in LIGHT_NOUNS else None
    if complement is not None:
        out = [_phrase(tokens, p.first, complement, p.head) for p in out if p.last - p.first < 3] + out
    return out


def _complement(tokens: list[Token], last: int) -> int | None:
    """The end of "of/in/... (the) NOUN-PHRASE" right after ``last``, or None."""
    k = last + 1
    if k >= len(tokens) or tokens[k].lower not in ATTACHING:
        return None
    k += 1
    if k < len(tokens) and tokens[k].lower in ("the", "a", "an"):
        k += 1
    end = None
    while k < len(tokens) and tokens[k].tag in ("ADJ", "NOUN") and k - last <= 5:
        if tokens[k].tag == "NOUN":
            end = k
        k += 1
    return end


def _phrase(tokens: list[Token], first: int, last: int, head: int) -> Phrase:
    start, end = tokens[first].start, tokens[last].end
    text = " ".join(t.text for t in tokens[first:last + 1])
    return Phrase(first, last, start, end, text, head)


def fold(name: str) -> str:
    """The key under which names of one concept meet: lower case, hyphens as spaces, no leading
    article, each word's plural folded to its singular.

    >>> fold("The Internal Working Models") == fold("internal working model")
    True
    >>> fold("self-efficacy"), fold("defenses"), fold("anxieties")
    ('self efficacy', 'defense', 'anxiety')
    """
    words = re.findall(r"[a-z0-9]+", name.lower().replace("’", "'").replace("'s", ""))
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(singular(w) for w in words)


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """A noun's singular from the lexicon, or the word itself when it is not a known plural."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith("ss"):
        return word
    lemmas = _lexicon(word)
    if "NOUN" in lemmas:
        return lemmas["NOUN"][0]
    if lemmas:
        return word
    from lemminflect import getAllLemmasOOV

    return getAllLemmasOOV(word, "NOUN").get("NOUN", (word,))[0]


@lru_cache(maxsize=65536)
def _lexicon(word: str) -> dict:
    from lemminflect import getAllLemmas

    return getAllLemmas(word)


@lru_cache(maxsize=65536)
def word_classes(word: str) -> frozenset:
    """The classes a word can have: one closed class, or those the lexicon gives it.

    >>> sorted(word_classes("support")), sorted(word_classes("of")), sorted(word_classes("self-soothing"))
    (['NOUN', 'VERB'], ['PREP'], ['ADJ', 'NOUN', 'VERB'])
    """
    lower = word.lower().replace("’", "'")
    if not re.match(r"[a-z0-9]", lower):
        return frozenset({"PUNCT"})
    if lower in ("'s",):
        return frozenset({"POSS"})
    if lower.isdigit():
        return frozenset({"NUM"})
    for name, words in (("DET", DETERMINERS), ("PREP", PREPOSITIONS), ("CONJ", CONJUNCTIONS),
                        ("PRON", PRONOUNS), ("AUX", AUXILIARIES), ("PART", PARTICLES)):
        if lower in words:
            return frozenset({name})
    found = set(_lexicon(lower))
    if not found and "-" in lower:
        found = set(_lexicon(lower.rsplit("-", 1)[1]))
        if found & {"VERB"} and lower.rsplit("-", 1)[1].endswith(("ing", "ed")):
            found |= {"ADJ"}  # "anxiety-provoking", "threat-based": compound participles modify
        if not found or found <= {"VERB", "ADJ"} and lower.endswith("ing"):
            found.add("NOUN")  # "self-soothing", "risk-taking"
    if not found:
        found = {"ADV"} if lower.endswith("ly") and len(lower) > 4 else {"NOUN"}
    found &= {"NOUN", "PROPN", "ADJ", "VERB", "ADV", "NUM"}
    if "PROPN" in found:
        found = (found - {"PROPN"}) | {"NOUN"}
    return frozenset(found or {"NOUN"})


_ADJECTIVE_ENDINGS = ("al", "ive", "ous", "ic", "able", "ible", "ful", "less", "ent", "ant", "ary", "ical", "ish")


def _choose(word: str, classes: frozenset, before: str, before_tag: str, after: frozenset, after_word: str) -> str:
    """One class for a word of several, from its neighbours and its ending."""
    lower = word.lower()
    if len(classes) == 1:
        (only,) = classes
        return _participle(lower, before, before_tag, after) if only == "VERB" else only
    if "NOUN" in classes and "VERB" in classes:
        if (before == "to" or before in AUXILIARIES - BE_FORMS or before in PRONOUNS - {"one"}
                or before_tag == "PART" and before not in ("up", "out", "back", "away", "down", "off")):
            return "VERB"  # "to manage", "they expect", "also known as"
        if lower.endswith("s") and after_word == "to" and before_tag in ("PUNCT", "ADV", "PART"):
            return "VERB"  # "exploration, also called venturing out, leads to mastery"
        if lower.endswith("ing") and before_tag not in ("DET", "ADJ", "POSS", "NUM") and after & {"NOUN", "ADJ"}:
            return "VERB"  # "the core engine driving psychological security", "maintaining reliable ..."
        if before in ("that", "which", "who") and after & {"NOUN", "ADJ"} | {"DET"}:
            return "VERB"  # "occurrences that boost ego sturdiness"
        if (before_tag == "NOUN" and after_word in DETERMINERS | PRONOUNS
                or before_tag == "ADV" and after & {"NOUN", "ADJ"}):
            return "VERB"  # "caregivers shape the way", "people rarely try new tasks"
        if lower.endswith("s") and (before_tag == "ADV" or before_tag == "NOUN" and after_word in DETERMINERS
                                    or before_tag == "NOUN" and after & {"NOUN", "ADJ"} and not after <= {"VERB"}
                                    and after_word not in PREPOSITIONS):
            return "VERB"  # "directly challenges feelings", "the therapist models reliability"
        if (lower.endswith("s") and before_tag in ("NOUN", "ADJ")
                and (after & {"ADJ", "ADV"} and not after & {"NOUN"} or after_word in DETERMINERS | PRONOUNS
                     or after_word in ("as", "to", "that", "into", "up"))):
            return "VERB"  # "assurance serves as", "competence yields greater security"
    if (lower.endswith("ing") and "VERB" in classes and before in (",", "—", "–") and after & {"NOUN", "ADJ"}
            and after_word not in ("and", "or")):
        return "VERB"  # a participle opening a clause: "..., enabling genuine intimacy"
    if "ADV" in classes and (lower.endswith("ly") or not classes & {"NOUN", "ADJ"}):
        return "ADJ" if "ADJ" in classes and after & {"NOUN"} and not after <= {"VERB"} else "ADV"
    if "ADJ" in classes and "NOUN" in classes:
        if lower.endswith(_ADJECTIVE_ENDINGS) or after & {"NOUN"} and not after <= {"VERB"}:
            return "ADJ"
        return "NOUN"
    for tag in ("NOUN", "ADJ"):
        if tag in classes:
            return tag
    if "VERB" in classes:
        return _participle(lower, before, before_tag, after)
    return sorted(classes)[0]


def _participle(lower: str, before: str, before_tag: str, after: frozenset) -> str:
    """A verb form that modifies the noun after it ("perceived vulnerability", "the surrounding
    environment") is an adjective here; after a form of "be", or taking an object, it is a verb."""
    if not after & {"NOUN", "ADJ"} or after <= {"VERB"} or before in AUXILIARIES:
        return "VERB"
    if lower.endswith("ing"):
        return "ADJ" if before_tag in ("DET", "ADJ", "POSS", "NUM", "ADV") else "VERB"
    if lower.endswith(("ed", "en")):
        return "ADJ"
    return "VERB"


def qualitative(word: str) -> bool:
    """An adjective that describes rather than classifies: "rigid", "reliable", "repeated" say
    what something is like; "psychological", "interpersonal", "chronic", made from nouns (mostly
    with -al, -ic, -ary), say what kind it is, and so does a verb's participle that the lexicon
    knows only as a verb form ("perceived vulnerability", "disorganized attachment"): those make
    names of kinds.

    >>> [qualitative(w) for w in ("rigid", "repeated", "psychological", "chronic", "internal", "perceived")]
    [True, True, False, False, False, False]
    """
    lower = word.lower()
    classes = word_classes(lower)
    return "NOUN" not in classes and "ADJ" in classes and not lower.endswith(("al", "ic", "ary"))


_NOMINAL_ENDINGS = (("ure", ("urity",)), ("ous", ("ety", "ousness")), ("ent", ("ence", "ency")),
                    ("ant", ("ance", "ancy")), ("able", ("ability",)), ("ible", ("ibility",)),
                    ("ive", ("ivity", "iveness")), ("al", ("ality",)), ("ic", ("icity",)), ("ful", ("fulness",)))


def nominalizations(adjective: str) -> list[str]:
    """The nouns that may name an adjective's quality, to look up among known names (a form that
    is no word finds nothing there).

    >>> nominalizations("secure"), nominalizations("anxious"), nominalizations("stable")
    (['security', 'secureness'], ['anxiety', 'anxiousness'], ['stability', 'stableness'])
    """
    lower = adjective.lower()
    out = []
    for ending, nouns in _NOMINAL_ENDINGS:
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            stem = lower[: len(lower) - len(ending)]
            out += [stem + noun for noun in nouns]
    return list(dict.fromkeys([*out, lower + "ness"]))
