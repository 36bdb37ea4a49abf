"""Screenshots of the pages at a desktop (1440 px) and a phone (390 px) width, into docs/.

    python scripts/screenshots.py /tmp/demo-folder [--pages overview managers]

Starts `streamlit run app.py` on a free local port over the given dataset folder's parent,
drives the project's headless Chromium (the browser tests' fixture settings) and writes
docs/screenshot-<page>-<width>.png. A developer tool: nothing in cmdash reads the files.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.browsing import (  # noqa: E402  (the browser tests' settings)
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    free_port,
    settle,
)

WIDTHS = {1440: 900, 390: 844}  # width → viewport height (a laptop, an iPhone 14)
TALL = 2600  # the desktop shot: the whole overview (Streamlit scrolls its own container)


def _serve(dataset: Path, port: int) -> subprocess.Popen:
    env = os.environ | {"CMDASH_DATA_ROOTS": str(dataset.parent)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("streamlit did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--pages", nargs="+", default=["overview", "managers"])
    parser.add_argument("--lang", default="中文")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = _serve(args.dataset.resolve(), port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=list(CHROMIUM_ARGS))
            for width, height in WIDTHS.items():
                tall = TALL if width > 400 else height
                page = browser.new_page(viewport={"width": width, "height": tall})
                for name in args.pages:
                    url = (f"http://127.0.0.1:{port}/{PAGES[name]}?lang={quote(args.lang)}"
                           f"&ds={quote(args.dataset.name)}")
                    page.goto(url)
                    settle(page)
                    out = ROOT / "docs" / f"screenshot-{name}-{width}.png"
                    page.screenshot(path=str(out))
                    print(out.relative_to(ROOT))
                page.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
