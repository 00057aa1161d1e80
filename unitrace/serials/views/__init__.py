"""Serials' own pages: unit search, the unit list and registration (import, generate).

The pages that show what upper layers add to a unit (its file with warranty and
authenticity, the scan summary, labels with verification codes) are compositions in
``unitrace.unitfile``; they reuse the helpers of ``common``.
"""
