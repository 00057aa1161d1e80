"""Number and date formats of the two languages (``FORMAT_MODULE_PATH``).

Django's own locale formats are the base; only what unitrace does differently is set.
"""
