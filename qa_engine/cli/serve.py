"""`qa-engine serve`: the web workspace (FastAPI on uvicorn) over the store."""

from __future__ import annotations

import click

from qa_engine.cli.base import cli, say, store_db_option


@cli.command()
@store_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--secure-cookies", is_flag=True,
              help="Mark cookies Secure (behind a proxy that terminates HTTPS).")
def serve(db: str | None, host: str, port: int, secure_cookies: bool) -> None:
    """Serve the web workspace: sign in, upload and self-check dossiers, the queue, the API."""
    import logging

    import uvicorn

    from qa_engine.web.app import create_app

    app = create_app(db, secure_cookies=secure_cookies)
    store = app.state.store
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("qa_engine.web.access").setLevel(logging.INFO)  # one JSON line per request
    say(f"qa-engine workspace on http://{host}:{port}/ over {store.display} (Ctrl-C stops it)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
    finally:
        store.close()
