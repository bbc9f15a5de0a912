"""The webhook receiver of tests/webhooks, as a fixture for the fault tests too."""

from tests.webhooks.conftest import receiver

__all__ = ["receiver"]
