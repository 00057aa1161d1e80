"""The work-order list's filters, sort and count: one reading for the page, the export
and the API.

Every filter is index-backed for a table of a million orders (see the indexes on
``WorkOrder``): state and opened date (``wo_state_opened``), region as a prefix of the
division code (``adcode``, with PostgreSQL's pattern index), partner and state
(``wo_partner_state``), fault code (its foreign-key index), flagged (a partial index).
The free text is matched *exactly* against the number, the serial and the phone (or its
last four digits), never with ``LIKE '%…%'`` over every row. Search by phone is only for
users who may see phones: a masked list must not confirm a number either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unitrace.core.dates import in_range
from unitrace.core.listing import search_text
from unitrace.geo import divisions
from unitrace.parties.masking import can_see_pii
from unitrace.parties.models import Party
from unitrace.parties.phones import normalize_phone
from unitrace.serials.models import Unit
from unitrace.service.access import work_orders_visible_to
from unitrace.service.models import FaultCategory, FaultCode, WorkOrder
from unitrace.service.sla.display import FILTER_STATES as SLA_FILTER_STATES
from unitrace.service.sla.display import STATE_LABELS as SLA_STATE_LABELS
from unitrace.service.sla.display import filter_by_sla_state
from unitrace.service.states import OPEN_STATES, PRIORITY_RANK, Channel, Kind, Mode, Priority, State

OPEN = "open"  # the pseudo state "any open state", the list's default view
COUNT_CAP = 10_000  # beyond this the list says "10,000+" instead of counting every row
ANY = [("", _("all"))]
YES_NO = [("", _("all")), ("yes", _("yes")), ("no", _("no"))]
_DIGITS = re.compile(r"^\d+$")


def _priority_rank():
    return Case(
        *(When(priority=p, then=Value(rank)) for p, rank in PRIORITY_RANK.items()),
        output_field=IntegerField(),
    )


# sort key → (label, ordering); "-" prefix on the key reverses it
SORTS = {
    "opened": (_("opened"), ["opened_at", "id"]),
    "priority": (_("priority"), ["priority_rank", "-opened_at", "-id"]),
    "state": (_("state"), ["state", "-opened_at", "-id"]),
    "number": (_("number"), ["number"]),
}
DEFAULT_SORT = "-opened"


def _sort_choices():
    out = []
    for key, (label, _order) in SORTS.items():
        out.append((key, label))
        out.append((f"-{key}", label))
    return out


class DivisionField(forms.CharField):
    """A GB/T 2260 code (province, city or district), or its significant digits."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        code = value.ljust(6, "0") if _DIGITS.match(value) and len(value) in (2, 4) else value
        if divisions.get(code) is None:
            raise forms.ValidationError(
                _("'%(value)s' is not a division code (e.g. 33, 3301 or 330106)."),
                code="division",
                params={"value": value},
            )
        return divisions.prefix(code)


class DayField(forms.DateField):
    def clean(self, value):
        day = super().clean(value)
        if day is not None and not in_range(day):
            raise forms.ValidationError(
                _("Enter a date between 2000 and a year from now."), code="out_of_range"
            )
        return day


