"""``cxdocs push``: bring a helpdesk up to date with the response packs, as a plan and its application.

The state file (``.cxdocs/push-<format>.json``, kept in the repository) maps each item's key,
``(id, lang)``, to the helpdesk's own id and the hash of the request last sent. From it and the
items of the packs comes a plan: create what the helpdesk does not have, update what changed,
leave the rest, and delete (only with ``--delete``) items cxdocs created whose response is gone.
Items adopted by ``cxdocs import`` are updated but never deleted.

The state is written after every request that changed the helpdesk, so an interrupted push
resumes where it stopped. A create is recorded as pending *before* it is sent: if the push dies
between the helpdesk's answer and the state's update, the next push looks the item up in the
helpdesk (``Client.find``) instead of creating it twice.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxdocs.core.errors import CxdocsError
from cxdocs.outputs.exporter import Item

Key = tuple[str, str]
STATE_VERSION = 1
CREATED, IMPORTED = "cxdocs", "import"


def state_path(project_dir: Path, fmt: str) -> Path:
    return project_dir / ".cxdocs" / f"push-{fmt}.json"


@dataclass
class Entry:
    """What the state knows of one item in the helpdesk."""

    remote: Any = None
    """The helpdesk's id (a number or a string, as the helpdesk gives it); None while pending."""
    hash: str | None = None
    """The hash of the request last sent; None for an imported item cxdocs has not sent yet."""
    origin: str = CREATED
    """``cxdocs`` when push created it (it may delete it), ``import`` when adopted by cxdocs import."""
    title: str = ""
    pending: bool = False
    """A create was sent and its answer not recorded: look the item up before creating it again."""


@dataclass
class State:
    path: Path
    format: str
    account: str = ""
    entries: dict[Key, Entry] = field(default_factory=dict)
    folders: dict[str, Any] = field(default_factory=dict)
    """A helpdesk folder's name -> its id in the helpdesk (Freshdesk)."""

    @classmethod
    def load(cls, path: Path, fmt: str) -> State:
        if not path.exists():
            return cls(path, fmt)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != fmt or data.get("version") != STATE_VERSION:
                raise ValueError(f"not a cxdocs push state of format {fmt!r} (version {STATE_VERSION})")
            entries = {
                (e["id"], e["lang"]): Entry(e.get("remote_id"), e.get("hash"), e.get("origin", CREATED), e.get("title", ""),
                                            bool(e.get("pending")))
                for e in data.get("items", [])
            }
            return cls(path, fmt, data.get("account", ""), entries, dict(data.get("folders", {})))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CxdocsError(f"cannot read the push state: {exc}", path) from None

    def save(self) -> None:
        """Write the state whole, by rename, so a crash leaves the old or the new state, never half of one."""
        items = []
        for (rid, lang), e in sorted(self.entries.items()):
            item = {"id": rid, "lang": lang, "remote_id": e.remote, "hash": e.hash, "origin": e.origin, "title": e.title}
            if e.pending:
                item["pending"] = True
            items.append(item)
        document = {"format": self.format, "version": STATE_VERSION, "account": self.account,
                    "folders": dict(sorted(self.folders.items())), "items": items}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class Client:
    """One helpdesk's API, as push uses it. Each built-in API format provides one (``ApiExporter.client``)."""

    helpdesk: str = ""
    account: str = ""
    """Where the items live (base URL, and mailbox where the helpdesk has them): recorded in the state."""
    can_delete: bool = True
    kind: str = "item"
    """What the helpdesk calls an item: macro, canned response, saved reply..."""

    def create(self, item: Item, state: State) -> Any:
        """Create the item; return the helpdesk's id for it."""
        raise NotImplementedError

    def update(self, remote: Any, item: Item, state: State) -> bool:
        """Replace the item's content; False if the helpdesk no longer has it."""
        raise NotImplementedError

    def delete(self, remote: Any) -> None:
        raise NotImplementedError

    def find(self, item: Item, state: State) -> Any:
        """The id of an item already in the helpdesk that a create interrupted earlier made, or None."""
        return None

    def close(self) -> None:
        pass


@dataclass
class Action:
    kind: str
    """``create``, ``update``, ``unchanged``, ``delete`` or ``keep`` (gone from the content, not deleted)."""
    key: Key
    item: Item | None = None
    entry: Entry | None = None
    note: str = ""

    def describe(self) -> str:
        rid, lang = self.key
        title = self.item.title if self.item else (self.entry.title if self.entry else "")
        return f"{self.kind:<9} {rid} ({lang})" + (f"  {title!r}" if title else "") + (f": {self.note}" if self.note else "")


