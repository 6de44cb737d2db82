"""Request and response body schemas of the helpdesk APIs that cxdocs targets, as plain Python data.

Every schema below is JSON Schema (draft 2020-12) as a dict. Each was written from the vendor's
documentation or the vendor's maintained client, not from cxdocs' exporter code, and a comment
above it cites its source. All sources were read on 2026-12-03. README.md ("Helpdesk formats: what is
confirmed") marks each field and placeholder CONFIRMED or not, with the same sources.

Intended use: strict fake servers in tests. A fake validates the body it receives against
``SCHEMAS[(helpdesk, operation)]["request"]`` and answers with a body that satisfies
``["response"]``. Where the vendor docs leave something open, the schema follows the narrowest
reading the docs support, and the comment says so. ``additionalProperties: False`` means
"the documentation names no other writable field". The vendor's server may ignore extras, but a
strict fake should reject them so that a misspelt field (``answer`` for ``body``) fails in tests.

Policies that are cxdocs' own choices rather than vendor rules (for example "a reply macro must
not rename the ticket") live in ``CXDOCS_POLICIES``, kept apart from the vendor schemas.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"


# ----------------------------------------------------------------------------------------------
# Zendesk Support: macros
# ----------------------------------------------------------------------------------------------
# Sources:
#   https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/ (JSON format table:
#     actions array mandatory, title string mandatory, active bool, description string,
#     position integer, restriction object, where null means everyone)
#   Zendesk OAS, copied in github api-evangelist/zendesk @ aaa548006c2a565214393c59f5efd043897d839b
#     openapi/_original/macros-openapi-original.yml (POST/PUT body {"macro": MacroInput};
#     MacrosResponse = {macros: [...]} + OffsetPaginationObject {count, next_page, previous_page}).
#     MacroInput as generated from the same OAS: actions (required), active?,
#     description?: string|null, restriction?: {id?, ids?, type?}|null, title (required).
#   https://developer.zendesk.com/documentation/ticketing/reference-guides/actions-reference/
#     (action = {field: string, value: string}; some actions take arrays, e.g. comment_value
#     [channel, text]; comment_mode_is_public takes true/false)
#   https://developer.zendesk.com/api-reference/introduction/pagination/ (cursor form: meta/links)

ZENDESK_ACTION: Schema = {
    "type": "object",
    "required": ["field", "value"],
    "properties": {
        "field": {"type": "string", "minLength": 1},
        # The OAS types value as string. The actions reference documents array values
        # (comment_value [channel, text], notification_user [to, subject, body]) and true/false
        # for comment_mode_is_public, so all three forms are accepted.
        "value": {
            "anyOf": [
                {"type": "string"},
                {"type": "boolean"},
                {"type": "array", "items": {"type": "string"}},
            ]
        },
    },
    "additionalProperties": False,
}

ZENDESK_RESTRICTION: Schema = {
    # null means "unrestricted access for all users in the account" (macros JSON table).
    # type Group|User: CONFIRMED (secondary), from a summary of the Zendesk create-macro page.
    "anyOf": [
        {"type": "null"},
        {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"enum": ["Group", "User"]},
                "id": {"type": "integer"},
                "ids": {"type": "array", "items": {"type": "integer"}},
            },
            "additionalProperties": False,
        },
    ]
}

ZENDESK_MACRO_INPUT: Schema = {
    "type": "object",
    "required": ["title", "actions"],
    "properties": {
        # "::" in the title makes nested categories (Zendesk "Nested macros").
        # The maximum length is not documented.
        "title": {"type": "string", "minLength": 1},
        "actions": {"type": "array", "minItems": 1, "items": ZENDESK_ACTION},
        "active": {"type": "boolean"},
        "description": {"type": ["string", "null"]},
        "restriction": ZENDESK_RESTRICTION,
        # Writable per the docs' JSON table, though absent from OAS MacroInput.
        "position": {"type": "integer"},
    },
    "additionalProperties": False,
}

# POST /api/v2/macros and PUT /api/v2/macros/{macro_id} take the same envelope (OAS).
# Whether the live API accepts a PUT without title or actions is UNCONFIRMED, so the strict
# reading of OAS MacroInput is kept for both.
ZENDESK_CREATE_MACRO_REQUEST: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["macro"],
    "properties": {"macro": ZENDESK_MACRO_INPUT},
    "additionalProperties": False,
}
ZENDESK_UPDATE_MACRO_REQUEST: Schema = ZENDESK_CREATE_MACRO_REQUEST

# Response object (macros JSON table plus OAS MacroObject extras). The id is an integer.
ZENDESK_MACRO_OBJECT: Schema = {
    "type": "object",
    "required": ["id", "title", "actions"],
    "properties": {
        "id": {"type": "integer"},
        "url": {"type": "string"},
        "title": {"type": "string"},
        "raw_title": {"type": "string"},
        "actions": {"type": "array", "items": ZENDESK_ACTION},
        "active": {"type": "boolean"},
        "default": {"type": "boolean"},
        "description": {"type": ["string", "null"]},
        "position": {"type": "integer"},
        "restriction": ZENDESK_RESTRICTION,
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
        "app_installation": {"type": ["string", "null"]},
        "categories": {"type": ["string", "null"]},
        "permissions": {"type": ["string", "null"]},
        "usage_1h": {"type": "integer"},
        "usage_24h": {"type": "integer"},
        "usage_7d": {"type": "integer"},
        "usage_30d": {"type": "integer"},
    },
}

ZENDESK_MACRO_RESPONSE: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["macro"],
    "properties": {"macro": ZENDESK_MACRO_OBJECT},
}

# GET /api/v2/macros: offset pagination (the default) or cursor pagination (?page[size]=N, max 100).
ZENDESK_MACROS_LIST_RESPONSE: Schema = {
    "$schema": DRAFT,
    "anyOf": [
        {
            "type": "object",
            "required": ["macros", "next_page", "count"],
            "properties": {
                "macros": {"type": "array", "items": ZENDESK_MACRO_OBJECT},
                "next_page": {"type": ["string", "null"]},
                "previous_page": {"type": ["string", "null"]},
                "count": {"type": "integer"},
            },
        },
        {
            "type": "object",
            "required": ["macros", "meta", "links"],
            "properties": {
                "macros": {"type": "array", "items": ZENDESK_MACRO_OBJECT},
                "meta": {
                    "type": "object",
                    "required": ["has_more"],
                    "properties": {
                        "has_more": {"type": "boolean"},
                        "after_cursor": {"type": ["string", "null"]},
                        "before_cursor": {"type": ["string", "null"]},
                    },
                },
                "links": {
                    "type": "object",
                    "properties": {
                        "next": {"type": ["string", "null"]},
                        "prev": {"type": ["string", "null"]},
                    },
                },
            },
        },
    ],
}

# Business-level 4xx bodies (https://developer.zendesk.com/api-reference/introduction/requests/).
# 422: {"error": "RecordInvalid", "description": "Record validation errors",
#       "details": {field: [{"description", "error"}]}} (zendesk_api gem reads body["details"]).
# 401: typically {"error": "Couldn't authenticate you"} (CONFIRMED (secondary)).
# API-level errors and 429 may be text/plain, so a client must not assume JSON.
ZENDESK_ERROR: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"anyOf": [{"type": "string"}, {"type": "object"}]},
        "description": {"type": "string"},
        "details": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"description": {"type": "string"}, "error": {"type": "string"}},
                },
            },
        },
    },
}

# OAuth token for the client credentials grant (confidential OAuth clients, supported since
# 2025-03). POST https://{subdomain}.zendesk.com/oauth/tokens with a JSON body.
# CONFIRMED (secondary): summary of developer.zendesk.com "OAuth Tokens for Grant Types".
ZENDESK_OAUTH_CLIENT_CREDENTIALS_REQUEST: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["grant_type", "client_id", "client_secret"],
    "properties": {
        "grant_type": {"const": "client_credentials"},
        "client_id": {"type": "string"},
        "client_secret": {"type": "string"},
        "scope": {"type": "string"},  # space-separated, e.g. "read write"
        "expires_in": {"type": "integer", "exclusiveMinimum": 300, "exclusiveMaximum": 172800},
    },
    "additionalProperties": False,
}
ZENDESK_OAUTH_TOKEN_RESPONSE: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["access_token", "token_type"],
    "properties": {
        "access_token": {"type": "string"},
        "token_type": {"type": "string"},  # "bearer"
        "scope": {"type": "string"},
        "expires_in": {"type": "integer"},
        "refresh_token": {"type": "string"},
        "refresh_token_expires_in": {"type": "integer"},
    },
}


# ----------------------------------------------------------------------------------------------
# Freshdesk: canned responses and canned response folders
# ----------------------------------------------------------------------------------------------
# Sources (the primary page https://developers.freshdesk.com/api/#canned-responses was not readable
# here. These reproduce it):
#   withone.ai knowledge pages "Create a Canned Response", "Update a Canned Response",
#     "Bulk Create Canned Responses", "View a Canned Response",
#     "List Canned Responses in a Canned Response Folder" (field tables copied from the Freshdesk docs)
#   airbytehq/airbyte source-freshdesk: streams.py @ 108c8f18eeab8bee33faebfc55f06a9c4ff620f2
#     (paths canned_response_folders, canned_response_folders/{id}/responses; Link rel="next"
#     pagination; Retry-After on 429); schemas/canned_response_folders.json @ 2cfe2d28;
#     schemas/canned_responses.json @ 23e2082c
#   effytech/freshdesk_mcp (create/update folder = {"name": ...})

FRESHDESK_VISIBILITY: Schema = {"enum": [0, 1, 2]}  # 0 all agents, 1 personal, 2 select groups

# POST /api/v2/canned_responses
# title, content_html, folder_id, visibility are listed as required. The bulk-create doc adds that
# folder_id is "not mandatory when visibility is 1 (personal)" and that group_ids is mandatory
# when visibility is 2. Attachments are multipart only, so they are excluded from this JSON schema.
FRESHDESK_CREATE_CANNED_RESPONSE_REQUEST: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["title", "content_html", "visibility"],
    "properties": {
        "title": {"type": "string", "minLength": 1},  # maximum length undocumented
        "content_html": {"type": "string", "minLength": 1},
        "folder_id": {"type": "integer"},
        "visibility": FRESHDESK_VISIBILITY,
        "group_ids": {"type": "array", "items": {"type": "integer"}},
    },
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"visibility": {"not": {"const": 1}}}},
            "then": {"required": ["folder_id"]},
        },
        {
            "if": {"properties": {"visibility": {"const": 2}}, "required": ["visibility"]},
            "then": {"required": ["group_ids"], "properties": {"group_ids": {"minItems": 1}}},
        },
    ],
}

# PUT /api/v2/canned_responses/{id}: every field optional ("You can modify the title, HTML
# content, folder assignment, visibility, group visibility scope, and attachments").
FRESHDESK_UPDATE_CANNED_RESPONSE_REQUEST: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "minProperties": 1,
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "content_html": {"type": "string", "minLength": 1},
        "folder_id": {"type": "integer"},
        "visibility": FRESHDESK_VISIBILITY,
        "group_ids": {"type": "array", "items": {"type": "integer"}},
    },
    "additionalProperties": False,
}

# POST /api/v2/canned_response_folders and PUT /api/v2/canned_response_folders/{id}
FRESHDESK_FOLDER_REQUEST: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
}

FRESHDESK_ATTACHMENT: Schema = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "content_type": {"type": "string"},
        "size": {"type": "integer"},
        "attachment_url": {"type": "string"},
        "thumb_url": {"type": "string"},
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
    },
}

# Response of create, view and update; also the items of
# GET /api/v2/canned_response_folders/{id}/responses. content (plain text) is derived and read-only.
FRESHDESK_CANNED_RESPONSE: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["id", "title", "folder_id", "content_html"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "folder_id": {"type": "integer"},
        "content": {"type": "string"},
        "content_html": {"type": "string"},
        "attachments": {"type": "array", "items": FRESHDESK_ATTACHMENT},
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
    },
}

# Items of GET /api/v2/canned_response_folders and the response of folder create and update
# (Airbyte schema).
FRESHDESK_FOLDER: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "personal": {"type": "boolean"},
        "responses_count": {"type": "integer"},
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
    },
}

# Lists are bare arrays. The next page is in the Link header: <...?page=N&per_page=M>; rel="next".
FRESHDESK_FOLDERS_LIST_RESPONSE: Schema = {"$schema": DRAFT, "type": "array", "items": FRESHDESK_FOLDER}
FRESHDESK_CANNED_RESPONSES_LIST_RESPONSE: Schema = {
    "$schema": DRAFT,
    "type": "array",
    "items": FRESHDESK_CANNED_RESPONSE,
}

# Validation error (400): {"description": "Validation failed", "errors": [{"field", "message", "code"}]}
# (real responses quoted in Airbyte's tests and several clients). Other errors are
# {"code": ..., "message": ...}, for example code "invalid_credentials" on 401 (UNCONFIRMED wording).
FRESHDESK_ERROR: Schema = {
    "$schema": DRAFT,
    "anyOf": [
        {
            "type": "object",
            "required": ["description", "errors"],
            "properties": {
                "description": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["message", "code"],
                        "properties": {
                            "field": {"type": "string"},
                            "message": {"type": "string"},
                            "code": {"type": "string"},  # e.g. missing_field, invalid_value, invalid_field
                        },
                    },
                },
            },
        },
        {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
    ],
}


# ----------------------------------------------------------------------------------------------
# Help Scout: saved replies (Mailbox API 2.0)
# ----------------------------------------------------------------------------------------------
# Sources:
#   https://developer.helpscout.com/mailbox-api/endpoints/mailboxes/saved_Replies/saved-replies-create
#   https://developer.helpscout.com/mailbox-api/endpoints/inboxes/saved_Replies/saved-replies-update
#     (request fields: name String Y; text String N; chatText String N. Create 201, no body;
#     update 204)
#   .../saved-replies-get/ (response {id Number, name, text, chatText})
#   .../saved-replies-list (response: bare array [{id, name, preview, chatPreview}];
#     query includeChatReplies=bool)
#   .../saved-replies-delete/ (204)
#   helpscout/helpscout-api-php @ 6edf26666d03512732c395e98a965f4faa71e170, src/Http/RestClient.php
#     (a created resource's id is read from the "Resource-ID" response header)
#   https://developer.helpscout.com/mailbox-api/overview/errors (error envelope)
#   helpscout-api-php src/Http/Authenticator.php (TOKEN_URL https://api.helpscout.net/v2/oauth2/token),
#     tests/Payloads/ErrorPayloads.php (429 body {"message": "API rate limit exceeded"})

# POST and PUT /v2/mailboxes/{mailboxId}/saved-replies[/{savedReplyId}]
HELPSCOUT_SAVED_REPLY_REQUEST: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1},  # maximum length undocumented
        "text": {"type": "string"},  # email body, HTML (the docs' example uses <br />)
        "chatText": {"type": "string"},  # plain text for chat
    },
    "additionalProperties": False,
}

# GET /v2/mailboxes/{mailboxId}/saved-replies/{savedReplyId}
HELPSCOUT_SAVED_REPLY: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "text": {"type": "string"},
        "chatText": {"type": "string"},
    },
}

# GET /v2/mailboxes/{mailboxId}/saved-replies: a bare JSON array, not HAL _embedded, with no
# pagination documented.
HELPSCOUT_SAVED_REPLIES_LIST_RESPONSE: Schema = {
    "$schema": DRAFT,
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "preview": {"type": "string"},
            "chatPreview": {"type": "string"},
        },
    },
}

# Create: 201 with an empty body. A fake server should send "Resource-ID: <int>" (and may send
# a Location header).
HELPSCOUT_CREATE_RESPONSE_HEADERS: Schema = {
    "type": "object",
    "required": ["Resource-ID"],
    "properties": {"Resource-ID": {"type": "string", "pattern": "^[0-9]+$"}, "Location": {"type": "string"}},
}

HELPSCOUT_ERROR: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["message"],
    "properties": {
        "logRef": {"type": "string"},
        "message": {"type": "string"},
        "_embedded": {
            "type": "object",
            "properties": {
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["path", "message"],
                        "properties": {
                            "path": {"type": "string"},
                            "message": {"type": "string"},
                            "rejectedValue": {},
                            "source": {"type": "string"},
                            "_links": {"type": "object"},
                        },
                    },
                }
            },
        },
        "_links": {"type": "object"},
    },
}

# POST https://api.helpscout.net/v2/oauth2/token (form-encoded; the fields are shown here as an
# object).
HELPSCOUT_TOKEN_REQUEST: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["grant_type", "client_id", "client_secret"],
    "properties": {
        "grant_type": {"const": "client_credentials"},
        "client_id": {"type": "string"},
        "client_secret": {"type": "string"},
    },
    "additionalProperties": False,
}
HELPSCOUT_TOKEN_RESPONSE: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["token_type", "access_token", "expires_in"],
    "properties": {
        "token_type": {"type": "string"},  # "bearer"
        "access_token": {"type": "string"},
        "expires_in": {"type": "integer"},  # 172800 (2 days) in the docs' example
        "refresh_token": {"type": "string"},  # authorization-code flow only
    },
}


# ----------------------------------------------------------------------------------------------
# LiveAgent: predefined answers (API v3)
# ----------------------------------------------------------------------------------------------
# Source: QualityUnit/LiveAgent-api-python @ 4196a87a7b29cc538b97b321a932446346710e07 (generated by
# swagger-codegen from LiveAgent's OpenAPI 3.0.0 descriptor, which is not itself published):
#   liveagent_api/models/predefined_answer.py: swagger_types id, userid, departmentid, name,
#     subject, body, format (all str); name and body must not be None and must have length >= 1;
#     format allowed_values ["T", "H"], default 'T' ("Format of body field: T - text, H - html")
#   docs/PredefinedAnswersApi.md: POST /predefined_answers, GET/PUT/DELETE
#     /predefined_answers/{predefinedAnswerId}, GET /predefined_answers
#     ?_page&_perPage&_from&_to&_sortDir&_sortField&_filters
#   docs/OkResponse.md (no properties), docs/ErrorResponse.md (message: str)

LIVEAGENT_PREDEFINED_ANSWER: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "required": ["name", "body"],
    "properties": {
        "id": {"type": "string"},
        "userid": {"type": "string"},
        "departmentid": {"type": "string"},
        "name": {"type": "string", "minLength": 1},
        "subject": {"type": "string"},
        "body": {"type": "string", "minLength": 1},
        "format": {"type": "string", "enum": ["T", "H"], "default": "T"},
    },
    # No tags, title, answer or language field exists in the model.
    "additionalProperties": False,
}

# POST /api/v3/predefined_answers and PUT /api/v3/predefined_answers/{id}: the body is the same
# model. A client would not send id on create; the model allows it.
LIVEAGENT_CREATE_PREDEFINED_ANSWER_REQUEST: Schema = LIVEAGENT_PREDEFINED_ANSWER
LIVEAGENT_UPDATE_PREDEFINED_ANSWER_REQUEST: Schema = LIVEAGENT_PREDEFINED_ANSWER

# Create, get and update return a PredefinedAnswer; the server fills in id.
LIVEAGENT_PREDEFINED_ANSWER_RESPONSE: Schema = {
    **LIVEAGENT_PREDEFINED_ANSWER,
    "required": ["id", "name", "body"],
    "additionalProperties": True,
}

LIVEAGENT_PREDEFINED_ANSWERS_LIST_RESPONSE: Schema = {
    "$schema": DRAFT,
    "type": "array",
    "items": LIVEAGENT_PREDEFINED_ANSWER_RESPONSE,
}

LIVEAGENT_OK_RESPONSE: Schema = {"$schema": DRAFT, "type": "object"}  # DELETE

LIVEAGENT_ERROR: Schema = {
    "$schema": DRAFT,
    "type": "object",
    "properties": {"message": {"type": "string"}},  # e.g. 403 "ApiKey not found" (LiveAgent FAQ)
}


# ----------------------------------------------------------------------------------------------
# django-helpdesk: PreSetReply fixture for `manage.py loaddata`
# ----------------------------------------------------------------------------------------------
# Sources: django-helpdesk 2.6.1 (installed) helpdesk/models.py class PreSetReply (name
# CharField max_length=100; body TextField; queues M2M to Queue, blank=True); apps.py
# default_auto_field AutoField (32-bit signed); Django fixture format
# (https://docs.djangoproject.com/en/stable/howto/initial-data/: [{"model", "pk", "fields"}],
# with a many-to-many field given as a list of primary keys).

DJANGO_HELPDESK_PRESETREPLY_FIXTURE: Schema = {
    "$schema": DRAFT,
    "type": "array",
    "items": {
        "type": "object",
        "required": ["model", "fields"],
        "properties": {
            "model": {"const": "helpdesk.presetreply"},
            "pk": {"type": "integer", "minimum": 1, "maximum": 2147483647},
            "fields": {
                "type": "object",
                "required": ["name", "body"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                    "body": {"type": "string"},
                    "queues": {"type": "array", "items": {"type": "integer"}},
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    },
}


# ----------------------------------------------------------------------------------------------
# Registry: one entry per (helpdesk, operation)
# ----------------------------------------------------------------------------------------------
# "path" uses {placeholders}. "success" lists the statuses a client must accept. Where the docs
# disagree or are silent, more than one status is listed and the comment gives the reason.

SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {
    # Zendesk. Base https://{subdomain}.zendesk.com.
    # Auth: Authorization: Bearer <oauth token>, or Basic "{email}/token:{api_token}". API tokens
    # are being retired and all will be deactivated on 2027-04-30.
    ("zendesk", "create_macro"): {
        "method": "POST", "path": "/api/v2/macros",
        "request": ZENDESK_CREATE_MACRO_REQUEST,
        "success": [201, 200],  # the OAS copy says 200; the general Requests page says 201 for most POSTs
        "response": ZENDESK_MACRO_RESPONSE,
    },
    ("zendesk", "update_macro"): {
        "method": "PUT", "path": "/api/v2/macros/{macro_id}",
        "request": ZENDESK_UPDATE_MACRO_REQUEST, "success": [200], "response": ZENDESK_MACRO_RESPONSE,
    },
    ("zendesk", "show_macro"): {
        "method": "GET", "path": "/api/v2/macros/{macro_id}",
        "request": None, "success": [200], "response": ZENDESK_MACRO_RESPONSE,
    },
    ("zendesk", "list_macros"): {
        "method": "GET", "path": "/api/v2/macros",
        "request": None, "success": [200], "response": ZENDESK_MACROS_LIST_RESPONSE,
    },
    ("zendesk", "delete_macro"): {
        "method": "DELETE", "path": "/api/v2/macros/{macro_id}",
        "request": None, "success": [204], "response": None,
    },
    ("zendesk", "oauth_token"): {
        "method": "POST", "path": "/oauth/tokens",
        "request": ZENDESK_OAUTH_CLIENT_CREDENTIALS_REQUEST, "success": [200],
        "response": ZENDESK_OAUTH_TOKEN_RESPONSE,
    },
    # Freshdesk. Base https://{domain}.freshdesk.com/api/v2. Auth: Basic "{api_key}:X".
    ("freshdesk", "create_canned_response"): {
        "method": "POST", "path": "/api/v2/canned_responses",
        "request": FRESHDESK_CREATE_CANNED_RESPONSE_REQUEST,
        "success": [201, 200],  # the exact status is undocumented in the sources read
        "response": FRESHDESK_CANNED_RESPONSE,
    },
    ("freshdesk", "update_canned_response"): {
        "method": "PUT", "path": "/api/v2/canned_responses/{id}",
        "request": FRESHDESK_UPDATE_CANNED_RESPONSE_REQUEST, "success": [200],
        "response": FRESHDESK_CANNED_RESPONSE,
    },
    ("freshdesk", "show_canned_response"): {
        "method": "GET", "path": "/api/v2/canned_responses/{id}",
        "request": None, "success": [200], "response": FRESHDESK_CANNED_RESPONSE,
    },
    ("freshdesk", "list_folders"): {
        "method": "GET", "path": "/api/v2/canned_response_folders",
        "request": None, "success": [200], "response": FRESHDESK_FOLDERS_LIST_RESPONSE,
    },
    ("freshdesk", "create_folder"): {
        "method": "POST", "path": "/api/v2/canned_response_folders",
        "request": FRESHDESK_FOLDER_REQUEST, "success": [201, 200], "response": FRESHDESK_FOLDER,
    },
    ("freshdesk", "update_folder"): {
        "method": "PUT", "path": "/api/v2/canned_response_folders/{id}",
        "request": FRESHDESK_FOLDER_REQUEST, "success": [200], "response": FRESHDESK_FOLDER,
    },
    ("freshdesk", "list_folder_responses"): {
        "method": "GET", "path": "/api/v2/canned_response_folders/{id}/responses",
        "request": None, "success": [200], "response": FRESHDESK_CANNED_RESPONSES_LIST_RESPONSE,
    },
    # No documented DELETE for canned responses or folders was found.
    #
    # Help Scout. Base https://api.helpscout.net. Auth: Bearer token from /v2/oauth2/token.
    ("helpscout", "create_saved_reply"): {
        "method": "POST", "path": "/v2/mailboxes/{mailbox_id}/saved-replies",
        "request": HELPSCOUT_SAVED_REPLY_REQUEST, "success": [201],
        "response": None, "response_headers": HELPSCOUT_CREATE_RESPONSE_HEADERS,
    },
    ("helpscout", "update_saved_reply"): {
        "method": "PUT", "path": "/v2/mailboxes/{mailbox_id}/saved-replies/{saved_reply_id}",
        "request": HELPSCOUT_SAVED_REPLY_REQUEST, "success": [204], "response": None,
    },
    ("helpscout", "get_saved_reply"): {
        "method": "GET", "path": "/v2/mailboxes/{mailbox_id}/saved-replies/{saved_reply_id}",
        "request": None, "success": [200], "response": HELPSCOUT_SAVED_REPLY,
    },
    ("helpscout", "list_saved_replies"): {
        "method": "GET", "path": "/v2/mailboxes/{mailbox_id}/saved-replies",
        "request": None, "success": [200], "response": HELPSCOUT_SAVED_REPLIES_LIST_RESPONSE,
    },
    ("helpscout", "delete_saved_reply"): {
        "method": "DELETE", "path": "/v2/mailboxes/{mailbox_id}/saved-replies/{saved_reply_id}",
        "request": None, "success": [204], "response": None,
    },
    ("helpscout", "oauth_token"): {
        "method": "POST", "path": "/v2/oauth2/token",
        "request": HELPSCOUT_TOKEN_REQUEST, "success": [200], "response": HELPSCOUT_TOKEN_RESPONSE,
    },
    # LiveAgent. Base https://{account}.ladesk.com/api/v3. Auth: header "apikey: <key>".
    ("liveagent", "create_predefined_answer"): {
        "method": "POST", "path": "/api/v3/predefined_answers",
        "request": LIVEAGENT_CREATE_PREDEFINED_ANSWER_REQUEST,
        "success": [200, 201],  # the status is not in the generated client
        "response": LIVEAGENT_PREDEFINED_ANSWER_RESPONSE,
    },
    ("liveagent", "update_predefined_answer"): {
        "method": "PUT", "path": "/api/v3/predefined_answers/{predefined_answer_id}",
        "request": LIVEAGENT_UPDATE_PREDEFINED_ANSWER_REQUEST, "success": [200],
        "response": LIVEAGENT_PREDEFINED_ANSWER_RESPONSE,
    },
    ("liveagent", "get_predefined_answer"): {
        "method": "GET", "path": "/api/v3/predefined_answers/{predefined_answer_id}",
        "request": None, "success": [200], "response": LIVEAGENT_PREDEFINED_ANSWER_RESPONSE,
    },
    ("liveagent", "list_predefined_answers"): {
        "method": "GET", "path": "/api/v3/predefined_answers",
        "request": None, "success": [200], "response": LIVEAGENT_PREDEFINED_ANSWERS_LIST_RESPONSE,
    },
    ("liveagent", "delete_predefined_answer"): {
        "method": "DELETE", "path": "/api/v3/predefined_answers/{predefined_answer_id}",
        "request": None, "success": [200], "response": LIVEAGENT_OK_RESPONSE,
    },
    # django-helpdesk has no HTTP API for pre-set replies; a fixture is loaded with manage.py.
    ("django-helpdesk", "loaddata_presetreplies"): {
        "method": None, "path": None,
        "request": DJANGO_HELPDESK_PRESETREPLY_FIXTURE, "success": None, "response": None,
    },
}

# Error bodies and rate limiting, per helpdesk, for fakes that simulate failures.
ERRORS: dict[str, dict[str, Any]] = {
    "zendesk": {
        "schema": ZENDESK_ERROR,
        "rate_limit": {"status": 429, "retry_header": "Retry-After", "body_may_be_text_plain": True},
        "examples": {
            401: {"error": "Couldn't authenticate you"},
            # The shape is documented (secondary); the text in "details" is illustrative only.
            422: {"error": "RecordInvalid", "description": "Record validation errors",
                  "details": {"title": [{"description": "Title: cannot be blank", "error": "BlankValue"}]}},
        },
    },
    "freshdesk": {
        "schema": FRESHDESK_ERROR,
        "rate_limit": {"status": 429, "retry_header": "Retry-After"},
        "examples": {
            # A real Freshworks validation body, as quoted in a Freshdesk client's test.
            400: {"description": "Validation failed",
                  "errors": [{"field": "email", "message": "It should be a valid email address",
                              "code": "invalid_value"}]},
        },
    },
    "helpscout": {
        "schema": HELPSCOUT_ERROR,
        # Mailbox API 2.0 names X-RateLimit-Retry-After, not Retry-After.
        "rate_limit": {"status": 429, "retry_header": "X-RateLimit-Retry-After",
                       "body": {"message": "API rate limit exceeded"}},
        "examples": {
            400: {"logRef": "64bb72b4-0a92-11e8-ba89-0ed5f89f718b", "message": "Bad request",
                  "_embedded": {"errors": [{"path": "name", "message": "may not be empty", "source": "JSON"}]}},
        },
    },
    "liveagent": {
        "schema": LIVEAGENT_ERROR,
        # 180 requests per minute per API key (LiveAgent KB). The breach status and retry header
        # are UNCONFIRMED.
        "rate_limit": {"status": 429, "retry_header": None},
        "examples": {403: {"message": "ApiKey not found"}},
    },
}

# cxdocs' own rules, kept apart from the vendor schemas. They are not vendor constraints.
CXDOCS_POLICIES: dict[str, Schema] = {
    # A canned reply must not rename the ticket: the Zendesk "subject" action replaces the subject.
    "zendesk_reply_macro": {
        "type": "object",
        "properties": {
            "macro": {
                "type": "object",
                "properties": {
                    "actions": {
                        "not": {"contains": {"type": "object", "properties": {"field": {"const": "subject"}},
                                             "required": ["field"]}},
                        "contains": {"type": "object", "properties": {"field": {"enum": ["comment_value_html", "comment_value"]}},
                                     "required": ["field"]},
                    }
                },
            }
        },
    },
    # LiveAgent HTML answers must say so.
    "liveagent_html_answer": {
        "type": "object",
        "required": ["format"],
        "properties": {"format": {"const": "H"}},
    },
}
