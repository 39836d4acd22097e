"""The web app and JSON API (`triangulate serve`): see docs/web.md."""

from __future__ import annotations


def create_app(*args, **kwargs):
    """The FastAPI application (imported on use: the CLI's other commands need no web stack)."""
    from triangulate.app.server import create_app as create

    return create(*args, **kwargs)


__all__ = ["create_app"]
