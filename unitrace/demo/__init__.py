"""Demo data: a believable manufacturer loaded through the real services (``seed_demo``).

The top layer: it builds master data, units and their histories with every app's
services, so it may import any app and no app imports it.
"""
