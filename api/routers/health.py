"""``/health``: is the server up and does its store answer."""

from __future__ import annotations

from fastapi import APIRouter

from newsgraph.api.deps import SettingsDep, StoreDep
from newsgraph.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(store: StoreDep, settings: SettingsDep) -> Health:
    """Report that the server is up, which store backs it and how many nodes it holds."""
    nodes = store.stats()["nodes"]
    backend = "sqlite" if store.url.startswith("sqlite:") else "neo4j"
    return Health(status="ok", store=backend, writes=bool(settings.api_key), nodes=nodes)
