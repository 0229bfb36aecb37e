"""Errors as HTTP responses, in one place: engine errors map to status codes here.

Handlers never raise ``HTTPException``; they let :mod:`engine.errors` exceptions
(and the two API-only ones below) reach :func:`newsgraph_error`.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from newsgraph.engine.errors import (
    Cancelled,
    ConfigError,
    InputError,
    NewsgraphError,
    NotEnoughData,
    NotFound,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)


class WritesDisabled(NewsgraphError):
    """A write was asked for but the server has no API key set, so writes are off."""


class BadApiKey(NewsgraphError):
    """A write came without the API key, or with a wrong one."""


class OverPublicLimit(NewsgraphError):
    """An analysis parameter is above what a request without the API key may ask for."""

    def __init__(self, param: str, limit: float, value: float):
        self.param, self.limit, self.value = param, limit, value
        super().__init__(f"{param} may be at most {limit} without the API key (header X-API-Key), not {value}")

    def as_validation_error(self) -> dict[str, Any]:
        """The error as one item of a 422 body, like a query parameter out of its declared bounds."""
        return {"type": "over_public_limit", "loc": ["query", self.param], "msg": str(self), "input": self.value,
                "ctx": {"le": self.limit}}


class AnalysesBusy(NewsgraphError):
    """Every slot for analyses of requests without the API key is computing one: ask again later."""

    retry_after = 5

    def __init__(self, slots: int):
        self.slots = slots
        if slots:
            message = (f"the server is computing as many analyses with parameters or filters of their own for "
                       f"requests without the API key as it allows ({slots}); ask again later, with the defaults, "
                       f"or with the key (header X-API-Key)")
        else:
            message = ("this server computes analyses with parameters or filters of their own only for requests "
                       "with the API key (header X-API-Key); with the defaults they are answered")
        super().__init__(message)


# most specific first: the first class the error is an instance of decides
STATUS: tuple[tuple[type[NewsgraphError], int], ...] = (
    (NotFound, 404),
    (BadApiKey, 401),
    (OverPublicLimit, 422),
    (WritesDisabled, 403),
    (AnalysesBusy, 503),
    (Cancelled, 499),  # the client closed the connection first (nobody reads this answer)
    (InputError, 422),
    (NotEnoughData, 409),
    (ConfigError, 400),
    (StoreUnavailable, 503),
    (StoreError, 500),
    (NewsgraphError, 500),
)


RESPONSES: dict[int, str] = {
    400: "A parameter the analysis cannot use.",
    401: "The API key is missing or wrong (header X-API-Key).",
    403: "Writes are off: the server has no API key set.",
    404: "No node with this id.",
    409: "The data the filters select is too little for this analysis.",
    413: "The request body is larger than the server accepts.",
    503: "The store cannot be reached, another writer holds it locked, or the server is computing as many "
         "analyses for requests without the API key as it allows (see Retry-After).",
}


def documented(*codes: int, html: bool = False) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses a route can answer (the body is ``ErrorOut``, or a page)."""
    from newsgraph.api.schemas import ErrorOut

    if html:
        return {c: {"description": RESPONSES[c], "content": {"text/html": {"schema": {"type": "string"}}}}
                for c in codes}
    return {c: {"model": ErrorOut, "description": RESPONSES[c]} for c in codes}


def status_of(error: NewsgraphError) -> int:
    """The HTTP status code for ``error``.

    >>> status_of(NotFound("story", "x")), status_of(WritesDisabled()), status_of(NotEnoughData("no rows"))
    (404, 403, 409)
    """
    return next(code for kind, code in STATUS if isinstance(error, kind))


async def newsgraph_error(request: Request, error: NewsgraphError) -> Response:
    """The one handler: ``{"detail": message, "error": kind}`` with the mapped status; pages get an HTML page."""
    status = status_of(error)
    if not request.url.path.startswith(("/api/", "/health")):
        from newsgraph.api.html import TEMPLATES, secure

        page = TEMPLATES.TemplateResponse(request, "error.html", {"status": status, "message": str(error)},
                                          status_code=status, headers=_retry_after(error))
        return secure(page)
    if isinstance(error, OverPublicLimit):  # the body of any other parameter out of bounds
        return JSONResponse({"detail": [error.as_validation_error()]}, status_code=status)
    body = {"detail": str(error) or (type(error).__doc__ or "").strip(), "error": type(error).__name__}
    if isinstance(error, NotFound):
        body.update(kind=error.kind, id=error.key)
    headers = None
    if isinstance(error, BadApiKey):
        headers = {"WWW-Authenticate": "X-API-Key"}
    else:
        headers = _retry_after(error)
    return JSONResponse(body, status_code=status, headers=headers)


def _retry_after(error: NewsgraphError) -> dict[str, str] | None:
    """The ``Retry-After`` header of an error that passes: another writer's lock, analysis slots that are busy
    (not a server that has none)."""
    if isinstance(error, StoreBusy) or (isinstance(error, AnalysesBusy) and error.slots):
        return {"Retry-After": str(error.retry_after)}
    return None


def json_safe(value: Any) -> Any:
    """``value`` with every NaN or infinite float written as text, so strict JSON can carry it.

    >>> json_safe({"input": float("nan"), "ctx": [float("-inf"), 1.5]})
    {'input': 'nan', 'ctx': ['-inf', 1.5]}
    """
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


async def validation_error(request: Request, error: RequestValidationError) -> Response:
    """FastAPI's 422 body, with the values that failed made JSON-safe.

    A rejected NaN or ``1e309`` (read as infinity) is echoed back as the ``input`` of
    the error; strict JSON has no such numbers, so the stock handler fails with a 500.
    """
    return JSONResponse({"detail": json_safe(jsonable_encoder(error.errors()))}, status_code=422)
