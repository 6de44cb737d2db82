"""Strict local stand-ins for the helpdesks' REST APIs, built from their documentation (helpdesk_schemas.py).

Each fake serves the documented endpoints of one helpdesk on 127.0.0.1: it checks the documented
authentication, validates every request body against the documented schema (an unknown field, a
missing required one or an empty required string is refused with the helpdesk's documented error
body), answers with the documented response shapes and ids (Help Scout: ``201`` with no body and
the id in ``Resource-ID``; LiveAgent: string ids), keeps what was created, pages its lists, and
misbehaves as the real ones may: one ``429`` with the helpdesk's own retry header and one ``500``.
None of this is taken from cxdocs' exporters: the routes and shapes are the vendors'.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jsonschema

import helpdesk_schemas as hs


class Reply(Exception):
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


class Fake:
    """The common part: a threaded server, request log, auth, one 429 and one 500, holding a create."""

    name = ""
    retry_header = "Retry-After"
    rate_limit_body: Any = None

    def __init__(self, rate_limit_at: int | None = 3, fail_at: int | None = 5):
        self.items: dict[Any, dict] = {}
        self.log: list[tuple[str, str, int]] = []
        self.rate_limit_at, self.fail_at = rate_limit_at, fail_at
        self.requests = 0
        self.next_id = 1000
        self.lock = threading.Lock()
        self.hold_after_creates: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.creates = 0
        self.max_title: int | None = None
        """A title length the fake refuses beyond (the vendors document none; a test sets one to see a refusal)."""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def writes(self) -> list[tuple[str, str, int]]:
        return [entry for entry in self.log
                if entry[0] in ("POST", "PUT", "DELETE") and entry[2] < 300 and entry[1] != "/v2/oauth2/token"]

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def validate(self, key: tuple[str, str], body: Any) -> None:
        errors = sorted(jsonschema.Draft202012Validator(hs.SCHEMAS[key]["request"]).iter_errors(body), key=str)
        if errors:
            raise self.invalid([("/".join(map(str, e.absolute_path)) or "body", e.message) for e in errors])
        title = self.title_of(body)
        if self.max_title is not None and title is not None and len(title) > self.max_title:
            raise self.invalid([("title", f"is too long (maximum is {self.max_title} characters)")])

    def title_of(self, body: Any) -> str | None:
        if isinstance(body, dict):
            inner = body.get("macro", body)
            for key in ("title", "name"):
                if isinstance(inner.get(key), str):
                    return inner[key]
        return None

    def created(self) -> None:
        """After an item is stored: hold the answer back when asked to (for a push killed midway)."""
        self.creates += 1
        if self.hold_after_creates is not None and self.creates == self.hold_after_creates:
            self.holding.set()
            self.release.wait(60)

    # Per helpdesk -------------------------------------------------------------------------------
    def authorized(self, headers) -> bool:
        raise NotImplementedError

    def unauthorized(self) -> Reply:
        raise NotImplementedError

    def invalid(self, problems: list[tuple[str, str]]) -> Reply:
        raise NotImplementedError

    def route(self, method: str, path: str, query: dict, headers, body: bytes) -> Reply:
        raise NotImplementedError

    # Plumbing -----------------------------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                try:
                    with fake.lock:
                        fake.requests += 1
                        number = fake.requests
                    if not (parts.path == "/v2/oauth2/token" or fake.authorized(self.headers)):
                        raise fake.unauthorized()
                    if number == fake.rate_limit_at:
                        headers = {fake.retry_header: "1"} if fake.retry_header else {}
                        raise Reply(429, fake.rate_limit_body, headers)
                    if number == fake.fail_at:
                        raise Reply(500, {"message": "Internal Server Error"})
                    reply = fake.route(self.command, parts.path, query, self.headers, raw)
                except Reply as exc:
                    reply = exc
                fake.log.append((self.command, parts.path, reply.status))
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if reply.body is None:
                    payload = b""
                elif isinstance(reply.body, str):
                    payload = reply.body.encode()
                    self.send_header("Content-Type", "text/plain")
                else:
                    payload = json.dumps(reply.body).encode()
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler


def _json(raw: bytes, fake: Fake) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        raise fake.invalid([("body", "not JSON")]) from None


class Zendesk(Fake):
    """https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/ (OAuth bearer token)."""

    name = "zendesk"
    token = "zendesk-oauth-token"
    rate_limit_body = "Number of allowed API requests per minute exceeded"  # a text/plain 429, as reported
    page_size = 2

    def env(self) -> dict[str, str]:
        return {"ZENDESK_SUBDOMAIN": "larkspur", "ZENDESK_OAUTH_TOKEN": self.token}

    def authorized(self, headers):
        return headers.get("Authorization") == f"Bearer {self.token}"

    def unauthorized(self):
        return Reply(401, {"error": "Couldn't authenticate you"})

    def invalid(self, problems):
        return Reply(422, {"error": "RecordInvalid", "description": "Record validation errors",
                           "details": {f: [{"description": m, "error": "InvalidValue"}] for f, m in problems}})

    def route(self, method, path, query, headers, raw):
        one = re.fullmatch(r"/api/v2/macros/(\d+)", path)
        if path == "/api/v2/macros" and method == "POST":
            body = _json(raw, self)
            self.validate(("zendesk", "create_macro"), body)
            macro = {**body["macro"], "id": self.new_id()}
            self.items[macro["id"]] = macro
            self.created()
            return Reply(201, {"macro": macro})
        if path == "/api/v2/macros" and method == "GET":
            everything = sorted(self.items.values(), key=lambda m: m["id"])
            page = int(query.get("page", "1"))
            chunk = everything[(page - 1) * self.page_size : page * self.page_size]
            more = page * self.page_size < len(everything)
            return Reply(200, {"macros": chunk, "count": len(everything), "previous_page": None,
                               "next_page": f"{self.url}/api/v2/macros?page={page + 1}" if more else None})
        if one:
            macro_id = int(one[1])
            if macro_id not in self.items:
                return Reply(404, {"error": "RecordNotFound", "description": "Not found"})
            if method == "PUT":
                body = _json(raw, self)
                self.validate(("zendesk", "update_macro"), body)
                self.items[macro_id] = {**body["macro"], "id": macro_id}
                return Reply(200, {"macro": self.items[macro_id]})
            if method == "DELETE":
                del self.items[macro_id]
                return Reply(204)
            if method == "GET":
                return Reply(200, {"macro": self.items[macro_id]})
        return Reply(404, {"error": "InvalidEndpoint", "description": "Not found"})


class Freshdesk(Fake):
    """https://developers.freshdesk.com/api/#canned-responses (API key as the Basic user, X as password)."""

    name = "freshdesk"
    key = "freshdesk-api-key"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.folders: dict[int, dict] = {}

    def env(self):
        return {"FRESHDESK_DOMAIN": "larkspur", "FRESHDESK_API_KEY": self.key}

    def authorized(self, headers):
        return headers.get("Authorization") == "Basic " + base64.b64encode(f"{self.key}:X".encode()).decode()

    def unauthorized(self):
        return Reply(401, {"code": "invalid_credentials", "message": "You have to be logged in to perform this action."})

    def invalid(self, problems):
        return Reply(400, {"description": "Validation failed",
                           "errors": [{"field": f, "message": m, "code": "invalid_value"} for f, m in problems]})

    def route(self, method, path, query, headers, raw):
        if path == "/api/v2/canned_response_folders":
            if method == "GET":
                return Reply(200, list(self.folders.values()))
            if method == "POST":
                body = _json(raw, self)
                self.validate(("freshdesk", "create_folder"), body)
                folder = {"id": self.new_id(), "name": body["name"], "personal": False, "responses_count": 0}
                self.folders[folder["id"]] = folder
                return Reply(201, folder)
        listing = re.fullmatch(r"/api/v2/canned_response_folders/(\d+)/responses", path)
        if listing and method == "GET":
            return Reply(200, [r for r in self.items.values() if r["folder_id"] == int(listing[1])])
        if path == "/api/v2/canned_responses" and method == "POST":
            body = _json(raw, self)
            self.validate(("freshdesk", "create_canned_response"), body)
            if body.get("folder_id") not in self.folders:
                raise self.invalid([("folder_id", "There is no folder with this id")])
            item = {**body, "id": self.new_id(), "content": re.sub("<[^>]+>", "", body["content_html"]), "attachments": []}
            self.items[item["id"]] = item
            self.created()
            return Reply(201, item)
        one = re.fullmatch(r"/api/v2/canned_responses/(\d+)", path)
        if one:
            item_id = int(one[1])
            if method not in ("GET", "PUT"):
                return Reply(405, {"code": "method_not_allowed", "message": "DELETE is not allowed here"})
            if item_id not in self.items:
                return Reply(404)
            if method == "PUT":
                body = _json(raw, self)
                self.validate(("freshdesk", "update_canned_response"), body)
                self.items[item_id].update(body)
            return Reply(200, self.items[item_id])
        return Reply(404)


