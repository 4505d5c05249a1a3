"""Fee fixtures: staff, and the example tariff the migration seeds."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from notary.core.permissions import Role
from notary.fees.models import FeeSchedule
from tests.factories import create_staff
from tests.fees.helpers import seed_example_tariff


@pytest.fixture
def desk(app: Flask) -> Any:
    return create_staff(Role.FRONT_DESK)


@pytest.fixture
def notary(app: Flask) -> Any:
    return create_staff(Role.NOTARY)


@pytest.fixture
def director(app: Flask) -> Any:
    return create_staff(Role.DIRECTOR)


@pytest.fixture
def director2(app: Flask) -> Any:
    return create_staff(Role.DIRECTOR)


@pytest.fixture
def admin(app: Flask) -> Any:
    return create_staff(Role.ADMIN)


@pytest.fixture
def tariff(app: Flask) -> FeeSchedule:
    return seed_example_tariff()
