"""Text for the new-information check: sentences, words, facts, in English and Spanish.

Pure Python, no model: a sentence becomes a set of content words (lowercase, accents folded,
stop words dropped, lightly stemmed, synonyms of the domain's main things folded together)
and a set of facts (receipt numbers, dates, times, numbers), which are compared as facts, not
as words. A template placeholder `{{ name }}` becomes a wildcard.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from srmt.quality import lexicon

WILDCARD = "*"
# A greeting or a thank-you longer than this (or naming a date) may carry more: it is weighed.
COURTESY_WORDS = 8

_YES = re.compile(r"\b[sS][íÍ]\b")
_PLACEHOLDER = re.compile(r"\{\{\s*[\w.]+\s*\}\}")
_RECEIPT = re.compile(r"\b([a-z]{3})[-\s]?(\d{10})\b")
_FORM = re.compile(r"\b([a-z]{1,4})-?(\d{2,4}[a-z]?)\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
_TIME = re.compile(
    r"\b(\d{1,2})(?::(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)(?=\W|$)|\b(\d{1,2}):(\d{2})\b"
)
_MONTHS = "|".join(sorted(lexicon.MONTHS, key=len, reverse=True))
# "march 3, 2026", "march 3rd", "3 march 2026", "3 de marzo de 2026", "marzo 3".
_WORD_DATE_MD = re.compile(rf"\b({_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_WORD_DATE_DM = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|º|°)?\s+(?:de\s+|of\s+)?({_MONTHS})\b(?:,?\s+(?:de\s+|del\s+)?(\d{{4}}))?"
)
_CAPITALISED = re.compile(r"\b[A-ZÁÉÍÓÚÑ][\wáéíóúñü]*")
# "30 days", "7.5 months", "14 business days", "30 días hábiles": how long things take (a
# published time, a promise), not a fact of the case.
_DURATION = re.compile(
    r"\b(\d+(?:[.,]\d+)?)\s*(?:(?:to|and|a|y|-)\s*\d+(?:[.,]\d+)?\s*)?(?:business\s+|calendar\s+"
    r"|working\s+)?(days?|weeks?|months?|years?|hours?|dias?|semanas?|mes|meses|anos?|horas?)\b"
)
# "Cases filed before June 1, 2024 are being processed": the published cut-off, every letter's.
_CUTOFF = re.compile(
    r"\b(process|procesa|tramita)\w*\b.*\b(before|on or before|prior to|through|antes del?"
    r"|hasta el)\s+(the\s+)?(?=\w)"
)
# A telephone number, a P.O. box, a ZIP code after a state: how to reach the agency, which
# every letter gives, not a fact of the case.
_PHONE = re.compile(r"(?<![\w-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b")
_PO_BOX = re.compile(r"\b(?:p\.?\s?o\.?\s?box|apartado postal|casilla)\s*#?\s*\d+")
_ZIP = re.compile(r"\b(?:[a-z]{2}),?\s+\d{5}(?:-\d{4})?\b")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_WORD = re.compile(r"[a-z0-9ñ]+|\*")
_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"')\]]*\s+(?=[\"'(¿¡]?[A-ZÁÉÍÓÚÑ0-9¿¡])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[a-z]|p\.o|u\.s|mr|mrs|ms|dr|sr|sra|srta|no|núm|num|st|ave|etc|e\.g|i\.e|a\.m|p\.m|p\.ej|ud|uds|"
    r"vs|inc|dept|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|ene|abr|ago|dic)\.)$",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Lowercase with accents removed (ñ kept: año is not ano)."""
    text = text.lower().replace("ñ", "\0")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\0", "ñ")


def split_sentences(text: str, language: str) -> list[str]:
    """The sentences of `text`: lines, then ., !, ?, ; before a capital or digit.

    Abbreviations (U.S., Mr., a.m., No.) and decimals (8.5) do not end a sentence.
    """
    del language  # the same marks in both languages; abbreviations of both are known
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•*·").strip()
        if not line:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(line):
            candidate = line[start : match.start()].strip()
            if _ABBREVIATION.search(candidate) or not candidate:
                continue
            sentences.append(candidate)
            start = match.end()
        rest = line[start:].strip()
        if rest:
            sentences.append(rest)
    return sentences


