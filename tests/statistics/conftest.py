"""The deadline tests' fixtures (staff, a case accepted on a day, a step on a day), reused."""

from tests.deadlines.conftest import accepted, staff, step  # noqa: F401  (fixtures by name)
