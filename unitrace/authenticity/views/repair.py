"""The customer's repair request (报修) from the label, and its progress page.

``/p/repair/<unit token>/`` is reached from the "报修" button of the label's page: no
login, phone-sized, the serial known from the label. Nothing about the unit's earlier
owners is shown or prefilled. Every POST counts against a budget per client and per
unit before anything else, and a request needs a second factor: the code printed on
the label, or a one-time code sent to the phone given (``service.phone_codes``).
Photos are resized by the page's script when there is one; the server checks and
re-encodes them either way (``service.intake``).

``/r/<work-order token>/`` follows the request: its state in plain words and the dates,
the contact masked, nothing else personal.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.authenticity import ratelimit
from unitrace.authenticity.codes import normalize_code, same, verification_code
from unitrace.authenticity.conf import setting
from unitrace.authenticity.forms import RepairForm
from unitrace.authenticity.views.public import _page, _unit_by_token, _unknown
from unitrace.core.context import acting_as, actor_for_user
from unitrace.core.middleware import client_ip
from unitrace.parties.masking import mask_name, mask_phone
from unitrace.parties.phones import normalize_mobile
from unitrace.serials.models import Unit
from unitrace.service import phone_codes
from unitrace.service.intake import prepare_photos, progress_path, submit
from unitrace.service.models import WorkOrder
from unitrace.service.photo_fields import uploads_from
from unitrace.service.states import CUSTOMER_WORDS, Channel, State
from unitrace.service.workorders import DuplicateWorkOrder, Intake, field_problems

# the intake service's field names → the form's
FORM_FIELDS = {
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
    "address": "address",
    "adcode": "address",
    "latitude": "address",
    "longitude": "address",
    "description": "description",
    "window_start": "window_date",
    "window_end": "window_date",
    "fault_code": "fault_code",
    "photos": "photos",
    "phone_code": "phone_code",
}


def _with_location(response: HttpResponse) -> HttpResponse:
    """The repair page may ask for the phone's position ("use my location"); every other
    page keeps geolocation off (``PERMISSIONS_POLICY``)."""
    policy = {**settings.PERMISSIONS_POLICY, "geolocation": ["self"]}
    response["Permissions-Policy"] = ", ".join(
        f"{name}=({' '.join(allow)})" for name, allow in policy.items()
    )
    return response


def _purpose(unit: Unit) -> str:
    return f"repair:{unit.pk}"


def _over_budget(request: HttpRequest, unit: Unit) -> HttpResponse | None:
    """429 when this client, or anyone on this unit, has asked too often."""
    window = setting("REPAIR_RATE_WINDOW")
    budgets = (
        ratelimit.take(
            "repair", client_ip(request), limit=setting("REPAIR_RATE_LIMIT"), window=window
        ),
        ratelimit.take(
            f"repair-unit:{unit.pk}", None, limit=setting("REPAIR_UNIT_RATE_LIMIT"), window=window
        ),
    )
    refused = [b for b in budgets if not b.allowed]
    if not refused:
        return None
    retry_after = max(b.retry_after for b in refused)
    response = _page(
        request, "authenticity/rate_limited.html", {"retry_after": retry_after, "repair": True}, 429
    )
    response["Retry-After"] = str(retry_after)
    return response


def _context(unit: Unit, form: RepairForm, **extra) -> dict:
    return {"unit": unit, "sku": unit.sku, "form": form, **extra}


def _add_errors(form: RepairForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        target = FORM_FIELDS.get(name)
        for message in messages:
            form.add_error(target, message)


@require_http_methods(["GET", "POST"])
def repair(request: HttpRequest, token: str) -> HttpResponse:
    unit = _unit_by_token(token)
    if unit is None:
        return _unknown(request)
    if request.method == "GET":
        page = _page(request, "authenticity/repair.html", _context(unit, RepairForm()))
        return _with_location(page)
    limited = _over_budget(request, unit)
    if limited:
        return limited
    form = RepairForm(request.POST, request.FILES)
    if form.is_valid():
        done = _file(request, unit, form)
        if done is not None:
            return done
    else:
        _add_rule_problems(form, unit)
    return _with_location(_page(request, "authenticity/repair.html", _context(unit, form), 400))


def _intake(unit: Unit, form: RepairForm, label_verified: bool = False) -> Intake:
    data = form.cleaned_data
    start, end = form.window() if "window_date" in data else (None, None)
    return Intake(
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
        unit=unit,
        serial_given=unit.serial,
        address=data.get("address", ""),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        window_start=start,
        window_end=end,
        fault_code=data.get("fault_code"),
        description=data.get("description", ""),
        label_verified=label_verified,
    )


def _add_rule_problems(form: RepairForm, unit: Unit) -> None:
    """With the form's own errors, what the intake rules say of the fields it could
    read, so every problem is shown at once."""
    problems = field_problems(_intake(unit, form), Channel.PUBLIC_PAGE)
    for name, message in problems.items():
        target = FORM_FIELDS.get(name)
        if target is not None and target not in form.errors and target in form.cleaned_data:
            form.add_error(target, message)


def _file(request: HttpRequest, unit: Unit, form: RepairForm) -> HttpResponse | None:
    """Submit the valid form; the redirect to the progress page, or None with the
    refusal added to the form. Photos are checked before a code is spent."""
    data = form.cleaned_data
    phone = data["contact_phone"]
    try:
        photos = prepare_photos(uploads_from(data["photos"]))
    except ValidationError as refused:
        _add_errors(form, refused)
        return None
    code_row = None
    label_code = normalize_code(data.get("label_code", ""))
    if label_code:
        if not same(verification_code(unit), label_code):
            form.add_error(
                "label_code",
                _(
                    "This is not the code on this product's label. Check it, or ask for a "
                    "code by SMS."
                ),
            )
            return None
    else:
        try:
            code_row = phone_codes.verify(phone, _purpose(unit), data.get("phone_code", ""))
        except ValidationError as refused:
            _add_errors(form, refused)
            return None
    intake = _intake(unit, form, label_verified=bool(label_code))
    actor = actor_for_user(
        request.user,
        ip=client_ip(request),
        source="public",
        ua=request.META.get("HTTP_USER_AGENT", ""),
    )
    try:
        with acting_as(actor):
            receipt = submit(
                intake, channel=Channel.PUBLIC_PAGE, photos=photos, phone_code=code_row
            )
    except DuplicateWorkOrder:
        form.add_error(
            None,
            _(
                "A repair request for this product is already open; we will contact you. "
                "For anything urgent, call the service hotline."
            ),
        )
        return None
    except ValidationError as refused:
        _add_errors(form, refused)
        return None
    return redirect(f"{receipt.progress_path}?new=1")


@require_POST
def send_code(request: HttpRequest, token: str) -> HttpResponse:
    """Send the one-time code to the phone typed in the form, and show the form again
    with what was typed (photos must be chosen again: a page cannot keep them)."""
    unit = _unit_by_token(token)
    if unit is None:
        return _unknown(request)
    limited = _over_budget(request, unit)
    if limited:
        return limited
    typed = {
        k: v for k, v in request.POST.items() if k not in {"csrfmiddlewaretoken", "phone_code"}
    }
    form = RepairForm(initial=typed)
    try:
        phone = normalize_mobile(request.POST.get("contact_phone", ""))
    except ValidationError as refused:
        bound = RepairForm(request.POST)
        bound.is_valid()
        bound.errors.clear()
        bound.add_error("contact_phone", refused)
        return _page(request, "authenticity/repair.html", _context(unit, bound), 400)
    phone_codes.send_code(phone, _purpose(unit))
    context = _context(unit, form, code_sent_to=mask_phone(phone))
    return _with_location(_page(request, "authenticity/repair.html", context))


def progress(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's view of the request: plain words and dates, nothing personal."""
    work_order = (
        WorkOrder.objects.select_related("unit__sku", "fault_code")
        .filter(public_token=token)
        .first()
    )
    if work_order is None:
        return _unknown(request)
    steps = [
        {"words": CUSTOMER_WORDS.get(t.to_state, ""), "at": t.at}
        for t in work_order.transitions.only("to_state", "at").order_by("at", "id")
    ]
    context = {
        "wo": work_order,
        "state_words": CUSTOMER_WORDS.get(work_order.state, ""),
        "finished": work_order.state in {State.CLOSED, State.CANCELLED, State.RESOLVED},
        "steps": steps,
        "contact_name": mask_name(work_order.contact_name),
        "contact_phone": mask_phone(work_order.contact_phone),
        "serial": work_order.unit.serial if work_order.unit_id else work_order.serial_given,
        "model": work_order.unit.sku.name if work_order.unit_id else "",
        "photos": work_order.attachments.count(),
        "new": request.GET.get("new") == "1",
        "link": request.build_absolute_uri(progress_path(work_order)),
    }
    return _page(request, "authenticity/repair_progress.html", context)
