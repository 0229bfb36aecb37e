"""newsgraph's web API (FastAPI): routers over the engine, no business logic."""