class HelpScout(Fake):
    """https://developer.helpscout.com/mailbox-api/ (client credentials token, saved replies of one mailbox)."""

    name = "helpscout"
    retry_header = "X-RateLimit-Retry-After"
    rate_limit_body = {"message": "API rate limit exceeded"}
    mailbox = "77"
    client_id, client_secret, token = "app-id", "app-secret", "helpscout-access-token"

    def env(self):
        return {"HELPSCOUT_MAILBOX_ID": self.mailbox, "HELPSCOUT_CLIENT_ID": self.client_id,
                "HELPSCOUT_CLIENT_SECRET": self.client_secret}

    def authorized(self, headers):
        return headers.get("Authorization") == f"Bearer {self.token}"

    def unauthorized(self):
        return Reply(401, {"message": "Invalid or expired access token"})

    def invalid(self, problems):
        return Reply(400, {"logRef": "fake-1", "message": "Bad request",
                           "_embedded": {"errors": [{"path": f, "message": m, "source": "JSON"} for f, m in problems]}})

    def route(self, method, path, query, headers, raw):
        if path == "/v2/oauth2/token" and method == "POST":
            form = dict(urllib.parse.parse_qsl(raw.decode()))
            try:
                jsonschema.validate(form, hs.SCHEMAS[("helpscout", "oauth_token")]["request"])
            except jsonschema.ValidationError:
                return Reply(400, {"error": "invalid_request"})
            if (form["client_id"], form["client_secret"]) != (self.client_id, self.client_secret):
                return Reply(401, {"error": "invalid_client"})
            return Reply(200, {"token_type": "bearer", "access_token": self.token, "expires_in": 172800})
        base = f"/v2/mailboxes/{self.mailbox}/saved-replies"
        if path == base and method == "POST":
            body = _json(raw, self)
            self.validate(("helpscout", "create_saved_reply"), body)
            reply_id = self.new_id()
            self.items[reply_id] = {"id": reply_id, **body}
            self.created()
            return Reply(201, None, {"Resource-ID": str(reply_id), "Location": f"{self.url}{base}/{reply_id}"})
        if path == base and method == "GET":
            return Reply(200, [{"id": r["id"], "name": r["name"], "preview": re.sub("<[^>]+>", "", r.get("text", ""))[:80]}
                               for r in self.items.values()])
        one = re.fullmatch(re.escape(base) + r"/(\d+)", path)
        if one:
            reply_id = int(one[1])
            if reply_id not in self.items:
                return Reply(404, {"message": "Saved reply not found"})
            if method == "PUT":
                body = _json(raw, self)
                self.validate(("helpscout", "update_saved_reply"), body)
                self.items[reply_id] = {"id": reply_id, **body}
                return Reply(204)
            if method == "DELETE":
                del self.items[reply_id]
                return Reply(204)
            if method == "GET":
                return Reply(200, self.items[reply_id])
        return Reply(404, {"message": "Not found"})


