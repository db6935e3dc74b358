"""The Case Status API in openapi.yaml (ADR 0041).

Its two endpoints are plain Django views at the agency's paths, outside /api/v1/ and DRF, so
drf-spectacular does not discover them: this postprocessing hook adds them, with the OAuth 2
client credentials security scheme and every response they give.
"""

from __future__ import annotations

from typing import Any

SCHEME = "caseStatusOAuth"


def _json(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


SCHEMAS: dict[str, Any] = {
    "CaseStatusToken": {
        "type": "object",
        "description": "An access token, in the agency's (Apigee's) shape: every value a string.",
        "properties": {
            "access_token": _string("The bearer token."),
            "token_type": _string("Always Bearer.", enum=["Bearer"]),
            "expires_in": _string("Seconds the token lives, as a string (1799)."),
            "issued_at": _string("When it was issued, epoch milliseconds, as a string."),
            "status": _string("Always approved.", enum=["approved"]),
        },
        "required": ["access_token", "token_type", "expires_in", "issued_at", "status"],
        "additionalProperties": False,
    },
    "OAuthError": {
        "type": "object",
        "description": "An OAuth 2.0 error (RFC 6749, section 5.2).",
        "properties": {
            "error": _string("invalid_client, invalid_request, unsupported_grant_type, ..."),
            "error_description": _string("What went wrong."),
        },
        "required": ["error"],
    },
    "CaseStatusHistoryItem": {
        "type": "object",
        "properties": {
            "date": _string("YYYY-MM-DD", format="date"),
            "completed_text_en": _string("The status's title in English."),
            "completed_text_es": _string("The status's title in Spanish."),
        },
        "required": ["date", "completed_text_en", "completed_text_es"],
        "additionalProperties": False,
    },
    "CaseStatus": {
        "type": "object",
        "properties": {
            "receiptNumber": _string("The receipt number, 3 letters and 10 digits."),
            "formType": _string("The form, for example I-130."),
            "submittedDate": _string("MM-DD-YYYY HH:mm:ss; absent for IOE receipts."),
            "modifiedDate": _string("MM-DD-YYYY HH:mm:ss; absent for IOE receipts."),
            "current_case_status_text_en": _string("The current status's title in English."),
            "current_case_status_desc_en": _string("Its plain-language description in English."),
            "current_case_status_text_es": _string("The current status's title in Spanish."),
            "current_case_status_desc_es": _string("Its plain-language description in Spanish."),
            "hist_case_status": {
                "type": "array",
                "nullable": True,
                "description": "The earlier statuses, oldest first; null when there are none.",
                "items": {"$ref": "#/components/schemas/CaseStatusHistoryItem"},
            },
        },
        "required": [
            "receiptNumber",
            "formType",
            "current_case_status_text_en",
            "current_case_status_desc_en",
            "current_case_status_text_es",
            "current_case_status_desc_es",
            "hist_case_status",
        ],
        "additionalProperties": False,
    },
    "CaseStatusAnswer": {
        "type": "object",
        "properties": {
            "message": _string("A short message."),
            "case_status": {"$ref": "#/components/schemas/CaseStatus"},
        },
        "required": ["message", "case_status"],
        "additionalProperties": False,
    },
    "CaseStatusError": {
        "type": "object",
        "description": "404 (unknown receipt number, or one that cannot be shown) and 422.",
        "properties": {
            "message": _string("What went wrong."),
            "case_status": {"type": "object", "nullable": True, "description": "Always null."},
        },
        "required": ["message", "case_status"],
        "additionalProperties": False,
    },
    "GatewayFault": {
        "type": "object",
        "description": "401 and 429, as the agency's API gateway (Apigee) answers them.",
        "properties": {
            "fault": {
                "type": "object",
                "properties": {
                    "faultstring": {"type": "string"},
                    "detail": {
                        "type": "object",
                        "properties": {"errorcode": {"type": "string"}},
                        "required": ["errorcode"],
                    },
                },
                "required": ["faultstring", "detail"],
            }
        },
        "required": ["fault"],
        "additionalProperties": False,
    },
}

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait: 1 over the rate a second, until midnight UTC over "
        "the daily quota.",
        "schema": {"type": "integer"},
    }
}

PATHS: dict[str, Any] = {
    "/oauth/accesstoken": {
        "post": {
            "operationId": "case_status_access_token",
            "summary": "Get a Case Status API access token (OAuth 2.0 client credentials)",
            "description": "grant_type=client_credentials, the client authenticating with "
            "HTTP Basic or with client_id and client_secret as form fields. Errors are "
            "standard OAuth 2.0 errors. Plain HTTP is refused except on a loopback address.",
            "tags": ["case-status"],
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "grant_type": {"type": "string", "enum": ["client_credentials"]},
                                "client_id": {"type": "string"},
                                "client_secret": {"type": "string"},
                            },
                            "required": ["grant_type"],
                        }
                    }
                },
            },
            "responses": {
                "200": _json("CaseStatusToken", "The token."),
                "400": _json("OAuthError", "A malformed request or another grant type."),
                "401": _json("OAuthError", "Unknown client or wrong secret."),
            },
        }
    },
    "/case-status/{receiptNumber}": {
        "get": {
            "operationId": "case_status_retrieve",
            "summary": "A case's status by receipt number (the agency's Case Status API)",
            "description": "The current status and its history in English and Spanish. A "
            "case that cannot be shown answers exactly as an unknown receipt number. Per "
            "client: 10 calls a second and 10,000 a day (UTC) by default.",
            "tags": ["case-status"],
            "security": [{SCHEME: []}],
            "parameters": [
                {
                    "name": "receiptNumber",
                    "in": "path",
                    "required": True,
                    "description": "3 letters and 10 digits, for example EAC9999103402.",
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": _json("CaseStatusAnswer", "The case's status."),
                "401": _json("GatewayFault", "No valid access token."),
                "404": _json("CaseStatusError", "No case status for this receipt number."),
                "422": _json("CaseStatusError", "Not a receipt number."),
                "429": {
                    **_json("GatewayFault", "Over the rate a second or the daily quota."),
                    "headers": RETRY_AFTER,
                },
            },
        }
    },
}


def add_case_status_api(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the Case Status API to the schema."""
    result.setdefault("paths", {}).update(PATHS)
    components = result.setdefault("components", {})
    components.setdefault("schemas", {}).update(SCHEMAS)
    components.setdefault("securitySchemes", {})[SCHEME] = {
        "type": "oauth2",
        "description": "OAuth 2.0 client credentials; clients are registered by administrators "
        "(`srmt api-client NAME`). See /developer/.",
        "flows": {"clientCredentials": {"tokenUrl": "/oauth/accesstoken", "scopes": {}}},
    }
    return result
