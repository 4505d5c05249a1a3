"""The deadline fixtures (staff, a case walked to a stage on a chosen day) serve here too."""

from tests.deadlines.conftest import accepted, staff, step  # noqa: F401
