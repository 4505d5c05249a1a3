"""Legal-aid tests use the fee fixtures (the seeded example tariff)."""

from tests.fees.conftest import tariff  # noqa: F401  (re-exported fixture)
