"""Work-order pages: the list (filters, sort, saved views, export), the detail page with
its buttons generated from the transition table, and the agent's 新建工单 form.

Every page asks ``service.access`` who may see which order (an engineer only their
own, a service partner only theirs) and who may take which step; the state rules are
the transition table's (``states.ACTIONS``), applied by ``workorders.transition``.
"""

from __future__ import annotations

from functools import cached_property, wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.core.errors import DomainError
from unitrace.core.listing import add_errors, errors_of, page_query
from unitrace.parties.masking import party_name, query_filters, record_pii_read
from unitrace.parties.models import Party
from unitrace.sales.selectors import unit_by_code
from unitrace.serials.models import Unit
from unitrace.serials.selectors import customer_for, units_visible_to
from unitrace.serials.views.common import status_label
from unitrace.service import access
from unitrace.service.editing import correct_fault, set_partner, set_shipping
from unitrace.service.exports import WORK_ORDER_EXPORT
from unitrace.service.filters import SORTS, active_filters, capped_count, filtered_work_orders
from unitrace.service.intake import prepare_photos, submit
from unitrace.service.models import WorkOrder, WorkOrderAttachment
from unitrace.service.photo_fields import uploads_from
from unitrace.service.savedviews import delete_view, save_view, views_for
from unitrace.service.sla.display import sla_summary
from unitrace.service.states import ACTIONS, OPEN_STATES, Channel, State
from unitrace.service.workorder_forms import (
    AssignForm,
    FaultForm,
    SaveViewForm,
    ShippingForm,
    TransitionForm,
    WorkOrderForm,
)
from unitrace.service.workorder_output import (
    actions_for,
    contact_of,
    region_name,
    with_related,
    work_order_dict,
)
from unitrace.service.workorders import (
    DuplicateWorkOrder,
    Intake,
    open_duplicates,
    transition,
)

PAGE_SIZE = 50
MAX_ID = 2**63 - 1


