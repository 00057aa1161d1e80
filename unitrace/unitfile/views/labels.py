"""Label sheets (PDF or SVG) for units chosen in the unit list.

A composition because each label prints the unit's signed link and verification code
(``authenticity.labels``); the sheets are laid out by ``serials.labels``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unitrace.authenticity import labels as label_sheets
from unitrace.serials.labels import MAX_LABELS
from unitrace.serials.selectors import units_visible_to


def _ids(values: list[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part.isdigit():
                ids.append(int(part))
    return list(dict.fromkeys(ids))


@login_required
@permission_required("serials.print_labels", raise_exception=True)
@require_http_methods(["GET", "POST"])
def labels(request, fmt: str):
    """A label sheet (PDF or SVG) for the chosen units the user may see."""
    source = request.POST if request.method == "POST" else request.GET
    ids = _ids(source.getlist("ids"))
    problem = None
    if not ids:
        problem = _("Choose at least one unit.")
    elif len(ids) > MAX_LABELS:
        problem = _("At most %(max)d labels at a time; %(n)d were chosen.") % {
            "max": MAX_LABELS,
            "n": len(ids),
        }
    units = []
    if problem is None:
        found = {
            u.pk: u for u in units_visible_to(request.user).select_related("sku").filter(pk__in=ids)
        }
        units = [found[pk] for pk in ids if pk in found]
        if not units:
            raise Http404(_("None of these units exists or is visible to you."))
        try:
            if fmt == "pdf":
                body, content_type = label_sheets.labels_pdf(units), "application/pdf"
            else:
                body, content_type = label_sheets.labels_svg(units), "image/svg+xml"
        except ValueError as exc:
            problem = str(exc)
    if problem is not None:
        back = source.get("next", "")
        if request.method == "POST":
            messages.error(request, problem)
            if not url_has_allowed_host_and_scheme(
                back, {request.get_host()}, require_https=request.is_secure()
            ):
                back = reverse("serials:unit_list")
            return redirect(back)
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="labels-{len(units)}.{fmt}"'
    return response