class WorkOrderFilters(forms.Form):
    q = forms.CharField(label=_("Number, serial or phone"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("all")), (OPEN, _("open (not closed or cancelled)")), *State.choices],
        required=False,
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=ANY + Priority.choices, required=False
    )
    kind = forms.ChoiceField(label=_("Type"), choices=ANY + Kind.choices, required=False)
    mode = forms.ChoiceField(label=_("Service mode"), choices=ANY + Mode.choices, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=ANY + Channel.choices, required=False)
    region = DivisionField(
        label=_("Region (division code)"),
        required=False,
        max_length=6,
        help_text=_("33 = 浙江省, 3301 = 杭州市, 330106 = 西湖区"),
    )
    partner = forms.ModelChoiceField(
        label=_("Service partner"),
        queryset=Party.objects.filter(kind=Party.Kind.SERVICE_PARTNER),
        to_field_name="code",
        required=False,
        widget=forms.TextInput(attrs={"list": "partner-codes", "autocomplete": "off"}),
    )
    category = forms.ModelChoiceField(
        label=_("Fault category"),
        queryset=FaultCategory.objects.all(),
        empty_label=_("all"),
        to_field_name="code",
        required=False,
    )
    fault = forms.ModelChoiceField(
        label=_("Fault code"),
        queryset=FaultCode.objects.select_related("category"),
        empty_label=_("all"),
        to_field_name="code",
        required=False,
    )
    flagged = forms.ChoiceField(label=_("Flagged"), choices=YES_NO, required=False)
    sla_state = forms.ChoiceField(
        label=_("SLA"),
        choices=ANY + [(state, SLA_STATE_LABELS[state]) for state in SLA_FILTER_STATES],
        required=False,
    )
    opened_from = DayField(
        label=_("Opened from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    opened_to = DayField(
        label=_("Opened until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=_sort_choices, required=False, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and end < start:
            self.add_error("opened_to", _("The end of the range is before its start."))
        return data


FILTER_NAMES = tuple(WorkOrderFilters.base_fields)


def _text_match(q: str, user) -> Q:
    """Exact, index-backed matches for what an agent types (module doc)."""
    # the unit's id first (one look-up on its unique serial): an OR across a join
    # would make PostgreSQL scan every work order
    unit_ids = list(Unit.objects.filter(serial=q).values_list("id", flat=True)[:10])
    match = Q(number=q.upper()) | Q(serial_given=q)
    if unit_ids:
        match |= Q(unit_id__in=unit_ids)
    if can_see_pii(user):
        phone = normalize_phone(q)
        if phone and _DIGITS.match(phone):
            if len(phone) == 4:
                match |= Q(contact_phone_tail=phone)
            elif len(phone) >= 7:
                match |= Q(contact_phone=phone)
    return match


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_work_orders(
    user, params: Mapping[str, str]
) -> tuple[QuerySet[WorkOrder], WorkOrderFilters]:
    """The work orders ``user`` may see that match ``params``, sorted; invalid filters
    are shown on the form and left out (never widen the list to something unasked:
    a bad filter value gives no rows)."""
    form = WorkOrderFilters(params)
    queryset = work_orders_visible_to(user)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    if not valid:
        return queryset.none(), form
    q = search_text(data)
    if q:
        queryset = queryset.filter(_text_match(q, user))
    state = data.get("state")
    if state == OPEN:
        queryset = queryset.filter(state__in=sorted(OPEN_STATES))
    elif state:
        queryset = queryset.filter(state=state)
    for name in ("priority", "kind", "mode", "channel"):
        if data.get(name):
            queryset = queryset.filter(**{name: data[name]})
    if data.get("region"):
        queryset = queryset.filter(adcode__startswith=data["region"])
    if data.get("partner"):
        queryset = queryset.filter(partner=data["partner"])
    if data.get("fault"):
        queryset = queryset.filter(fault_code=data["fault"])
    if data.get("category"):
        queryset = queryset.filter(fault_code__category=data["category"])
    if data.get("flagged") == "yes":
        queryset = queryset.filter(flag_count__gt=0)
    elif data.get("flagged") == "no":
        queryset = queryset.filter(flag_count=0)
    if data.get("sla_state"):
        queryset = filter_by_sla_state(queryset, data["sla_state"])
    if data.get("opened_from"):
        queryset = queryset.filter(opened_at__gte=_day_start(data["opened_from"]))
    if data.get("opened_to"):
        queryset = queryset.filter(opened_at__lt=_day_start(data["opened_to"] + timedelta(days=1)))
    return sort(queryset, data.get("sort") or DEFAULT_SORT), form


def sort(queryset: QuerySet[WorkOrder], key: str) -> QuerySet[WorkOrder]:
    reverse = key.startswith("-")
    _label, order = SORTS.get(key.lstrip("-"), SORTS["opened"])
    if "priority_rank" in order:
        queryset = queryset.annotate(priority_rank=_priority_rank())
    if reverse:
        order = [o[1:] if o.startswith("-") else f"-{o}" for o in order]
    return queryset.order_by(*order)


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows, counting at most ``cap + 1`` (a LIMITed subquery, never a count
    of a million rows); ``(count, capped)``."""
    n = queryset.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def active_filters(params: Mapping[str, str]) -> dict[str, str]:
    """The list's filters from a request (what a saved view keeps): known names only,
    empty values and the page number left out."""
    return {k: str(params.get(k))[:100] for k in FILTER_NAMES if params.get(k)}