def may_list(view):
    """Log in first; then 403 unless the user may see work orders (view or work)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.may_list(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def visible_order(request, pk: int) -> WorkOrder:
    """Work order ``pk`` if the user may see it, else 404 (another's does not exist)."""
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(with_related(access.work_orders_visible_to(request.user)), pk=pk)


class CappedPaginator(Paginator):
    """A paginator that counts at most ``filters.COUNT_CAP`` rows (one cheap query)."""

    @cached_property
    def count(self) -> int:
        n, self.capped = capped_count(self.object_list)
        return n


def _sort_links(request, current: str) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (toggling direction)."""
    params = request.GET.copy()
    params.pop("page", None)
    links = {}
    for key in SORTS:
        ascending = current == key
        params["sort"] = f"-{key}" if ascending else key
        links[key] = {
            "url": f"?{params.urlencode()}",
            "active": current.lstrip("-") == key,
            "descending": current.startswith("-"),
        }
    return links


@may_list
def workorder_list(request):
    queryset, filters = filtered_work_orders(request.user, request.GET)
    paginator = CappedPaginator(with_related(queryset), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    orders = list(page.object_list)
    rows = [
        {"wo": wo, **contact_of(wo, request.user), "region": region_name(wo.adcode)}
        for wo in orders
    ]
    record_pii_read(
        request.user,
        WorkOrder,
        rows=len(rows),
        filters=query_filters(request.GET),
        what="page:work-orders",
    )
    current = active_filters(request.GET)
    views = [
        {
            "view": v,
            "url": f"{reverse('service:workorder_list')}?{urlencode(v.params)}",
            "own": v.owner_id == request.user.pk,
            "active": v.params == current,
        }
        for v in views_for(request.user)
    ]
    export_params = {k: v for k, v in current.items() if k != "page"}
    return render(
        request,
        "service/workorder_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": page_query(request),
            "capped": getattr(paginator, "capped", False),
            "sort": request.GET.get("sort") or "-opened",
            "sorts": _sort_links(request, request.GET.get("sort") or "-opened"),
            "views": views,
            "save_form": SaveViewForm(),
            "current": current,
            "export_url": reverse("core:export", args=[WORK_ORDER_EXPORT.name])
            + "?"
            + urlencode({**export_params, "format": "xlsx"})
            if request.user.has_perm(WORK_ORDER_EXPORT.permission)
            else "",
            "may_create": request.user.has_perm("service.add_workorder"),
            "partner_codes": Party.objects.filter(
                kind=Party.Kind.SERVICE_PARTNER, active=True
            ).values_list("code", "name")[:500]
            if request.user.has_perm("parties.view_party")
            else [],
        },
    )


@may_list
@require_POST
def view_save(request):
    """Save the filters the list shows (the form posts the list's query) under a name."""
    form = SaveViewForm(request.POST)
    params = {k: request.POST.get(k, "") for k in request.POST if k not in ("name", "shared")}
    if form.is_valid():
        try:
            view = save_view(
                request.user, form.cleaned_data["name"], params, shared=form.cleaned_data["shared"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(errors_of(exc)))
        else:
            messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
            return redirect(f"{reverse('service:workorder_list')}?{urlencode(view.params)}")
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(f"{reverse('service:workorder_list')}?{urlencode(active_filters(params))}")


@may_list
@require_POST
def view_delete(request, pk: int):
    if pk > MAX_ID or not delete_view(request.user, pk):
        raise Http404
    messages.success(request, _("View deleted."))
    return redirect("service:workorder_list")


def _entitlement(data: dict) -> dict:
    ent = dict(data or {})
    if ent.get("end"):
        ent["end_date"] = parse_date(str(ent["end"]))
    return ent


def _history(wo: WorkOrder) -> list[dict]:
    labels = dict(State.choices)
    rows = []
    for t in wo.transitions.select_related("actor"):
        spec = ACTIONS.get(t.action)
        rows.append(
            {
                "t": t,
                "action": spec.label if spec else (_("opened") if t.action == "open" else t.action),
                "from": labels.get(t.from_state, t.from_state),
                "to": labels.get(t.to_state, t.to_state),
                "by": t.actor.get_username() if t.actor_id else _("system"),
            }
        )
    return rows


def _detail_context(request, wo: WorkOrder, **extra) -> dict:
    user = request.user
    allowed = actions_for(user, wo)
    unit = wo.unit
    return {
        "wo": wo,
        "data": work_order_dict(wo, user, detail=True),
        "contact": contact_of(wo, user),
        "region": region_name(wo.adcode),
        "customer_name": party_name(wo.customer, user),
        "unit": unit,
        "unit_status": status_label(unit.status) if unit else "",
        "holder_name": party_name(unit.holder, user) if unit and unit.holder_id else "",
        "unit_link": bool(unit) and units_visible_to(user).filter(pk=unit.pk).exists(),
        "entitlement": _entitlement(wo.entitlement),
        "history": _history(wo),
        "buttons": [a for a in allowed if not a.needs_assignee],
        "may_assign": any(a.name == "assign" for a in allowed),
        "may_partner": access.may_edit(user, wo, "partner") and wo.state in OPEN_STATES,
        "may_fault": access.may_edit(user, wo, "fault") and wo.state in OPEN_STATES,
        "may_shipping": access.may_edit(user, wo, "shipping") and wo.mode == "mail_in",
        "assign_form": extra.pop("assign_form", None)
        or AssignForm(
            initial={
                "assignee": wo.assignee.get_username() if wo.assignee_id else "",
                "partner": wo.partner.code if wo.partner_id else "",
            }
        ),
        "fault_form": extra.pop("fault_form", None)
        or FaultForm(initial={"fault_code": wo.fault_code.code if wo.fault_code_id else ""}),
        "shipping_form": extra.pop("shipping_form", None)
        or ShippingForm(
            initial={
                "courier_in": wo.courier_in,
                "tracking_in": wo.tracking_in,
                "courier_out": wo.courier_out,
                "tracking_out": wo.tracking_out,
            }
        ),
        "attachments": list(wo.attachments.all()),
        "show_sla": True,
        "sla_rows": sla_summary(wo),
        **extra,
    }


@may_list
def workorder_detail(request, pk: int):
    wo = visible_order(request, pk)
    record_pii_read(
        request.user, WorkOrder, rows=1, filters={"work_order": wo.number}, what="page:work-order"
    )
    return render(request, "service/workorder_detail.html", _detail_context(request, wo))


def _refused(request, wo: WorkOrder, problem: str, status: int):
    """A refused step: the buttons again with the reason (htmx), or the whole page."""
    wo = visible_order(request, wo.pk)
    context = _detail_context(request, wo, problem=problem)
    if request.htmx:
        # htmx swaps only 2xx answers: the refusal is the content, not a failure to load
        return render(request, "service/_workorder_actions.html", context)
    return render(request, "service/workorder_detail.html", context, status=status)


def _done(request, wo: WorkOrder, message: str):
    messages.success(request, message)
    url = reverse("service:workorder_detail", args=[wo.pk])
    if not access.may_view(request.user, wo):  # e.g. an engineer who rejected the job
        url = reverse("service:workorder_list")
    if request.htmx:
        response = render(request, "service/_workorder_actions.html", {"wo": wo})
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@may_list
@require_POST
def workorder_transition(request, pk: int):
    wo = visible_order(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _refused(request, wo, " ".join(e for es in form.errors.values() for e in es), 400)
    name = form.cleaned_data["action"]
    spec = ACTIONS.get(name)
    if spec is None:
        return _refused(
            request, wo, _("'%(action)s' is not a work-order action") % {"action": name}, 400
        )
    if spec.needs_assignee:  # the assign form (engineer picker) posts elsewhere
        return _refused(request, wo, _("Choose the engineer to assign."), 400)
    if not access.may(request.user, wo, name):
        raise PermissionDenied
    try:
        wo = transition(
            wo,
            name,
            user=request.user,
            reason=form.cleaned_data["reason"],
            resolution=form.cleaned_data["resolution"],
        )
    except ValidationError as exc:
        return _refused(request, wo, " ".join(errors_of(exc)), 400)
    except DomainError as exc:  # WorkOrderRefused: the table, the ledger, the reopen window
        return _refused(request, wo, str(exc), exc.status)
    return _done(
        request,
        wo,
        _("%(number)s: %(action)s — now %(state)s.")
        % {"number": wo.number, "action": spec.label, "state": wo.get_state_display()},
    )


@may_list
@require_POST
def workorder_assign(request, pk: int):
    """Give the order to an engineer (the ``assign`` step) and/or a service partner."""
    wo = visible_order(request, pk)
    form = AssignForm(request.POST)
    may_assign = access.may(request.user, wo, "assign")
    may_partner = access.may_edit(request.user, wo, "partner")
    if not (may_assign or may_partner):
        raise PermissionDenied
    if not form.is_valid():
        return render(
            request,
            "service/workorder_detail.html",
            _detail_context(request, wo, assign_form=form),
            status=400,
        )
    assignee, partner = form.cleaned_data["assignee"], form.cleaned_data["partner"]
    try:
        if may_partner and partner != wo.partner:
            wo = set_partner(wo, partner)
        if assignee is not None and assignee.pk != wo.assignee_id:
            if not may_assign:
                raise PermissionDenied
            wo = transition(wo, "assign", user=request.user, assignee=assignee)
    except ValidationError as exc:
        add_errors(form, exc)
        return render(
            request,
            "service/workorder_detail.html",
            _detail_context(request, wo, assign_form=form),
            status=400,
        )
    except DomainError as exc:
        return _refused(request, wo, str(exc), exc.status)
    return _done(request, wo, _("%(number)s assigned.") % {"number": wo.number})


@may_list
@require_POST
def workorder_fault(request, pk: int):
    return _edit(
        request,
        pk,
        "fault",
        FaultForm,
        "fault_form",
        lambda wo, data: correct_fault(wo, data["fault_code"]),
        _("Fault code corrected."),
    )


@may_list
@require_POST
def workorder_shipping(request, pk: int):
    return _edit(
        request,
        pk,
        "shipping",
        ShippingForm,
        "shipping_form",
        lambda wo, data: set_shipping(wo, **data),
        _("Shipping saved."),
    )


def _edit(request, pk: int, part: str, form_class, form_name: str, change, done: str):
    """One edit of an order's details: scope, the part's permission, the form, the
    service call; a refusal or a bad value comes back on the detail page."""
    wo = visible_order(request, pk)
    if not access.may_edit(request.user, wo, part):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            wo = change(wo, form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        except DomainError as exc:
            return _refused(request, wo, str(exc), exc.status)
        else:
            return _done(request, wo, done)
    return render(
        request,
        "service/workorder_detail.html",
        _detail_context(request, wo, **{form_name: form}),
        status=400,
    )


@may_list
def workorder_attachment(request, pk: int, attachment: int):
    """An attachment of an order the user may see, from the private storage."""
    wo = visible_order(request, pk)
    if attachment > MAX_ID:
        raise Http404
    item = get_object_or_404(WorkOrderAttachment, work_order=wo, pk=attachment)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response


def _int_param(request, name: str) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise Http404
    return int(raw)


def _prefill(request) -> tuple[dict, Unit | None]:
    """What is known from ``?unit=`` and ``?customer=``: the unit, its holder, the
    holder's contact and address."""
    initial: dict = {}
    unit = None
    unit_pk = _int_param(request, "unit")
    customer_pk = _int_param(request, "customer")
    customer = None
    if unit_pk is not None:
        unit = get_object_or_404(
            units_visible_to(request.user).select_related("holder"), pk=unit_pk
        )
        initial["serial"] = unit.serial
        if unit.holder_id and unit.holder.kind == Party.Kind.CUSTOMER:
            customer = unit.holder
    if customer_pk is not None:
        customer = customer_for(request.user, customer_pk)
        if customer is None:
            raise Http404
    if customer is not None:
        initial.update(
            {
                "customer": customer.code,
                "contact_name": customer.contact or customer.name,
                "contact_phone": customer.phone,
                "address": "".join(
                    p for p in (customer.province, customer.city, customer.district) if p
                )
                + (customer.address or ""),
            }
        )
    return initial, unit


def _intake(request, form: WorkOrderForm) -> tuple[Intake, Unit | None]:
    v = form.cleaned_data
    unit = None
    serial = v["serial"].strip()
    if serial:
        unit, _problem = unit_by_code(request.user, serial)
    customer = v["customer"] or (unit.holder if unit is not None and unit.holder_id else None)
    return (
        Intake(
            contact_name=v["contact_name"],
            contact_phone=v["contact_phone"],
            kind=v["kind"],
            priority=v["priority"],
            mode=v["mode"],
            unit=unit,
            serial_given="" if unit is not None else serial,
            customer=customer,
            address=v["address"],
            window_start=v["window_start"],
            window_end=v["window_end"],
            fault_code=v["fault_code"],
            description=v["description"],
            notes=v["notes"],
            courier_in=v["courier_in"],
            tracking_in=v["tracking_in"],
        ),
        unit,
    )


@may_list
@require_http_methods(["GET", "POST"])
def workorder_create(request):
    if not request.user.has_perm("service.add_workorder"):
        raise PermissionDenied
    initial, unit = _prefill(request) if request.method == "GET" else ({}, None)
    form = WorkOrderForm(request.POST or None, request.FILES or None, initial=initial)
    duplicates = open_duplicates(unit) if unit is not None else []
    if request.method == "POST" and form.is_valid():
        data, unit = _intake(request, form)
        try:
            # the photos are checked whole before anything is written, and stored in the
            # work order's transaction: a bad one refuses the lot, nothing half-written
            photos = prepare_photos(uploads_from(form.cleaned_data["photos"]))
            receipt = submit(
                data,
                channel=Channel.AGENT,
                photos=photos,
                user=request.user,
                allow_duplicate=form.cleaned_data["allow_duplicate"],
            )
            wo = receipt.work_order
        except DuplicateWorkOrder as exc:
            duplicates = exc.existing
            form.add_error("allow_duplicate", str(exc))
        except ValidationError as exc:
            add_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Work order %(number)s opened.") % {"number": wo.number})
            return redirect("service:workorder_detail", wo.pk)
    return render(
        request,
        "service/workorder_form.html",
        {"form": form, "duplicates": duplicates, "unit": unit},
        status=400 if form.errors else 200,
    )
