"""Fixtures of the dashboard's tests: the tiny forum, a client, a demo with every step run, a live server."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_fixtures import BASE, Server, build_store  # type: ignore[import-not-found]

from chrysalide.web.app import create_app

# The hand-built forums of the journeys and community tests (forum_builder) serve here too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))


@pytest.fixture
def web_db(tmp_path: Path) -> Path:
    path = tmp_path / "web.duckdb"
    build_store(path).close()
    return path


@pytest.fixture
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(web_db), base_url=BASE)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated forum with every step run (the demo: ingest, consent, text, code, journeys, lexical, ...)."""
    from chrysalide.demo.run import run_demo

    return run_demo(tmp_path_factory.mktemp("web-demo"), size=1500, seed=3).database


@pytest.fixture
def server(web_db: Path):
    app = create_app(web_db)
    with Server(app) as running:
        yield running
