"""A build is a set of targets: one audience in one language."""

from __future__ import annotations

from dataclasses import dataclass

from cxdocs.core.audience import AUDIENCES, INTERNAL, PUBLIC
from cxdocs.core.errors import CxdocsError


@dataclass(frozen=True, order=True)
class Target:
    audience: str
    lang: str

    def __str__(self) -> str:
        return f"{self.audience}:{self.lang}"

    @property
    def is_public(self) -> bool:
        return self.audience == PUBLIC


def all_targets(languages: list[str]) -> list[Target]:
    return [Target(audience, lang) for audience in (PUBLIC, INTERNAL) for lang in languages]


def parse_target(spec: str, languages: list[str]) -> Target:
    """``public:sl`` or ``internal`` (the default language)."""
    audience, _, lang = spec.partition(":")
    lang = lang or languages[0]
    if audience not in AUDIENCES:
        raise CxdocsError(f"target {spec!r}: audience must be one of {', '.join(AUDIENCES)}")
    if lang not in languages:
        raise CxdocsError(f"target {spec!r}: language {lang!r} is not configured ({', '.join(languages)})")
    return Target(audience, lang)