class LiveAgent(Fake):
    """LiveAgent API v3 as its generated client describes it (apikey header, string ids)."""

    name = "liveagent"
    retry_header = None  # what LiveAgent sends with a 429 is not documented
    key = "liveagent-v3-key"

    def env(self):
        return {"LIVEAGENT_URL": "https://larkspur.ladesk.com", "LIVEAGENT_API_KEY": self.key}

    def authorized(self, headers):
        return headers.get("apikey") == self.key

    def unauthorized(self):
        return Reply(403, {"message": "ApiKey not found"})

    def invalid(self, problems):
        return Reply(400, {"message": "; ".join(f"{f}: {m}" for f, m in problems)})

    def route(self, method, path, query, headers, raw):
        base = "/api/v3/predefined_answers"
        if path == base and method == "POST":
            body = _json(raw, self)
            self.validate(("liveagent", "create_predefined_answer"), body)
            answer = {**body, "id": f"pa{self.new_id()}"}
            self.items[answer["id"]] = answer
            self.created()
            return Reply(200, answer)
        if path == base and method == "GET":
            page, per = int(query.get("_page", "1")), int(query.get("_perPage", "10"))
            everything = list(self.items.values())
            return Reply(200, everything[(page - 1) * per : page * per])
        one = re.fullmatch(re.escape(base) + r"/(\w+)", path)
        if one:
            answer_id = one[1]
            if answer_id not in self.items:
                return Reply(404, {"message": "Predefined answer not found"})
            if method == "PUT":
                body = _json(raw, self)
                self.validate(("liveagent", "update_predefined_answer"), body)
                self.items[answer_id] = {**body, "id": answer_id}
                return Reply(200, self.items[answer_id])
            if method == "DELETE":
                del self.items[answer_id]
                return Reply(200, {})
            if method == "GET":
                return Reply(200, self.items[answer_id])
        return Reply(404, {"message": "Not found"})


FAKES = {cls.name: cls for cls in (Zendesk, Freshdesk, HelpScout, LiveAgent)}
