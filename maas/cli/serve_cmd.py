"""``maas serve``: the HTTP service with the web map."""

from __future__ import annotations

from typing import Annotated

import typer

#: The service, named for uvicorn: the library and its command line never import ``api``
#: (the ``no-service-in-library`` contract in pyproject.toml); only uvicorn loads it, by name.
SERVICE = "api.main:app"


def register(app: typer.Typer) -> None:
    """Add ``maas serve`` to the CLI."""
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (the README recommends one per core).", min=1, max=64)] = 1,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
) -> None:
    """Start the service on the default data (or MAAS_FEEDS): the web map at / and the API under /v1 (docs at /docs)."""
    import uvicorn

    from maas.defaults import feed_paths_from_env
    from maas.timetable.cache import load_timetable

    # Load the service here first: it reads and checks its MAAS_* settings, so a wrong one is one
    # clear error (a MaasError) before anything is compiled or a worker starts.
    uvicorn.Config(SERVICE).load()
    # Compile once here so that the workers only load the cache.
    load_timetable(feed_paths_from_env())
    typer.echo(f"maas: serving on http://{host}:{port}/  (API docs at http://{host}:{port}/docs)", err=True)
    # Forwarded addresses are read by the service itself, from MAAS_TRUSTED_PROXIES only.
    uvicorn.run(SERVICE, host=host, port=port, workers=workers, log_level=log_level, proxy_headers=False, server_header=False)
