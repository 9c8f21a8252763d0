"""The HTML digest in a real browser: no horizontal scroll at 375 px and 1024 px.

Needs `chromium` on PATH (`apt-get install -y chromium`); skipped otherwise.
The page is measured inside an iframe of the exact width (srcdoc, so the
parent may read it): headless Chromium will not make a window narrower than
500 px, so --window-size=375 alone would measure the wrong viewport.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from monitor.digest import render_digest
from monitor.types import DigestData

from .conftest import make_stressed_data

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium not on PATH (apt-get install -y chromium)"
    ),
    pytest.mark.slow,
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=2000",
]

WRAPPER = """<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" style="width:{width}px;height:1500px;border:0" srcdoc="{srcdoc}"></iframe>
<script>
const f = document.getElementById("f");
function report() {{
  const d = f.contentDocument, w = f.contentWindow;
  const out = document.createElement("pre");
  out.id = "result";
  out.textContent = JSON.stringify({{
    scrollWidth: d.documentElement.scrollWidth,
    bodyScrollWidth: d.body.scrollWidth,
    innerWidth: w.innerWidth,
    textLength: d.body.innerText.length,
  }});
  document.body.appendChild(out);
}}
f.addEventListener("load", report);  // the srcdoc document, not the initial about:blank
</script>
</body></html>
"""


def run_chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def measure(tmp_path: Path, page: str, width: int) -> dict[str, int]:
    wrapper = tmp_path / f"wrapper-{width}.html"
    wrapper.write_text(
        WRAPPER.format(width=width, srcdoc=html.escape(page, quote=True)), encoding="utf-8"
    )
    dom = run_chromium(tmp_path, "--window-size=1280,1600", "--dump-dom", wrapper.as_uri())
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found, "the measuring script did not run"
    result: dict[str, int] = json.loads(html.unescape(found.group(1)))
    return result


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", head[16:24])
    return int(w), int(h)


@pytest.mark.parametrize("width", [375, 1024])
def test_no_horizontal_scroll(tmp_path: Path, digest_data: DigestData, width: int) -> None:
    page = render_digest(make_stressed_data(digest_data)).html
    (tmp_path / "digest.html").write_text(page, encoding="utf-8")
    opened, n = re.subn(r"<details\b", "<details open", page)
    assert n == 1
    for variant in (page, opened):  # left-out list expanded too
        result = measure(tmp_path, variant, width)
        assert result["innerWidth"] == width
        assert result["textLength"] > 2000  # measured the digest, not an empty frame
        assert result["scrollWidth"] <= result["innerWidth"], result

    shot = tmp_path / f"digest-{width}.png"
    run_chromium(
        tmp_path,
        f"--window-size={width},2000",
        f"--screenshot={shot}",
        (tmp_path / "digest.html").as_uri(),
    )
    assert png_size(shot)[0] == width


def test_measurement_detects_overflow(tmp_path: Path) -> None:
    """The check above is not vacuous: a fixed 900 px block does scroll at 375 px."""
    result = measure(
        tmp_path, '<!DOCTYPE html><body><div style="width:900px">wide</div></body>', 375
    )
    assert result["scrollWidth"] > result["innerWidth"]
