"""Benchmarks of notary at a province's scale (`make bench`); not part of the test suite."""
