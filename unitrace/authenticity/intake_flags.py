"""What the label checks say about a unit when a repair is asked for it.

The service app cannot look here (it sits below this app); it calls ``flags`` through
the plugin registry, so a repair on a unit whose label is checked like a cloned one
(too many checks, regions or networks in the window, or a scrapped unit's label in use)
is shown to a person at intake.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from unitrace.authenticity.verification import clone_reasons
from unitrace.serials.models import Unit

LABEL_CLONED = "label_cloned"  # service.models.WorkOrderFlag.Code.LABEL_CLONED


def flags(unit: Unit | None, when: datetime) -> list[tuple[str, str, dict]]:
    if unit is None:
        return []
    reasons = clone_reasons(unit, when)
    if not reasons:
        return []
    return [
        (
            LABEL_CLONED,
            _("The label of %(serial)s is checked like a copied one (%(reasons)s).")
            % {"serial": unit.serial, "reasons": ", ".join(reasons)},
            {"reasons": reasons},
        )
    ]
