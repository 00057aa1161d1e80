"""Customers and distributors are ``parties.services`` (creating, editing, finding).

This name is kept for code written against the sales app's old home of that service.
"""

from unitrace.parties.services import find_or_create_customer

__all__ = ["find_or_create_customer"]
