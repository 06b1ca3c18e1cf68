"""Test configuration: two fake CPU devices (so data-parallel code is testable) and a clean
name and random state for every test."""

import os

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=2")
os.environ.setdefault("KERAS_BACKEND", "jax")

import pytest  # noqa: E402

import neokeras  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_session():
    neokeras.backend.clear_session()
    neokeras.utils.set_random_seed(1234)
    yield
