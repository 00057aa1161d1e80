"""Procurement pages; thin views over the services in the package above."""
