"""``/docs``: Swagger UI from one pinned release, each file checked by its hash, under a CSP that allows nothing else."""

from __future__ import annotations

import base64
import hashlib
import re

from newsgraph.api.swagger import SWAGGER_VERSION


def csp_of(response) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in response.headers["Content-Security-Policy"].split("; ")}


def test_docs_page_pins_its_assets_and_allows_only_them(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
    page, csp = r.text, csp_of(r)
    assert csp["default-src"] == ["'none'"] and csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert len(external) == 2, external
    for tag in re.findall(r"<(?:script|link)\b[^>]*https?://[^>]*>", page):
        assert re.search(r'integrity="sha384-[A-Za-z0-9+/=]{64}"', tag) and 'crossorigin="anonymous"' in tag, tag
    [js] = [u for u in external if u.endswith(".js")]
    [css] = [u for u in external if u.endswith(".css")]
    assert f"swagger-ui-dist@{SWAGGER_VERSION}/" in js and SWAGGER_VERSION.count(".") == 2  # one exact release
    scripts = csp["script-src"]
    assert js in scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert css in csp["style-src"]
    # the one inline script runs because the CSP names its hash, and nothing else inline would
    [inline] = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    digest = "'sha256-" + base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode() + "'"
    assert [s for s in scripts if s.startswith("'sha")] == [digest]
    assert "/openapi.json" in inline


def test_fastapis_cdn_pages_are_gone(client):
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404
    assert client.get("/openapi.json").status_code == 200
