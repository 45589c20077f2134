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
@click.option("--keys", "keys_dir", metavar="DIR",
              help="The issuer's key directory for publishing decisions (default: $QA_ENGINE_KEYS, else ./qa-engine-keys); "
                   "its --base-url should be this server's public address.")
@click.option("--status-dir", metavar="DIR",
              help="The status lists (default: $QA_ENGINE_STATUS, else ./qa-engine-status), served at /status/.")
@click.option("--agency", metavar="FILE",
              help="The agency profile for the DEQAR / ELM / CTDL exports (default: $QA_ENGINE_AGENCY).")
def serve(db: str | None, host: str, port: int, secure_cookies: bool, keys_dir: str | None,
          status_dir: str | None, agency: str | None) -> None:
    """Serve the web workspace: sign in, upload and self-check dossiers, the queue, the API,
    and the public register of published decisions (/register)."""
    import logging

    import uvicorn

    from qa_engine.web.app import create_app

    app = create_app(db, secure_cookies=secure_cookies, keys_dir=keys_dir, status_dir=status_dir, agency=agency)
    store = app.state.store
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("qa_engine.web.access").setLevel(logging.INFO)  # one JSON line per request
    say(f"qa-engine workspace on http://{host}:{port}/ over {store.display} (Ctrl-C stops it)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
    finally:
        store.close()
