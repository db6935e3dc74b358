"""The refusals of national QA review, each with a stable code (API problem `code`)."""

from __future__ import annotations

from srmt.core.errors import DomainError
from srmt.service_requests.policies import PermissionDenied


class QaDenied(PermissionDenied):
    """A visible QA object the actor may not act on: 403 in the API and on the pages."""


class OwnOffice(QaDenied):
    code = "own_office"


class NotYourAssignment(QaDenied):
    code = "not_your_assignment"


class NotResponder(QaDenied):
    code = "not_responder"


class OwnEvaluation(QaDenied):
    code = "own_evaluation"


class NotCleared(QaDenied):
    code = "not_cleared"


class SampleExists(DomainError):
    code = "sample_exists"
    http_status = 409


class WeekNotOver(DomainError):
    code = "week_not_over"


class AlreadyAssigned(DomainError):
    code = "already_assigned"
    http_status = 409


class AlreadyEvaluated(DomainError):
    code = "already_evaluated"
    http_status = 409


class AlreadyDisputed(DomainError):
    code = "already_disputed"
    http_status = 409


class AlreadyDecided(DomainError):
    code = "already_decided"
    http_status = 409


class InvalidScores(DomainError):
    code = "invalid_scores"


class InvalidDispute(DomainError):
    code = "invalid_dispute"


class NoScorecard(DomainError):
    code = "no_scorecard"
    http_status = 409
