"""``/docs``: Swagger UI from the installed package, served by this app, under a CSP that allows nothing else."""

from __future__ import annotations

import base64
import hashlib
import re

from newsgraph.api.swagger import SWAGGER_VERSION


def csp_of(response) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in response.headers["Content-Security-Policy"].split("; ")}


def test_docs_page_takes_its_assets_from_this_server_and_allows_only_them(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
    page, csp = r.text, csp_of(r)
    assert csp["default-src"] == ["'none'"] and csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page), "no file of the page may come from another host"
    scripts = csp["script-src"]
    assert "'self'" in scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert not [s for s in csp["script-src"] + csp["style-src"] if "://" in s]
    # the one inline script runs because the CSP names its hash, and nothing else inline would
    [inline] = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    digest = "'sha256-" + base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode() + "'"
    assert [s for s in scripts if s.startswith("'sha")] == [digest]
    assert "/openapi.json" in inline
    for path in re.findall(r'(?:src|href)="(/docs/assets/[^"?]+)', page):
        asset = client.get(path)
        assert asset.status_code == 200 and len(asset.content) > 10_000, path
        assert asset.headers["content-type"].startswith(("text/javascript", "text/css"))
    assert SWAGGER_VERSION.count(".") == 2  # one exact release, the one the lock pins


def test_only_the_two_swagger_files_are_served(client):
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    for name in ("index.html", "swagger-ui-bundle.js.map", "..%2F__init__.py", "%2Fetc%2Fpasswd"):
        assert client.get(f"/docs/assets/{name}").status_code == 404, name


def test_fastapis_cdn_pages_are_gone(client):
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404
    assert client.get("/openapi.json").status_code == 200
