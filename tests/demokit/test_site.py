"""After the demo, the public library is served over the demo's data for a browser."""

from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path

import httpx

from demokit.play import run_demo
from demokit.site import serve_site


def test_the_demo_data_stays_browsable_until_stopped(tmp_path: Path) -> None:
    """The demo's practice (crediting its member by name), TA offering and bill are served."""
    database_url = run_demo(io.StringIO(), keep_in=tmp_path)
    out, stop = io.StringIO(), threading.Event()
    server = threading.Thread(
        target=serve_site, args=(database_url, out), kwargs={"port": 0, "stop": stop}
    )
    server.start()
    try:
        for _ in range(100):
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", out.getvalue())
            if found:
                break
            time.sleep(0.05)
        assert found, out.getvalue()
        assert "(Ctrl-C stops it)" in out.getvalue()
        page = httpx.get(found[0], timeout=10)
        assert page.status_code == 200
        assert "Family resource nights" in page.text
        [practice] = re.findall(r'href="(/practices/\d+)"', page.text)
        assert "Shared by Maria Lopez" in httpx.get(found[0] + practice[1:], timeout=10).text
        directory = httpx.get(found[0] + "ta", timeout=10).text
        assert "Fresno County Office of Education" in directory
        tracker = httpx.get(found[0] + "policy", timeout=10).text
        assert "Community schools coordinators in every high-need school" in tracker
        assert httpx.get(found[0] + "slack/events", timeout=10).status_code == 404
    finally:
        stop.set()
        server.join(10)
    assert not server.is_alive()
