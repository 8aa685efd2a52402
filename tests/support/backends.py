"""The same tests on both backends: fixtures giving a project on the PostgreSQL test server.

``pg_sample`` is the bundled sample project in a fresh database, copied (``CREATE DATABASE …
TEMPLATE``) from one built once per test session: building it takes seconds, copying it a fraction
of one. ``pg_project`` is the tests' mini project (``project`` in ``conftest.py``) on the server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, text

from mda_coder.services.project import create_project, open_project
from mda_coder.services.sample import build_sample_project
from mda_coder.store.engine import Database


def _server() -> str:
    from tests.conftest import POSTGRES, no_server

    server = os.environ.get(POSTGRES)
    if not server:
        no_server()
    return server


def _admin(server: str) -> Engine:
    return create_engine(server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")


@contextmanager
def _database(template: str | None = None) -> Iterator[str]:
    """The URL of a new database on the test server (a copy of ``template``), dropped afterwards."""
    server = _server()
    name = f"mda_{'test' if template else 'tpl'}_{uuid.uuid4().hex[:10]}"
    admin = _admin(server)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        yield server.rsplit("/", 1)[0] + f"/{name}"
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _name(url: str) -> str:
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def pg_sample_template() -> Iterator[str]:
    """The name of a database holding the sample project, built once; copy it, never open it."""
    with _database() as url:
        build_sample_project(url).close()  # type: ignore[arg-type]  # a URL does for a path
        yield _name(url)


@pytest.fixture
def pg_sample(pg_sample_template: str) -> Iterator[str]:
    """The URL of a fresh database holding the sample project."""
    with _database(pg_sample_template) as url:
        yield url


@pytest.fixture(scope="session")
def pg_mini_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The name of a database holding the mini project of ``conftest.project``, made once."""
    from tests.conftest import MINI_CODEBOOK

    codebook = tmp_path_factory.mktemp("pg") / "mini.yaml"
    codebook.write_text(MINI_CODEBOOK, encoding="utf-8")
    with _database() as url:
        create_project(url, "sv", codebook, actor="test").close()
        yield _name(url)


@pytest.fixture
def pg_project(pg_mini_template: str) -> Iterator[Database]:
    """The mini project of ``conftest.project`` (codebook, no documents), in a fresh database on the server."""
    with _database(pg_mini_template) as url:
        db = open_project(url)
        yield db
        db.close()
