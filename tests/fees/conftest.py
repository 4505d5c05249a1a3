"""Fee fixtures: the tariffs the migrations seed (staff come from tests/conftest.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from notary.fees.models import FeeSchedule
from tests.fees.helpers import seed_example_tariff, seed_hunan_tariffs


@pytest.fixture
def tariff(app: Flask) -> FeeSchedule:
    """The 2010 standard alone: every case of a test is charged by it."""
    return seed_example_tariff()


@pytest.fixture
def hunan(app: Flask) -> dict[str, FeeSchedule]:
    """What a fresh office starts with: the 2010, 2020 (818号) and 2025 (737号) schedules."""
    return seed_hunan_tariffs()
