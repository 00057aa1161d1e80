"""Public pages for end customers: activation and the authenticity check.

No login, phone-sized, nothing personal shown. Every page that could be used to test
secrets is rate-limited per client before it touches the database.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from unitrace.authenticity import ratelimit
from unitrace.authenticity.activation import ActivationRefused, activate_unit, activation_refusal
from unitrace.authenticity.codes import SIGNATURE_PARAMETER
from unitrace.authenticity.forms import ActivationForm, CheckRegionForm, VerifyForm
from unitrace.authenticity.inputs import clean_region
from unitrace.authenticity.verification import (
    Answer,
    Client,
    Credentials,
    add_region,
    answer_for_check,
    check_from_proof,
    preview,
    region_proof,
    resolve,
    verify,
)
from unitrace.core.context import acting_as, actor_for_user
from unitrace.core.middleware import client_ip
from unitrace.parties.regions import Region
from unitrace.serials.models import Unit
from unitrace.serials.selectors import units_visible_to
from unitrace.warranty.services import warranty_for


def _public(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return _public(render(request, template, context, status=status))


def _limited(request: HttpRequest, bucket: str) -> HttpResponse | None:
    """The 429 page when this client has used up its budget, else None."""
    budget = ratelimit.take(bucket, client_ip(request))
    if budget.allowed:
        return None
    response = _page(
        request, "authenticity/rate_limited.html", {"retry_after": budget.retry_after}, 429
    )
    response["Retry-After"] = str(budget.retry_after)
    return response


def _unknown(request, status: int = 404) -> HttpResponse:
    return _page(request, "authenticity/unknown_code.html", {}, status)


def _unit_by_token(token: str) -> Unit | None:
    return Unit.objects.select_related("sku").filter(public_token=token).first()


def _refusal_now(unit: Unit) -> str:
    refused = activation_refusal(unit)
    return refused.message if refused else ""


@require_http_methods(["GET", "POST"])
def activate(request, token: str):
    unit = _unit_by_token(token)
    if unit is None:
        return _unknown(request)
    form = ActivationForm(request.POST or None)
    refused = _refusal_now(unit)
    if request.method == "POST" and not refused:
        limited = _limited(request, "activate")
        if limited:
            return limited
        if form.is_valid():
            data = form.cleaned_data
            actor = actor_for_user(
                request.user,
                ip=client_ip(request),
                source="public",
                ua=request.META.get("HTTP_USER_AGENT", ""),
            )
            try:
                with acting_as(actor):
                    activate_unit(
                        unit,
                        phone=data["phone"],
                        province=data["province"],
                        city=data["city"],
                        district=data.get("district", ""),
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            except ActivationRefused as exc:
                refused = exc.message
            else:
                return redirect("authenticity:activated", token=unit.public_token)
    context = {"unit": unit, "sku": unit.sku, "form": form, "refused": refused}
    if refused and unit.activated_at:
        context["warranty"] = warranty_for(unit)
    status = 409 if refused and request.method == "POST" else 200
    return _page(request, "authenticity/activate.html", context, status)


def activated(request, token: str):
    """After a successful activation: the warranty, and where to check authenticity."""
    unit = _unit_by_token(token)
    if unit is None:
        return _unknown(request)
    if not unit.activated_at:
        return redirect("authenticity:activate", token=token)
    context = {
        "unit": unit,
        "sku": unit.sku,
        "activated_on": timezone.localtime(unit.activated_at),
        "warranty": warranty_for(unit),
        "verify_url": f"{reverse('authenticity:verify')}?{urlencode({'t': unit.public_token})}",
    }
    return _page(request, "authenticity/activated.html", context)


def activate_by_code(request):
    """``/p/activate/?code=<scanned text>``: our page URL or a signed Digital Link."""
    code = request.GET.get("code", "").strip()
    if not code:
        return _page(request, "authenticity/activate_code.html", {})
    limited = _limited(request, "activate")
    if limited:
        return limited
    unit, *_rest = resolve(Credentials(link=code))
    if unit is None:
        return _unknown(request)
    return redirect("authenticity:activate", token=unit.public_token)


def digital_link(request, gtin: str, serial: str):
    """Landing for the label's GS1 Digital Link: signed → the label's check (recorded,
    with counts and clone flags, as ``/u/<token>``), else ask for the printed code (an
    unsigned link names a serial, which proves nothing)."""
    limited = _limited(request, "verify")
    if limited:
        return limited
    if request.GET.get(SIGNATURE_PARAMETER):
        credentials = Credentials(link=request.build_absolute_uri())
        response = _label_check(request, credentials)
        if response is not None:
            return response
    form = VerifyForm(initial={"serial": serial})
    return _page(request, "authenticity/verify.html", {"form": form, "need_code": True})


def unit_label_page(request, token: str) -> HttpResponse:
    """``/u/<token>``, the label's QR code: the authenticity check most customers make.

    Rate-limited like every check, recorded like the check page's, answered with the
    same words; an unknown handle gets the same friendly 404 as elsewhere.
    """
    limited = _limited(request, "verify")
    if limited:
        return limited
    response = _label_check(request, Credentials(token=token))
    return response if response is not None else _unknown(request)


def _label_check(request, credentials: Credentials) -> HttpResponse | None:
    """Check the label and render the unit's public page; None when not recognised.

    Staff who can open the unit's file (a clerk testing a printed label) see the page
    without a check being recorded: only customers' checks count, so the first check
    a buyer sees is not the factory's.
    """
    resolved = resolve(credentials)
    unit = resolved[0]
    staff_link = None
    if unit is not None and units_visible_to(request.user).filter(pk=unit.pk).exists():
        staff_link = reverse("serials:unit_detail", args=[unit.pk])
    if staff_link:
        answer = preview(unit)
    else:
        client = Client(client_ip(request), request.META.get("HTTP_USER_AGENT", ""))
        answer = verify(credentials, client, _region_from(request.GET), resolved=resolved)
    if not answer.genuine:
        return None
    unit = answer.unit
    production = unit.production_date or (unit.batch.production_date if unit.batch_id else None)
    context = {
        **_answer_context(answer),
        "unit": unit,
        "sku": unit.sku,
        "production_date": production,
        "staff_link": staff_link,
        "preview": staff_link is not None,
        "first_checked": answer.first_checked_at,
    }
    return _page(request, "authenticity/public_unit.html", context)


def _answer_context(answer: Answer, region_form: CheckRegionForm | None = None) -> dict:
    """What both result pages show: the answer, activation, the optional region form."""
    context = {"answer": answer.public()}
    if answer.genuine and answer.standing != "scrapped":  # 报修, from the label
        context["repair_url"] = reverse("authenticity:repair", args=[answer.unit.public_token])
    if answer.can_activate:
        context["activate_url"] = reverse("authenticity:activate", args=[answer.unit.public_token])
    proof = region_proof(answer)
    if proof:
        context["region_form"] = region_form or CheckRegionForm(initial={"check": proof})
    return context


def _region_from(params) -> Region:
    """The optional region of a link-based check (``?province=&city=``); bad → none."""
    try:
        return clean_region(
            params.get("province", ""),
            params.get("city", ""),
            params.get("district", ""),
            required=False,
        )
    except ValidationError:
        return Region("")


@require_http_methods(["GET", "POST"])
def verify_page(request):
    """防伪查询: by the QR of our page (``?t=``), a scanned link (``?code=``) or by the
    serial and the code printed on the label (the form)."""
    params = request.GET
    credentials = Credentials(token=params.get("t", ""), link=params.get("code", ""))
    form = VerifyForm(request.POST if request.method == "POST" else None)
    region = Region("")
    if request.method == "POST":
        if not form.is_valid():
            return _page(request, "authenticity/verify.html", {"form": form}, 400)
        data = form.cleaned_data
        credentials = Credentials(serial=data["serial"], code=data["code"])
        region = data["region"]
    elif not (credentials.token or credentials.link):
        return _page(request, "authenticity/verify.html", {"form": form})
    else:
        region = _region_from(params)
    limited = _limited(request, "verify")
    if limited:
        return limited
    client = Client(client_ip(request), request.META.get("HTTP_USER_AGENT", ""))
    answer = verify(credentials, client, region)
    context = {
        "form": VerifyForm() if answer.genuine else form,
        **_answer_context(answer),
    }
    return _page(request, "authenticity/verify.html", context)


@require_http_methods(["POST"])
def verify_region(request):
    """The optional 省/市 a customer adds under the result: attached to that check
    (not a second check), so diversion and clone detection learn where labels are.
    Only the signed, short-lived proof in the form names the check."""
    limited = _limited(request, "verify")
    if limited:
        return limited
    form = CheckRegionForm(request.POST)
    check_id = check_from_proof(request.POST.get("check", ""))
    if check_id is None:
        context = {"form": VerifyForm(), "region_expired": True}
        return _page(request, "authenticity/verify.html", context, 400)
    if not form.is_valid():
        answer = answer_for_check(check_id)
        if answer is None:
            return _unknown(request)
        context = {"form": VerifyForm(), **_answer_context(answer, form)}
        return _page(request, "authenticity/verify.html", context, 400)
    answer = add_region(check_id, form.cleaned_data["region"])
    if answer is None:
        return _unknown(request)
    context = {
        "form": VerifyForm(),
        **_answer_context(answer),
        "region_added": bool(form.cleaned_data["region"].province),
    }
    return _page(request, "authenticity/verify.html", context)
