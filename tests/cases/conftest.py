"""Staff fixtures shared by the case tests."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from notary.core.permissions import Role
from tests.factories import create_staff


@pytest.fixture
def desk(app: Flask) -> Any:
    return create_staff(Role.FRONT_DESK)


@pytest.fixture
def notary(app: Flask) -> Any:
    return create_staff(Role.NOTARY)


@pytest.fixture
def director(app: Flask) -> Any:
    return create_staff(Role.DIRECTOR)
