"""After the demo: keep serving the public library over the demo's data, for a browser.

A newcomer who ran `make run` without Slack settings can then open http://127.0.0.1:3000/ and
see what policymakers, funders and families would see. Only the public site is served (the
same `PublicSite` the bot mounts beside `/slack/events`); Ctrl-C stops it.
"""

from __future__ import annotations

import threading
from typing import IO
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from core.clock import Clock, utc_now
from core.config import load_settings
from handlers.deps import Deps
from handlers.library.site import PublicSite
from storage.db import make_engine, make_session_factory
from storage.uow import UnitOfWork

HOST = "127.0.0.1"
PORT = 3000


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def _not_found(environ: dict[str, object], start_response: object) -> list[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain")])  # type: ignore[operator]
    return [b"not found"]


def serve_site(
    database_url: str,
    out: IO[str],
    *,
    port: int = PORT,
    clock: Clock = utc_now,
    stop: threading.Event | None = None,
) -> int:
    """Serve the library over `database_url` until Ctrl-C (or `stop`); returns an exit status."""
    settings = load_settings(None, database_url=database_url)
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    site = PublicSite(Deps(settings=settings, uow=lambda: UnitOfWork(sessions), clock=clock))

    def app(environ: dict[str, object], start_response: object) -> object:
        if site.handles(str(environ.get("PATH_INFO", "/"))):
            return site(environ, start_response)  # type: ignore[arg-type]
        return _not_found(environ, start_response)

    try:
        server = make_server(HOST, port, app, server_class=WSGIServer, handler_class=_QuietHandler)  # type: ignore[arg-type]
    except OSError as exc:
        out.write(f"\nCould not serve the public library on port {port} ({exc.strerror}).\n")
        engine.dispose()
        return 0
    out.write(
        "\nThe public library (what people without Slack see) is being served over the demo's\n"
        f"data at http://{HOST}:{server.server_port}/  (Ctrl-C stops it).\n"
    )
    out.flush()
    if stop is not None:

        def stop_when_asked() -> None:
            stop.wait()
            server.shutdown()

        threading.Thread(target=stop_when_asked, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        out.write("\nStopped serving the public library.\n")
    finally:
        server.server_close()
        engine.dispose()
    return 0
