"""Genealogy reads as one recursive query each, whatever the depth of the tree.

Walking a tree level by level costs a query (and an ORM compilation) per level; the
unit file asks for the tree or the parents of every assembled unit it shows, so both
walks are one ``WITH RECURSIVE`` statement (PostgreSQL and SQLite alike), bounded by
``MAX_DEPTH`` like the level-by-level walk they replace.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from unitrace.catalog.models import SKU
from unitrace.core.sql import aware, fetch, instance
from unitrace.serials.models import ComponentLink, Unit

MAX_DEPTH = 12

_LINK = ComponentLink._meta.db_table
_UNIT = Unit._meta.db_table
_SKU = SKU._meta.db_table
_ACTIVE = "l.installed_at <= %s AND (l.removed_at IS NULL OR l.removed_at > %s)"

_TREE_SQL = (
    "WITH RECURSIVE tree("  # noqa: S608 - table names from the models, values bound
    "link_id, parent_id, component_id, position, installed_at, depth) AS ("
    " SELECT l.id, l.parent_id, l.component_id, l.position, l.installed_at, 1"
    f" FROM {_LINK} l WHERE l.parent_id = %s AND {_ACTIVE}"
    " UNION ALL"
    " SELECT l.id, l.parent_id, l.component_id, l.position, l.installed_at, t.depth + 1"
    f" FROM {_LINK} l JOIN tree t ON l.parent_id = t.component_id"
    f" WHERE t.depth < {MAX_DEPTH} AND {_ACTIVE})"
    " SELECT t.parent_id, t.position, t.installed_at, u.id, u.serial, u.status, u.sku_id,"
    " s.id, s.code, s.name"
    f" FROM tree t JOIN {_UNIT} u ON u.id = t.component_id JOIN {_SKU} s ON s.id = u.sku_id"
    " ORDER BY t.depth, t.position, t.installed_at, t.link_id"
)
_PARENTS_SQL = (
    "WITH RECURSIVE up(parent_id, level) AS ("  # noqa: S608 - as above
    f" SELECT l.parent_id, 1 FROM {_LINK} l WHERE l.component_id = %s AND {_ACTIVE}"
    " UNION ALL"
    f" SELECT l.parent_id, up.level + 1 FROM {_LINK} l JOIN up ON l.component_id = up.parent_id"
    f" WHERE up.level < {MAX_DEPTH} AND {_ACTIVE})"
    " SELECT up.level, u.id, u.serial, u.status, u.sku_id, s.id, s.code, s.name"
    f" FROM up JOIN {_UNIT} u ON u.id = up.parent_id JOIN {_SKU} s ON s.id = u.sku_id"
    " ORDER BY up.level"
)
_UNIT_FIELDS = ["id", "serial", "status", "sku"]
_SKU_FIELDS = ["id", "code", "name"]


def _moment(at: datetime):
    return connection.ops.adapt_datetimefield_value(at)


def _unit(values) -> Unit:
    unit = instance(Unit, _UNIT_FIELDS, values[:4])
    unit.sku = instance(SKU, _SKU_FIELDS, values[4:])
    return unit


def tree_links(root_id: int, at: datetime) -> list[tuple[int, str, datetime, Unit]]:
    """(parent id, position, installed at, component) of every part inside ``root_id``.

    Rows come level by level, and within a level by position and installation time.
    """
    moment = _moment(at)
    rows = fetch(_TREE_SQL, [root_id, moment, moment, moment, moment])
    return [(r[0], r[1], aware(r[2]), _unit(r[3:])) for r in rows]


def parent_chain(unit_id: int, at: datetime) -> list[Unit]:
    """The parents of ``unit_id`` at ``at``, nearest first, up to the finished product."""
    moment = _moment(at)
    rows = fetch(_PARENTS_SQL, [unit_id, moment, moment, moment, moment])
    return [_unit(r[1:]) for r in rows]