def stem(word: str, language: str) -> str:
    """A light stem: plural and common verb and noun endings off, never below 3 letters."""
    if language == "en" and word.endswith("ss"):
        return word
    for suffix, replacement in lexicon.SUFFIXES[language]:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + replacement
            break
    if language == "en" and word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


@dataclass(frozen=True)
class Analysis:
    """One sentence, analysed: its content words (stems) and its facts."""

    words: frozenset[str]
    facts: frozenset[str]
    news_words: frozenset[str]  # words that report an action taken or a decision (past tense)
    addressed: bool  # speaks of this customer's case ("your", "we", "su", "usted", "-amos")
    personal: bool  # about the customer: "you", "your", "su", "usted"
    refers_back: bool  # "as we told you", "como le dijimos"
    wildcards: int
    conditional: bool  # "if we need...", "once a decision...": a promise, not a fact
    courtesy: bool  # a greeting, a closing, a thank-you, a signature
    echo: bool  # reports what the customer said ("you asked...", "entiendo que...")
    instruction: bool  # a standing instruction ("please bring your passport")
    sending: bool  # an instruction to send something ("mail your evidence to...")
    proper: frozenset[str]  # capitalised words inside the sentence (names of places, offices)


def _month(name: str) -> int:
    return lexicon.MONTHS[name]


def _date_fact(month: int, day: int) -> str | None:
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"date:{month:02d}-{day:02d}"
    return None


def extract_facts(folded: str, language: str = "en") -> tuple[str, set[str]]:
    """(text with its facts cut out, the facts). Receipt numbers, dates, times, numbers."""
    facts: set[str] = set()

    def cut(pattern: re.Pattern[str], make: object, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            fact = make(match)  # type: ignore[operator]
            if fact:
                facts.add(fact)
            return " "

        return pattern.sub(replace, text)

    if _CUTOFF.search(folded) and not lexicon.PERSONAL & set(_WORD.findall(folded)):
        folded = _WORD_DATE_MD.sub(" cutoff ", _WORD_DATE_DM.sub(" cutoff ", folded))
        folded = _SLASH_DATE.sub(" cutoff ", _ISO_DATE.sub(" cutoff ", folded))
    text = cut(_RECEIPT, lambda m: f"receipt:{m.group(1)}{m.group(2)}", folded)
    text = cut(_PHONE, lambda m: "contact:phone", text)
    text = cut(_PO_BOX, lambda m: "contact:box", text)
    text = cut(_ZIP, lambda m: "contact:zip", text)
    text = cut(_ISO_DATE, lambda m: _date_fact(int(m.group(2)), int(m.group(3))), text)
    # 6/10/2026 is June 10 in English, 6 October in Spanish.
    month, day = (2, 1) if language == "es" else (1, 2)
    text = cut(_SLASH_DATE, lambda m: _date_fact(int(m.group(month)), int(m.group(day))), text)
    text = cut(_TIME, _time_fact, text)
    text = cut(_WORD_DATE_MD, lambda m: _date_fact(_month(m.group(1)), int(m.group(2))), text)
    text = cut(_WORD_DATE_DM, lambda m: _date_fact(_month(m.group(2)), int(m.group(1))), text)
    text = cut(_FORM, _form_fact, text)
    text = cut(_DURATION, lambda m: f"duration:{m.group(1).replace(',', '.')}", text)
    text = cut(_NUMBER, lambda m: f"number:{m.group(0).replace(',', '.')}", text)
    return text, facts


def _time_fact(match: re.Match[str]) -> str:
    if match.group(4) is not None:
        hour, minute = int(match.group(4)), int(match.group(5))
    else:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3).startswith("p") and hour < 12:
            hour += 12
    return f"time:{hour:02d}{minute:02d}"


def _form_fact(match: re.Match[str]) -> str | None:
    prefix = match.group(1)
    if prefix not in lexicon.FORM_PREFIXES:
        return None
    return f"form:{prefix}{match.group(2)}"


