"""Moved to :mod:`unitrace.codes.gs1`; this name goes once every import uses the new one."""

import sys

from unitrace.codes import gs1

sys.modules[__name__] = gs1
