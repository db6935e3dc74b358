"""Refusals of supervisory review actions, each with a stable code (docs/adr/0035)."""

from srmt.core.errors import DomainError


class OwnResponse(DomainError):
    """Four eyes: nobody decides on a response they wrote."""

    code = "own_response"
    http_status = 403


class NotAuthor(DomainError):
    """Only the author revises and resubmits a returned response."""

    code = "not_author"
    http_status = 403


class AlreadyDecided(DomainError):
    code = "already_decided"
    http_status = 409


class NotReturned(DomainError):
    """Only a returned response is resubmitted."""

    code = "not_returned"
    http_status = 409


class ResponseInReview(DomainError):
    """A request with a response in review takes no other response until it is decided."""

    code = "response_in_review"
    http_status = 409


class InvalidDecision(DomainError):
    code = "invalid_decision"


class CommentRequired(DomainError):
    code = "comment_required"


class InvalidReviewText(DomainError):
    code = "invalid_body"


class BodyUnchanged(DomainError):
    """An edit or a revision that changes nothing is refused: say approve, or revise."""

    code = "body_unchanged"