@lru_cache(maxsize=16_384)
def analyse(sentence: str, language: str) -> Analysis:
    """Content words and facts of one sentence (cached: templates repeat)."""
    language = "es" if language == "es" else "en"
    # "Sí" (yes) is not "si" (if) once accents are folded.
    folded = fold(_YES.sub(" afirmativo ", _PLACEHOLDER.sub(f" {WILDCARD} ", sentence)))
    text, facts = extract_facts(folded, language)
    raw = _WORD.findall(text)
    stop = lexicon.STOP_WORDS
    words: set[str] = set()
    news: set[str] = set()
    wildcards = 0
    for at, token in enumerate(raw):
        if token == WILDCARD:
            wildcards += 1
            continue
        reflexive = token in lexicon.REFLEXIVE_NEWS and at > 0 and raw[at - 1] in ("se", "le")
        if (token in lexicon.NEWS_WORDS or reflexive) and not lexicon.MODALS & set(
            raw[max(0, at - 2) : at]
        ):
            news.add(token)
        if token in stop or len(token) < 2:
            continue
        words.add(canonical(token, language))
    forms = {fact for fact in facts if fact.startswith("form:")}
    first = raw[0] if raw else ""
    stripped = sentence.strip()
    signature = (
        len(words) <= 4
        and not stripped.endswith((".", "!", "?"))
        and not any(fact.startswith(("date:", "time:")) for fact in facts)
    )
    proper = {
        canonical(fold(word), language)
        for word in _CAPITALISED.findall(stripped)[1:]
        if fold(word) not in stop and len(word) > 1
    }
    return Analysis(
        words=frozenset(words | forms),
        facts=frozenset(facts - forms),
        news_words=frozenset(news),
        wildcards=wildcards,
        conditional=any(token in lexicon.CONDITIONAL_WORDS for token in raw[:2])
        or any(token in lexicon.CONDITIONAL_ANYWHERE[language] for token in raw)
        or bool(lexicon.CONDITIONAL_PHRASES.search(folded)),
        courtesy=signature
        or (
            (first in lexicon.COURTESY_OPENERS or bool(lexicon.COURTESY.match(folded)))
            and len(words) <= COURTESY_WORDS
            and not any(fact.startswith(("date:", "time:")) for fact in facts)
        ),
        echo=bool(lexicon.CUSTOMER_ECHO.match(folded.lstrip("¿¡\"'( "))),
        instruction=bool(lexicon.STANDING_INSTRUCTION.match(folded.lstrip("¿¡\"'( "))),
        sending=bool(lexicon.SENDING_INSTRUCTION.match(folded.lstrip("¿¡\"'( "))),
        proper=frozenset(proper) & frozenset(words),
        personal=any(token in lexicon.PERSONAL for token in raw),
        refers_back=bool(lexicon.REFERS_BACK.search(folded)),
        addressed=any(
            token in lexicon.ADDRESSING or token.endswith(("amos", "imos")) for token in raw
        ),
    )


def canonical(token: str, language: str) -> str:
    """A word's comparable form: its synonym group's name, else its light stem."""
    group = lexicon.EXACT_SYNONYMS.get(token) or lexicon.SYNONYMS.get(token)
    if group is not None:
        return group
    stemmed = stem(token, language)
    return lexicon.SYNONYMS.get(stemmed) or _STEM_SYNONYMS[language].get(stemmed, stemmed)


_STEM_SYNONYMS = {
    language: {stem(word, language): group for word, group in lexicon.SYNONYMS.items()}
    for language in ("en", "es")
}


def words_of(text: str, language: str) -> tuple[frozenset[str], frozenset[str]]:
    """All content words and facts of a longer text (a request, a record, a response)."""
    words: set[str] = set()
    facts: set[str] = set()
    for sentence in split_sentences(text, language):
        analysis = analyse(sentence, language)
        words |= analysis.words
        facts |= analysis.facts
    return frozenset(words), frozenset(facts)


def sentence_key(text: str, language: str) -> str:
    """The normalised key of a sentence for the common-phrase index.

    Its content words, sorted, and its facts, except receipt numbers (every case has its own,
    so a phrase naming one would never look common) and durations (the published times change
    every month): two wordings with the same words after
    folding and stemming share a key; a different date or number gives another key.
    """
    analysis = analyse(text, language)
    facts = sorted(f for f in analysis.facts if not f.startswith(("receipt:", "duration:")))
    return " ".join(sorted(analysis.words) + facts)