@dataclass
class Plan:
    actions: list[Action]

    def count(self, kind: str) -> int:
        return sum(a.kind == kind for a in self.actions)

    def summary(self) -> str:
        return (f"{self.count('create')} to create, {self.count('update')} to update, "
                f"{self.count('unchanged')} unchanged, {self.count('delete')} to delete")


def plan(items: Iterable[Item], state: State, languages: Iterable[str], delete: bool, can_delete: bool,
         helpdesk: str = "the helpdesk") -> Plan:
    """What a push would do: every item of the packs, and every item of the state it covers."""
    actions, seen = [], set()
    for item in items:
        key = (item.id, item.lang)
        if key in seen:
            raise CxdocsError(f"two responses have the id {item.id!r} in {item.lang}", item.source)
        seen.add(key)
        entry = state.entries.get(key)
        if entry is None:
            actions.append(Action("create", key, item))
        elif entry.pending or entry.remote is None:
            actions.append(Action("create", key, item, entry, "an earlier push was interrupted: looked up first"))
        elif entry.hash != item.hash:
            actions.append(Action("update", key, item, entry, "" if entry.hash else "imported"))
        else:
            actions.append(Action("unchanged", key, item, entry))
    langs = set(languages)
    for key, entry in sorted(state.entries.items()):
        if key in seen or key[1] not in langs:
            continue
        if entry.origin != CREATED:
            actions.append(Action("keep", key, None, entry, "no longer in the content; imported, so never deleted by cxdocs"))
        elif not delete:
            actions.append(Action("keep", key, None, entry, "no longer in the content; cxdocs push --delete deletes it"))
        elif not can_delete:
            actions.append(Action("delete", key, None, entry,
                                  f"{helpdesk} documents no way to delete it: delete it by hand (id {entry.remote}); "
                                  "cxdocs forgets it"))
        else:
            actions.append(Action("delete", key, None, entry))
    order = {"delete": 0, "update": 1, "create": 2, "unchanged": 3, "keep": 4}
    actions.sort(key=lambda a: (order[a.kind], a.key))
    return Plan(actions)


def apply(plan: Plan, state: State, client: Client, report: Callable[[str], None]) -> dict[str, int]:
    """Carry out the plan, saving the state after every request that changed the helpdesk."""
    done = {"created": 0, "updated": 0, "deleted": 0, "unchanged": plan.count("unchanged")}
    state.account = client.account
    for action in plan.actions:
        key = action.key
        if action.kind == "delete":
            if client.can_delete:
                client.delete(action.entry.remote)
                report(f"deleted   {key[0]} ({key[1]}): {client.kind} {action.entry.remote}")
            else:
                report(f"forgot    {key[0]} ({key[1]}): {action.note}")
            del state.entries[key]
            state.save()
            done["deleted"] += 1
        elif action.kind == "update":
            if client.update(action.entry.remote, action.item, state):
                _record(state, action.item, action.entry.remote, action.entry.origin)
                report(f"updated   {key[0]} ({key[1]}): {client.kind} {action.entry.remote}")
                done["updated"] += 1
            else:
                report(f"{key[0]} ({key[1]}): {client.kind} {action.entry.remote} is gone from {client.helpdesk}; creating it again")
                _create(action.item, state, client, report)
                done["created"] += 1
        elif action.kind == "create":
            remote = client.find(action.item, state) if action.entry is not None else None
            if remote is not None:
                client.update(remote, action.item, state)
                _record(state, action.item, remote, CREATED)
                report(f"found     {key[0]} ({key[1]}): {client.kind} {remote}, created before the interruption")
                done["updated"] += 1
            else:
                _create(action.item, state, client, report)
                done["created"] += 1
    return done


def _create(item: Item, state: State, client: Client, report) -> None:
    key = (item.id, item.lang)
    state.entries[key] = Entry(None, None, CREATED, item.title, pending=True)
    state.save()
    remote = client.create(item, state)
    _record(state, item, remote, CREATED)
    report(f"created   {key[0]} ({key[1]}): {client.kind} {remote}")


def _record(state: State, item: Item, remote: Any, origin: str) -> None:
    state.entries[(item.id, item.lang)] = Entry(remote, item.hash, origin, item.title)
    state.save()
