"""What every master-data page needs: a page of a list, its filters carried to the next
page, a search text, and a service's refusal as messages for the form.

The master-data apps (catalog, places, parties) share these instead of each writing
its own; the document apps keep theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from unitrace.core.importing import ImportUploadForm

PAGE_SIZE = 50
MAX_SEARCH = 100  # characters of a search text that are used


def page_of(request, queryset, size: int = PAGE_SIZE) -> Page:
    """The requested page; a page number that is no number or too large gives the
    last or first page (``get_page``), never an error."""
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def page_query(request) -> str:
    """The list's filters, to carry over to the next page's link ("a=1&" or "")."""
    params = request.GET.copy()
    params.pop("page", None)
    return f"{params.urlencode()}&" if params else ""


def export_query(request) -> str:
    """The list's filters without the page, for its export links."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def search_text(params, name: str = "q") -> str:
    """The search box's text, stripped and cut to ``MAX_SEARCH`` characters."""
    return (params.get(name) or "").strip()[:MAX_SEARCH]


def errors_of(exc) -> list[str]:
    """A service's ValidationError as plain messages for the page."""
    if hasattr(exc, "message_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(getattr(exc, "messages", [str(exc)]))


def add_errors(form, exc) -> None:
    """A service's ValidationError onto the form: per field where the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, errors_of(exc))


@dataclass
class Column:
    label: Any
    css: str = ""  # "num", "mono", "hide-narrow", ...


@dataclass
class Cell:
    value: Any
    css: str = ""


@dataclass
class Row:
    url: str
    cells: list[Cell]
    inactive: bool = False


def row(url: str, columns: list[Column], values: list[Any], *, inactive: bool = False) -> Row:
    """A list row whose cells carry their column's classes."""
    return Row(url, [Cell(v, c.css) for c, v in zip(columns, values, strict=True)], inactive)


@dataclass
class Listing:
    """What the generic list template shows."""

    title: Any
    columns: list[Column]
    rows: list[Row]
    page: Page
    query: str
    filters: Any  # a bound GET form
    new_url: str = ""
    new_label: Any = ""
    export_name: str = ""  # the export's registry key (``core.exports``)
    export_query: str = ""
    template_url: str = ""
    import_url: str = ""  # where the import form posts (with ``import_form``)
    import_form: Any = None
    links: list[tuple[str, Any]] = field(default_factory=list)  # (url, label)

    def offer_import(self, user, template, import_url_name: str) -> None:
        """Show the template download and the upload box to users the import allows."""
        if user.has_perms(template.permissions):
            self.template_url = reverse("core:import_template", args=[template.name])
            self.import_url = reverse(import_url_name)
            self.import_form = ImportUploadForm()


def edit_record(request, form, save, *, heading, eyebrow, cancel_url, saved, detail):
    """The create/edit flow every master-data form shares: validate, save through the
    app's service (change-logged, atomic), or show the form again with its errors (400).

    ``save(record)`` may raise ``ValidationError`` (a rule, a code taken meanwhile);
    ``saved`` is the success message with ``%(record)s``, ``detail`` the URL name of
    the record's page.
    """
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        try:
            save(record)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, saved % {"record": record})
            return redirect(detail, pk=record.pk)
    return render(
        request,
        "core/masterdata/form.html",
        {"form": form, "heading": heading, "eyebrow": eyebrow, "cancel_url": cancel_url},
        status=400 if form.errors else 200,
    )
