"""``/docs``: Swagger UI for the OpenAPI spec, loaded from one pinned CDN release under a strict CSP.

No package in the lock ships Swagger UI's files (the ``fastapi`` wheel links
a CDN, by major version only, with no integrity check and no CSP). Rather than
add a dependency for one page, the page names one exact release on jsDelivr,
each file with its Subresource Integrity hash, and a CSP that allows those two
files, the page's one inline script (by its hash) and requests to this server
only. A changed or swapped file on the CDN is refused by the browser.

To move to another release: ``npm pack swagger-ui-dist@VERSION``, then for
``swagger-ui-bundle.js`` and ``swagger-ui.css`` of the tarball
``openssl dgst -sha384 -binary FILE | openssl base64 -A``, and set the three
constants below.

>>> "'sha256-" in DOCS_CSP and SWAGGER_JS in DOCS_CSP and "unsafe-eval" not in DOCS_CSP
True
"""

from __future__ import annotations

import base64
import hashlib
import html

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from newsgraph.api.html import secure

SWAGGER_VERSION = "5.35.0"
_CDN = f"https://cdn.jsdelivr.net/npm/swagger-ui-dist@{SWAGGER_VERSION}"
SWAGGER_JS = f"{_CDN}/swagger-ui-bundle.js"
SWAGGER_CSS = f"{_CDN}/swagger-ui.css"
SWAGGER_JS_SRI = "sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9"
SWAGGER_CSS_SRI = "sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I"

# fixed text, so that its hash can stand in the CSP instead of 'unsafe-inline'
INIT_SCRIPT = (
    'window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, '
    "validatorUrl: null, layout: \"BaseLayout\", "
    "presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]});"
)
_INIT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(INIT_SCRIPT.encode()).digest()).decode()

# Swagger UI sets style attributes as it draws, hence 'unsafe-inline' for styles (not for scripts)
DOCS_CSP = (
    f"default-src 'none'; script-src {SWAGGER_JS} '{_INIT_HASH}'; style-src {SWAGGER_CSS} 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>newsgraph API</title>
<link rel="stylesheet" href="{html.escape(SWAGGER_CSS)}" integrity="{SWAGGER_CSS_SRI}" crossorigin="anonymous">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{html.escape(SWAGGER_JS)}" integrity="{SWAGGER_JS_SRI}" crossorigin="anonymous"></script>
<script>{INIT_SCRIPT}</script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui() -> HTMLResponse:
    """The interactive API docs."""
    return secure(HTMLResponse(PAGE), DOCS_CSP)
