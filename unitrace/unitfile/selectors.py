"""The unit file: serials' facts about a unit, with its warranty and its label's URL.

Composed here, above serials, so that serials never needs warranty or authenticity.
The reads stay the fixed SQL of ``serials.file_reads`` (ADR 0003); composing adds no
query.
"""

from __future__ import annotations

from datetime import datetime

from unitrace.authenticity.labels import label_url
from unitrace.serials.models import Unit
from unitrace.serials.selectors import unit_facts
from unitrace.warranty.services import warranty_for


def unit_file(unit: Unit, user, at: datetime | None = None) -> dict:
    """Everything about one unit, as the unit page and ``/api/v1/units/{id}/`` show it.

    ``unit`` comes with its SKU, batch, place and parties loaded (``unit_for_file``).
    The keys keep the order the API has always answered in: the warranty follows the
    dates, the label's URL comes last.
    """
    facts = unit_facts(unit, user, at)
    # Only a unit delivered in an exchange can inherit another unit's warranty.
    exchanged = any("exchange_for" in e["details"] for e in facts["events"])
    warranty = warranty_for(unit, exchanged=exchanged).as_dict()
    data: dict = {}
    for key, value in facts.items():
        data[key] = value
        if key == "dates":
            data["warranty"] = warranty
    data["qr_url"] = label_url(unit)
    return data
