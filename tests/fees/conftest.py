"""Fee fixtures: the example tariff the migration seeds (staff come from tests/conftest.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from notary.fees.models import FeeSchedule
from tests.fees.helpers import seed_example_tariff


@pytest.fixture
def tariff(app: Flask) -> FeeSchedule:
    return seed_example_tariff()
