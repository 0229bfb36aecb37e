"""``/docs``: Swagger UI for the OpenAPI spec, served from the installed package under a strict CSP.

FastAPI's own ``/docs`` takes Swagger UI's scripts from a CDN, by major version
only, with no integrity check and no CSP: a changed file there would run on this
origin, and the page is blank without a network. Here the two files come from the
``fastapi-offline`` package (which ships Swagger UI 5's release files, Apache-2.0;
pinned in the lock; only its files are used), served by this app under ``/docs/assets/``; the CSP allows scripts and
styles from this origin only, plus the page's one inline script by its hash.

>>> "'sha256-" in DOCS_CSP and "unsafe-eval" not in DOCS_CSP and "http" not in DOCS_CSP
True
"""

from __future__ import annotations

import base64
import hashlib
from importlib import metadata, resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from newsgraph.api.html import secure
from newsgraph.engine.errors import NotFound

_DIST = "fastapi-offline"
SWAGGER_VERSION = metadata.version(_DIST)
"The version of the distribution the files come from: it changes when they do (the pages' cache key)."
_FILES = Path(str(resources.files("fastapi_offline").joinpath("static")))
ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css"}
"The only files of the distribution this app serves, with their media types."

# fixed text, so that its hash can stand in the CSP instead of 'unsafe-inline'
INIT_SCRIPT = (
    'window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, '
    "validatorUrl: null, layout: \"BaseLayout\", "
    "presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]});"
)
_INIT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(INIT_SCRIPT.encode()).digest()).decode()

# Swagger UI sets style attributes as it draws, hence 'unsafe-inline' for styles (not for scripts)
DOCS_CSP = (
    f"default-src 'none'; script-src 'self' '{_INIT_HASH}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>newsgraph API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css?v={SWAGGER_VERSION}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js?v={SWAGGER_VERSION}"></script>
<script>{INIT_SCRIPT}</script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui() -> HTMLResponse:
    """The interactive API docs."""
    return secure(HTMLResponse(PAGE), DOCS_CSP)


@router.get("/docs/assets/{name}")
def swagger_asset(name: str) -> FileResponse:
    """One of Swagger UI's two files, from the installed package."""
    if name not in ASSETS:  # a fixed list, so no name can reach another file of the package or the disk
        raise NotFound("docs asset", name)
    response = FileResponse(_FILES / name, media_type=ASSETS[name])
    response.headers["Cache-Control"] = "public, max-age=86400"
    return secure(response, DOCS_CSP)
