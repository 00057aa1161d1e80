"""Who may see a work order and who may take which step: one place for pages and API.

Scope: a login that acts for a party (a service partner) sees only the work orders
given to that party; a login that may only work on jobs (an engineer) sees the ones
assigned to it; everyone else with ``view_workorder`` sees all. Steps: dispatching is
the dispatchers', working a job is its engineer's (or a dispatcher's on their behalf),
closing, cancelling and reopening need ``close_workorder``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from unitrace.serials.selectors import scope_party_id
from unitrace.service.models import WorkOrder

VIEW = "service.view_workorder"
WORK = "service.work_workorder"
DISPATCH = "service.dispatch_workorder"
CLOSE = "service.close_workorder"
CHANGE = "service.change_workorder"

ENGINEER_ACTIONS = frozenset(
    {"accept", "reject", "start_travel", "arrive", "wait_parts", "resume", "resolve"}
)
PERMISSION_FOR = {"assign": DISPATCH, "close": CLOSE, "cancel": CLOSE, "reopen": CLOSE}


def work_orders_visible_to(user) -> QuerySet[WorkOrder]:
    if not user.is_authenticated:
        return WorkOrder.objects.none()
    party_id = scope_party_id(user)
    if user.has_perm(VIEW):
        queryset = WorkOrder.objects.all()
        if party_id is not None:
            queryset = queryset.filter(partner_id=party_id)
        return queryset
    if user.has_perm(WORK):
        return WorkOrder.objects.filter(assignee=user)
    return WorkOrder.objects.none()


def may_view(user, work_order: WorkOrder) -> bool:
    return work_orders_visible_to(user).filter(pk=work_order.pk).exists()


def may(user, work_order: WorkOrder, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``work_order`` (the state is checked by
    the service; this is about the person)."""
    if not user.is_authenticated:
        return False
    needed = PERMISSION_FOR.get(action)
    if needed is not None:
        return user.has_perm(needed)
    if action in ENGINEER_ACTIONS:
        own = work_order.assignee_id == user.pk and user.has_perm(WORK)
        return own or user.has_perm(DISPATCH)
    if action == "wait_customer":
        own = work_order.assignee_id == user.pk and user.has_perm(WORK)
        return own or user.has_perm(DISPATCH) or user.has_perm(CHANGE)
    return False


def may_list(user) -> bool:
    """Whether ``user`` may open the work-order pages at all (scope decides the rows)."""
    return bool(user.is_authenticated and (user.has_perm(VIEW) or user.has_perm(WORK)))


def may_edit(user, work_order: WorkOrder, what: str) -> bool:
    """Changes that are not steps: ``partner`` (dispatching), ``fault`` (the diagnosis:
    the order's engineer, a dispatcher or an agent) and ``shipping`` (the mail-in
    couriers: the same people)."""
    if not user.is_authenticated:
        return False
    if what == "partner":
        return user.has_perm(DISPATCH)
    if what in ("fault", "shipping"):
        own = work_order.assignee_id == user.pk and user.has_perm(WORK)
        return own or user.has_perm(DISPATCH) or user.has_perm(CHANGE)
    return False
