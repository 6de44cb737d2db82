"""Screenshots of the example knowledge base for the README, taken in Debian's headless Chromium.

Run from the repository root after `cxdocs build`:  python3 docs/make_screenshots.py

Each site is served at the root of its own local address, as on a host: the 404 page is the one
a host answers a missing address with.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import browser, serve_mounts  # noqa: E402

SHOTS = {
    "public-home": ("public", "", "light"),
    # A FAQ page opened from a shared link to one of its questions.
    "public-faq": ("public", "faq/returns-and-refunds/refunds-and-exchanges/#is-there-a-charge-for-exchanges", "light"),
    "public-faq-dark": ("public", "ru/faq/returns-and-refunds/refunds-and-exchanges/#when-will-i-get-my-refund", "dark"),
    "public-404": ("public", "sl/no-such-page/", "light"),
    "internal-sop": ("internal", "sop/billing/handle-price-match-request/", "light"),
}
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    site = ROOT / "site"
    with contextlib.ExitStack() as stack, browser() as chromium:
        bases = {name: stack.enter_context(serve_mounts({"/": site / name})) for name in ("public", "internal")}
        for name, (audience, path, scheme) in SHOTS.items():
            for size, (width, height) in SIZES.items():
                if scheme == "dark" and size == "phone":
                    continue
                context = chromium.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                               color_scheme=scheme)
                page = context.new_page()
                page.goto(f"{bases[audience]}/{path}", wait_until="networkidle")
                page.screenshot(path=str(out / f"{name}-{size}.png"))
                context.close()
                print(out / f"{name}-{size}.png")


if __name__ == "__main__":
    main()
