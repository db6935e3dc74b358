"""The new-information check (issue 10, §2; docs/adr/0034): does a response tell the customer
something concrete about their case that they did not already have?

Pure: no database. Each sentence of the response is analysed (srmt.quality.text) and compared
with what the customer already has (the `AssessmentContext`):

1. a sentence that matches one of a template's sentences (placeholders are wildcards): template;
2. a greeting, a closing or a thank-you, or a sentence with no content word: generic;
3. a sentence whose key is in responses to many different cases: common_phrase;
4. otherwise its *news weight* is what is left once everything known is taken out: each
   content word that is not generic, not in the case record, not in the customer's request,
   not in an earlier response counts 1; each past-tense report of an action taken ("we
   scheduled", "transferimos") 1; each date or time that the customer does not already have 2,
   another number 1. A promise or a condition ("if we need...", "once a decision is made")
   weighs nothing. A sentence weighing at least NEWS_WEIGHT is new;
5. a sentence that is not new says why: prior_response (its content is in an earlier
   response), customer_request, case_record (it echoes their facts), or generic.

Score: n_new / (n_new + sqrt(n_other)), 0 when nothing is new, 1 when everything is. One new
sentence among 16 others scores 0.2, among 32 others 0.15 (the default threshold): boilerplate
around real news does not hide it. The form-letter warning is `score < threshold`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from srmt.quality import lexicon
from srmt.quality.text import Analysis, analyse, canonical, sentence_key, split_sentences
from srmt.quality.types import Assessment, AssessmentContext, SentenceVerdict, Why

__all__ = ["NEWS_WEIGHT", "assess", "score", "sentence_key", "split_sentences"]

NEWS_WEIGHT = 2.0
# A response sentence matches a template sentence when this share of its content words is in
# the template sentence (wildcards standing for the rest), and this share of the template
# sentence's words is in it.
TEMPLATE_SENTENCE_SHARE = 0.75
TEMPLATE_COVERED_SHARE = 0.6
# Facts that are never news: how long things take, how to reach the agency.
NOT_NEWS_FACTS = ("duration:", "contact:")
# Words a wildcard may stand for (a name, an office, a form's title).
WILDCARD_WORDS = 6
# A sentence repeats an earlier response when this share of its remaining content (words that
# are not generic) and all its facts are in that response.
PRIOR_SHARE = 0.6


@lru_cache(maxsize=2)
def _generic(language: str) -> frozenset[str]:
    return frozenset(canonical(word, language) for word in lexicon.GENERIC) - _specific(language)


@lru_cache(maxsize=2)
def _specific(language: str) -> frozenset[str]:
    return frozenset(canonical(word, language) for word in lexicon.SPECIFIC)


@dataclass(frozen=True)
class _Known:
    """What the customer already has, as words and facts."""

    request_words: frozenset[str]
    request_facts: frozenset[str]
    record_words: frozenset[str]
    record_facts: frozenset[str]
    prior: tuple[tuple[frozenset[str], frozenset[str]], ...]  # per earlier response
    prior_words: frozenset[str]
    prior_facts: frozenset[str]


def _text_words(texts: Iterable[str], language: str) -> tuple[frozenset[str], frozenset[str]]:
    words: set[str] = set()
    facts: set[str] = set()
    for text in texts:
        text_words, text_facts = _one_text_words(text, language)
        words |= text_words
        facts |= text_facts
    return frozenset(words), frozenset(facts)


@lru_cache(maxsize=8192)
def _one_text_words(text: str, language: str) -> tuple[frozenset[str], frozenset[str]]:
    """The content words and facts of one text (cached: a request's earlier responses and its
    case record are compared again at every keystroke)."""
    words: set[str] = set()
    facts: set[str] = set()
    for sentence in split_sentences(text, language):
        analysis = analyse(sentence, language)
        words |= analysis.words
        facts |= analysis.facts
    return frozenset(words), frozenset(facts)


def _known(context: AssessmentContext) -> _Known:
    language = context.language
    request_words, request_facts = _text_words([context.customer_request], language)
    record_words, record_facts = _text_words(context.case_record, language)
    prior = tuple(_text_words([body], language) for body in context.prior_responses)
    prior_words = frozenset().union(*(words for words, _ in prior)) if prior else frozenset()
    prior_facts = frozenset().union(*(facts for _, facts in prior)) if prior else frozenset()
    return _Known(
        request_words,
        request_facts,
        record_words,
        record_facts,
        prior,
        prior_words,
        prior_facts,
    )


@lru_cache(maxsize=4096)
def _template_sentences(body: str, language: str) -> tuple[Analysis, ...]:
    return tuple(
        analysis
        for analysis in (analyse(s, language) for s in split_sentences(body, language))
        if analysis.words
    )


@dataclass(frozen=True)
class _TemplateIndex:
    sentences: tuple[Analysis, ...]
    by_word: dict[str, tuple[int, ...]]


@lru_cache(maxsize=16)
def _template_index(templates: tuple[str, ...], language: str) -> _TemplateIndex:
    sentences: list[Analysis] = []
    seen: set[Analysis] = set()
    for body in templates:
        for analysis in _template_sentences(body, language):
            if analysis not in seen:
                seen.add(analysis)
                sentences.append(analysis)
    by_word: dict[str, list[int]] = {}
    for number, analysis in enumerate(sentences):
        for word in analysis.words:
            by_word.setdefault(word, []).append(number)
    return _TemplateIndex(tuple(sentences), {w: tuple(ns) for w, ns in by_word.items()})


def _matches_template(sentence: Analysis, index: _TemplateIndex, known: _Known) -> bool:
    """Whether a template sentence says this sentence (placeholders standing for its blanks)."""
    if not sentence.words:
        return False
    candidates: dict[int, int] = {}
    for word in sentence.words:
        for number in index.by_word.get(word, ()):
            candidates[number] = candidates.get(number, 0) + 1
    size = len(sentence.words)
    # A placeholder is filled from the request, the case, the office: it may stand for their
    # words (a name, a form's title, an office), never for anything else.
    fillers = sentence.words & (known.record_words | known.request_words | sentence.proper)
    for number, shared in candidates.items():
        template = index.sentences[number]
        if template.wildcards:
            filled = len(fillers - template.words)
            absorbed = min(filled, WILDCARD_WORDS * template.wildcards)
        else:
            absorbed = 0
        if (shared + absorbed) / size < TEMPLATE_SENTENCE_SHARE:
            continue
        if shared / len(template.words) < TEMPLATE_COVERED_SHARE:
            continue
        # Facts: those written in the template, or filled into its placeholders (the
        # template's variables are the request's, the case's and the published times).
        if template.wildcards == 0 and sentence.facts - template.facts:
            continue
        return True
    return False


def _verdict(
    text: str,
    context: AssessmentContext,
    known: _Known,
    templates: _TemplateIndex,
) -> SentenceVerdict:
    language = context.language
    analysis = analyse(text, language)
    if _matches_template(analysis, templates, known):
        return SentenceVerdict(text, False, Why.TEMPLATE)
    if analysis.courtesy or not (analysis.words or analysis.facts):
        return SentenceVerdict(text, False, Why.GENERIC)
    if context.is_common(sentence_key(text, language)):
        return SentenceVerdict(text, False, Why.COMMON_PHRASE)
    specific = analysis.words - _generic(language)
    own = specific - known.record_words - known.request_words
    fresh = own - known.prior_words
    known_facts = known.record_facts | known.request_facts | known.prior_facts
    unknown_facts = frozenset(
        fact for fact in analysis.facts - known_facts if not fact.startswith(NOT_NEWS_FACTS)
    )
    why = _set_aside(analysis, specific, fresh, unknown_facts, known, language)
    if why is not None:
        return SentenceVerdict(text, False, why)
    if _is_news(analysis, fresh, unknown_facts, known, language):
        return SentenceVerdict(text, True, None)
    return SentenceVerdict(text, False, _why_not_new(analysis, specific, own, known))


def _dated(facts: frozenset[str]) -> int:
    return sum(1 for fact in facts if fact.startswith(("date:", "time:")))


def _set_aside(
    analysis: Analysis,
    specific: frozenset[str],
    fresh: frozenset[str],
    unknown_facts: frozenset[str],
    known: _Known,
    language: str,
) -> Why | None:
    """Sentences that are not news whatever their words, unless they name a new date: an echo
    of the customer ("you asked..."), a standing instruction ("please bring your passport",
    "mail your evidence to...", unless it names a specific thing), a repeat announced ("as we
    told you") or recognised (_repeats_prior)."""
    dated = _dated(unknown_facts)
    if analysis.echo and not dated:
        return Why.CUSTOMER_REQUEST
    if analysis.instruction and not unknown_facts:
        return Why.GENERIC
    if analysis.sending and not unknown_facts and not analysis.words & _specific(language):
        return Why.GENERIC
    if known.prior and analysis.refers_back and not dated:
        return Why.PRIOR_RESPONSE
    if _repeats_prior(analysis, specific, fresh, unknown_facts, known, language):
        return Why.PRIOR_RESPONSE
    return None


def _is_news(
    analysis: Analysis,
    fresh: frozenset[str],
    unknown_facts: frozenset[str],
    known: _Known,
    language: str,
) -> bool:
    """Concrete, and weighing at least NEWS_WEIGHT once everything known is taken out."""
    dated = _dated(unknown_facts)
    told = known.request_words | known.prior_words | known.record_words
    news_bonus = analysis.addressed and any(
        canonical(word, language) not in told for word in analysis.news_words
    )
    # Something concrete the customer does not have: a date, a number, a thing of their case
    # ("your interview", "su tarjeta"...) or a place or office by name, an action reported.
    specific = _specific(language)
    # An action reported on a thing of their case ("we ordered your card") is news even when
    # the thing is known; on anything else ("we forwarded your inquiry") it needs more.
    on_their_thing = analysis.personal and bool(analysis.words & specific)
    # A number (not a date) is about their case only in a sentence addressed to them.
    about_them = analysis.personal or analysis.addressed
    concrete = bool(
        dated
        or (unknown_facts and about_them)
        or (analysis.personal and fresh & (specific | analysis.proper))
        or (news_bonus and (fresh or on_their_thing))
    )
    if analysis.conditional:
        # A promise or a rule ("if we need more evidence, we will write", "if your trip
        # cannot wait, an emergency appointment may be an option"): only a date the customer
        # does not have makes it news.
        weight = 2.0 * dated
    else:
        weight = len(fresh) + 2.0 * dated + (len(unknown_facts) - dated)
        if news_bonus:
            weight += 2.0 if on_their_thing else 1.0  # an action reported as done
    return concrete and weight >= NEWS_WEIGHT


def _repeats_prior(
    analysis: Analysis,
    specific: frozenset[str],
    fresh: frozenset[str],
    unknown_facts: frozenset[str],
    known: _Known,
    language: str,
) -> bool:
    """Whether the sentence repeats an earlier response's news in other words.

    Anchored on a date already given: the same dated facts as an earlier response, some of
    its content, and at most one specific thing it did not say. Without a date: most of its
    content (and at least two words) in one earlier response, and no action it did not report.
    """
    if unknown_facts or len(fresh & _specific(language)) > 1:
        return False
    dated = {fact for fact in analysis.facts if fact.startswith(("date:", "time:"))}
    if dated:
        return any(dated & facts and specific & words for words, facts in known.prior)
    if any(canonical(word, language) in fresh for word in analysis.news_words):
        return False
    return bool(specific) and any(
        len(specific & words) >= 2 and len(specific & words) / len(specific) >= PRIOR_SHARE
        for words, _ in known.prior
    )


def _why_not_new(
    analysis: Analysis, specific: frozenset[str], own: frozenset[str], known: _Known
) -> Why:
    """Which of the customer's sources this sentence echoes (it is not new)."""
    facts = analysis.facts
    for words, prior_facts in known.prior:
        if (
            (own & words or facts & prior_facts)
            and facts <= prior_facts | known.record_facts | known.request_facts
            and (not own or len(own & words) / len(own) >= PRIOR_SHARE)
        ):
            return Why.PRIOR_RESPONSE
    if (specific & known.request_words and not specific & known.record_words) or (
        facts & known.request_facts and not facts & known.record_facts
    ):
        return Why.CUSTOMER_REQUEST
    if specific & known.record_words or facts & known.record_facts:
        return Why.CASE_RECORD
    if specific & known.request_words or facts & known.request_facts:
        return Why.CUSTOMER_REQUEST
    return Why.GENERIC


def score(verdicts: Sequence[SentenceVerdict]) -> float:
    """n_new / (n_new + sqrt(n_other)): 0 when nothing is new, 1 when everything is."""
    new = sum(1 for verdict in verdicts if verdict.new)
    if new == 0:
        return 0.0
    other = len(verdicts) - new
    return new / (new + math.sqrt(other))


def assess(body: str, context: AssessmentContext, *, threshold: float) -> Assessment:
    """Score `body` against what the customer already has, sentence by sentence."""
    language = "es" if context.language == "es" else "en"
    if language != context.language:
        context = AssessmentContext(
            language=language,
            templates=context.templates,
            prior_responses=context.prior_responses,
            customer_request=context.customer_request,
            case_record=context.case_record,
            is_common=context.is_common,
        )
    known = _known(context)
    templates = _template_index(tuple(context.templates), language)
    verdicts = tuple(
        _verdict(sentence, context, known, templates)
        for sentence in split_sentences(body, language)
    )
    value = round(score(verdicts), 4)
    return Assessment(
        new_information=value,
        form_letter=value < threshold,
        threshold=threshold,
        sentences=verdicts,
    )
