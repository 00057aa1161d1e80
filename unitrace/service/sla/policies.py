"""Which SLA policy a work order gets: the most specific active policy that matches.

Specificity is compared field by field, in this order: service class (the customer's
contract class), priority, work-order type, region (a longer division-code prefix is
more specific: district over city over province). An empty field matches anything and
is less specific than a filled one. A remaining tie goes to the lower ``code``, so the
choice never depends on the order rows come back in.
"""

from __future__ import annotations

from unitrace.service.models import SLAPolicy, WorkOrder


def matches(policy: SLAPolicy, work_order: WorkOrder) -> bool:
    return (
        (not policy.service_class or policy.service_class == work_order.service_class)
        and (not policy.priority or policy.priority == work_order.priority)
        and (not policy.kind or policy.kind == work_order.kind)
        and (not policy.region or (work_order.adcode or "").startswith(policy.region))
    )


def specificity(policy: SLAPolicy) -> tuple[bool, bool, bool, int]:
    """The sort key of the module docstring (higher is more specific)."""
    return (
        bool(policy.service_class),
        bool(policy.priority),
        bool(policy.kind),
        len(policy.region),
    )


def policy_for(
    work_order: WorkOrder, policies: list[SLAPolicy] | None = None
) -> tuple[SLAPolicy | None, dict]:
    """The policy for ``work_order`` and why: what the order had, how many matched."""
    if policies is None:
        policies = list(SLAPolicy.objects.filter(active=True).select_related("calendar"))
    candidates = [p for p in policies if matches(p, work_order)]
    why = {
        "service_class": work_order.service_class,
        "priority": work_order.priority,
        "kind": work_order.kind,
        "adcode": work_order.adcode,
        "candidates": sorted(p.code for p in candidates),
    }
    if not candidates:
        return None, why
    best = min(candidates, key=lambda p: (tuple(-int(v) for v in specificity(p)), p.code))
    why["policy"] = best.code
    why["matched_on"] = [
        name
        for name, value in (
            ("service_class", best.service_class),
            ("priority", best.priority),
            ("kind", best.kind),
            ("region", best.region),
        )
        if value
    ]
    return best, why
