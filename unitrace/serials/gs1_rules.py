"""Moved to :mod:`unitrace.codes.gs1_rules`; this name goes once every import uses it."""

import sys

from unitrace.codes import gs1_rules

sys.modules[__name__] = gs1_rules
