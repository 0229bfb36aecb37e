"""``/docs`` in a real Chromium with no other host reachable: Swagger UI draws the API from this server alone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_draw_with_no_request_leaving_the_server(visit):
    v = visit()
    page = v.open("/docs")
    page.wait_for_selector(".swagger-ui .information-container .title", timeout=15_000)
    assert page.locator(".swagger-ui .information-container .title").inner_text().startswith("newsgraph")
    # every resource group of the API is listed, so the spec was fetched and drawn
    tags = {t.strip() for t in page.locator(".opblock-tag-section h3 .nostyle span").all_inner_texts()}
    assert {"stories", "outlets", "analyses"} <= tags, tags
    v.screenshot("api-docs")
    # the visit fixture then checks: no request to another host, no JavaScript error, no dialog
