"""The e-Request fixtures (a fixed clock, a customer with an old case) for the portal's tests."""

from srmt.erequests.tests.conftest import ana, clock, customer, old_case

__all__ = ["ana", "clock", "customer", "old_case"]
