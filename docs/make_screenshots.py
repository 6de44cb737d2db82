"""Screenshots of the example knowledge base for the README, taken in Debian's headless Chromium.

Run from the repository root after `cxdocs build`:  python3 docs/make_screenshots.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import browser, serve  # noqa: E402

SHOTS = {
    "public-faq": "public/faq/returns-and-refunds/refunds-and-exchanges/#is-there-a-charge-for-exchanges",
    "internal-sop": "internal/sop/billing/process-refund-request/",
}
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with serve(ROOT / "site") as base, browser() as chromium:
        for name, path in SHOTS.items():
            for size, (width, height) in SIZES.items():
                page = chromium.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
                page.goto(f"{base}/{path}", wait_until="networkidle")
                page.screenshot(path=str(out / f"{name}-{size}.png"))
                page.close()
                print(out / f"{name}-{size}.png")


if __name__ == "__main__":
    main()
