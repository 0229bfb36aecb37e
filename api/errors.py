"""Errors as HTTP responses, in one place: engine errors map to status codes here.

Handlers never raise ``HTTPException``; they let :mod:`engine.errors` exceptions
(and the two API-only ones below) reach :func:`newsgraph_error`.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from engine.errors import (
    ConfigError,
    InputError,
    NewsgraphError,
    NotFound,
    StoreError,
    StoreUnavailable,
)


class WritesDisabled(NewsgraphError):
    """A write was asked for but the server has no API key set, so writes are off."""


class BadApiKey(NewsgraphError):
    """A write came without the API key, or with a wrong one."""


# most specific first: the first class the error is an instance of decides
STATUS: tuple[tuple[type[NewsgraphError], int], ...] = (
    (NotFound, 404),
    (BadApiKey, 401),
    (WritesDisabled, 403),
    (InputError, 422),
    (ConfigError, 400),
    (StoreUnavailable, 503),
    (StoreError, 500),
    (NewsgraphError, 500),
)


def status_of(error: NewsgraphError) -> int:
    """The HTTP status code for ``error``.

    >>> status_of(NotFound("story", "x")), status_of(WritesDisabled())
    (404, 403)
    """
    return next(code for kind, code in STATUS if isinstance(error, kind))


async def newsgraph_error(request: Request, error: NewsgraphError) -> Response:
    """The one handler: ``{"detail": message, "error": kind}`` with the mapped status; pages get an HTML page."""
    status = status_of(error)
    if not request.url.path.startswith(("/api/", "/health")):
        from api.html import TEMPLATES, secure

        page = TEMPLATES.TemplateResponse(request, "error.html", {"status": status, "message": str(error)},
                                          status_code=status)
        return secure(page)
    body = {"detail": str(error) or (type(error).__doc__ or "").strip(), "error": type(error).__name__}
    if isinstance(error, NotFound):
        body.update(kind=error.kind, id=error.key)
    headers = {"WWW-Authenticate": "X-API-Key"} if isinstance(error, BadApiKey) else None
    return JSONResponse(body, status_code=status, headers=headers)
