"""Helpers shared by tests (not fixtures)."""

import os
from pathlib import Path

from app import embedded

TEST_DATA_DIR = Path(__file__).resolve().parents[1] / ".data" / "test"


def test_server_url() -> str:
    """The PostgreSQL server tests run on: FEEDBACK_TEST_DATABASE_URL, else the embedded one."""
    given = os.environ.get("FEEDBACK_TEST_DATABASE_URL")
    if given:
        return given
    return embedded.start_embedded(TEST_DATA_DIR)
