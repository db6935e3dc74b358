"""Text matching on each database: full-text search and trigram similarity on PostgreSQL,
a plain substring fallback on SQLite (docs/adr/0029-search.md).

The expressions here match the expression indexes created by this app's migrations
(0001_search_indexes) exactly, so that PostgreSQL can use them: keep the two in step.
"""

from __future__ import annotations

from functools import reduce
from operator import and_
from typing import Any, cast

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, Value, When

# 'simple': no stemming and no stop words, the same for English and Spanish text (ADR 29).
TEXT_SEARCH_CONFIG = "simple"
# How many of the most recent matching descriptions are ranked by text rank.
RANKED_CANDIDATES = 200


class DescriptionVector(Func):
    """to_tsvector('simple', description): the expression of the index sr_description_fts."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def prepare_connection() -> None:
    """In the search's transaction on PostgreSQL: no JIT compilation. The search's queries are
    short; compiling them (the planner asks for it on large tables) costs more than it saves.
    """
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def words_query(words: tuple[str, ...]) -> SearchQuery:
    """Every word, each also as a prefix ("interview" finds "interviews", "entrevista"
    "entrevistas"): a raw tsquery built only from \\w characters, so nothing the user typed
    is read as tsquery syntax."""
    raw = " & ".join(f"{word}:*" for word in words)
    return SearchQuery(raw, search_type="raw", config=TEXT_SEARCH_CONFIG)


def description_matches(qs: QuerySet[Any], words: tuple[str, ...]) -> QuerySet[Any]:
    """Requests whose description has every word; annotated with `text_rank` (0..1).

    On PostgreSQL the text rank is computed for the RANKED_CANDIDATES most recent matches
    only: a word found in a hundred thousand descriptions would otherwise have every one of
    them parsed again to be ranked (ADR 29)."""
    if is_postgresql():
        query = words_query(words)
        document = DescriptionVector(F("description"))
        recent = (
            qs.annotate(document=document)
            .filter(document=query)
            .order_by("-created_at")
            .values("pk")[:RANKED_CANDIDATES]
        )
        matching = qs.model.objects.filter(pk__in=recent)
        return cast("QuerySet[Any]", matching.annotate(text_rank=SearchRank(document, query)))
    condition = reduce(and_, (Q(description__icontains=w) for w in words))
    return cast("QuerySet[Any]", qs.filter(condition).annotate(text_rank=Value(0.0)))


def name_thresholds() -> tuple[float | None, ...]:
    """The trigram similarity thresholds to try, strictest first (None: no threshold, SQLite).

    A strict threshold keeps a common name ("Maria Garcia") to the close matches, cheaply; a
    short name with a typo ("Ana Peres" is 0.33 like "Ana Pérez") is found by the second."""
    return (0.5, 0.3) if is_postgresql() else (None,)


def name_matches(
    qs: QuerySet[Any], text: str, words: tuple[str, ...], *, threshold: float | None
) -> QuerySet[Any]:
    """People whose name is like `text` (or, for what looks like part of an email address,
    whose email address is), annotated with `name_rank` (0..1).

    PostgreSQL: trigram similarity of at least `threshold` (pg_trgm's % operator, served by
    the indexes person_name_trgm and person_email_trgm), which forgives a typo. SQLite: every
    word in the name or the email address, the exact name ranked first."""
    if is_postgresql():
        with connection.cursor() as cursor:  # for this transaction only (search.queries)
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)]
            )
        if "@" in text or ("." in text and " " not in text):
            similar = Q(email__trigram_similar=text)
            rank: Any = TrigramSimilarity("email", text)
        else:
            similar = Q(name__trigram_similar=text)
            rank = TrigramSimilarity("name", text)
        return cast("QuerySet[Any]", qs.filter(similar).annotate(name_rank=rank))
    in_name = reduce(and_, (Q(name__icontains=w) for w in words))
    in_email = reduce(and_, (Q(email__icontains=w) for w in words))
    exact_first = Case(
        When(Q(name__iexact=text), then=Value(1.0)),
        When(in_name, then=Value(0.5)),
        default=Value(0.4),
        output_field=FloatField(),
    )
    return cast("QuerySet[Any]", qs.filter(in_name | in_email).annotate(name_rank=exact_first))
