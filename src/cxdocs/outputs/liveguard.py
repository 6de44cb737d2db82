"""The leak guard of a served public preview, kept current one page at a time.

A full guard reads every source of the target again: seconds on a site of thousands of pages, too
slow to pay on every save. This guard holds the same reference as counts of word runs, so a
changed page's old part can be taken out and its new part put in. A run is a fingerprint while
some internal text holds it and no public text does, exactly as in :class:`LeakGuard`, so a
page checked after an edit is checked as a full build would check it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from cxdocs.outputs.guard import LONG, SHORT, LeakGuard, Reference, internal_runs, ngrams, page_reference, words

Run = tuple[str, ...]


def public_runs(text: str) -> Iterator[Run]:
    """Every 3- to 5-word run of a public text: any of them hides an internal run from the guard."""
    tokens = words(text)
    for n in range(SHORT, LONG + 1):
        yield from ngrams(tokens, n)


class LiveGuard(LeakGuard):
    """A :class:`LeakGuard` whose reference can be updated page by page.

    Runs are kept as tuples (not hashes) so that no collision can ever hide a leak.
    """

    def __init__(self, project, target, generated: Iterable[str]):
        self.project, self.target = project, target
        self.public: Counter[Run] = Counter()
        self.internal: Counter[Run] = Counter()
        self.origins: dict[Run, str] = {}
        self.generated: list[str] = []
        internal_urls: set[str] = set()
        public_urls: set[str] = {""}
        self.replace_generated(generated)
        for page in project.pages:
            reference = page_reference(project, target, page)
            self._count(reference, +1)
            internal_urls |= reference.internal_urls
            public_urls |= reference.public_urls
        self.internal_urls = {u.strip("/") for u in internal_urls - public_urls if u.strip("/")}
        self.lengths = list(range(SHORT, LONG + 1))
        self.fingerprints = _Fingerprints(self)

    def replace_page(self, old_page, new_page) -> bool:
        """Swap one page's part of the reference; False if its URLs changed (a full build is needed)."""
        old = page_reference(self.project, self.target, old_page)
        new = page_reference(self.project, self.target, new_page)
        self._count(old, -1)
        self._count(new, +1)
        return (old.internal_urls, old.public_urls) == (new.internal_urls, new.public_urls)

    def replace_generated(self, texts: Iterable[str]) -> None:
        """The generated pages' text (landing pages, listings) is public too.

        Only the texts that changed are counted again: most of them stay the same after an edit.
        """
        texts = list(texts)
        old, new = Counter(self.generated), Counter(texts)
        for text in (old - new).elements():
            self._remove(self.public, public_runs(text))
        for text in (new - old).elements():
            self.public.update(public_runs(text))
        self.generated = texts

    def _count(self, reference: Reference, sign: int) -> None:
        for text in reference.public:
            if sign > 0:
                self.public.update(public_runs(text))
            else:
                self._remove(self.public, public_runs(text))
        for fragment in reference.internal:
            runs = internal_runs(fragment)
            if sign > 0:
                self.internal.update(runs)
                for run in runs:
                    self.origins.setdefault(run, fragment.origin)
            else:
                self._remove(self.internal, runs)
                for run in runs:
                    # Another fragment may still hold the run; its origin is looked up when needed.
                    if self.origins.get(run) == fragment.origin:
                        del self.origins[run]

    @staticmethod
    def _remove(counter: Counter, runs: Iterable[Run]) -> None:
        for run in runs:
            left = counter.get(run, 0) - 1
            if left > 0:
                counter[run] = left
            else:
                counter.pop(run, None)  # zero counts would pile up over a long session

    def _fingerprint_in(self, tokens: list[str]) -> tuple[Run, str] | None:
        for n in self.lengths:
            for run in ngrams(tokens, n):
                origin = self.fingerprints.get(run)
                if origin:
                    return run, origin
        return None

    def origin_of(self, run: Run) -> str:
        if run not in self.origins:
            # Rare (only when reporting a leak): find the page that holds the run now.
            for page in self.project.pages:
                for fragment in page_reference(self.project, self.target, page).internal:
                    if run in internal_runs(fragment):
                        self.origins[run] = fragment.origin
                        return fragment.origin
            return "internal text"
        return self.origins[run]


class _Fingerprints:
    """The mapping LeakGuard's scan reads (run -> origin), computed from the counts."""

    def __init__(self, guard: LiveGuard):
        self.guard = guard

    def get(self, run: Run) -> str | None:
        if self.guard.internal.get(run) and not self.guard.public.get(run):
            return self.guard.origin_of(run)
        return None

    def __len__(self) -> int:
        return sum(1 for run in self.guard.internal if not self.guard.public.get(run))
