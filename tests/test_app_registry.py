"""The installed apps plug in as the hand-kept lists had them: same URL precedence,
same API route order, same navigation, same job handlers and role grants."""

from __future__ import annotations

import pytest
from django.urls import resolve

from unitrace.core.plugins import registry


def test_installed_page_mounts_keep_their_precedence():
    assert [(m.prefix, m.module) for m in registry().pages] == [
        ("accounts/", "unitrace.accounts.urls"),
        ("jobs/", "unitrace.core.urls"),
        ("audit/", "unitrace.core.audit_urls"),
        ("company/", "unitrace.core.company_urls"),
        ("catalog/", "unitrace.catalog.urls"),
        ("procurement/", "unitrace.procurement.urls"),
        ("inventory/", "unitrace.inventory.urls"),
        ("sales/", "unitrace.service.urls"),  # sales' pages and the return pages
        ("p/", "unitrace.authenticity.urls"),
        ("01/", "unitrace.authenticity.link_urls"),
        ("r/", "unitrace.authenticity.progress_urls"),  # a repair request's progress
        ("parties/", "unitrace.parties.urls"),
        ("places/", "unitrace.places.urls"),
        ("", "unitrace.unitfile.urls"),
    ]


def test_installed_api_routes_keep_their_order():
    assert registry().api == [
        "unitrace.accounts.api.urls",
        "unitrace.core.api_urls",
        "unitrace.catalog.api.urls",
        "unitrace.serials.api.urls",
        "unitrace.unitfile.api.urls",
        "unitrace.procurement.api.urls",
        "unitrace.inventory.api.urls",
        "unitrace.sales.api.urls",
        "unitrace.service.api.urls",
        "unitrace.authenticity.api.urls",
        "unitrace.geo.api.urls",  # divisions/: no route shared with any other app
    ]


def test_installed_navigation_keeps_its_order():
    names = [name for name, _label, _perm in registry().nav_items]
    assert names[:5] == [
        "serials:scan",
        "serials:unit_list",
        "serials:customer_search",
        "serials:import",
        "serials:generate",
    ]
    assert names[-1] == "core:job_list"
    apps_in_order = [name.split(":")[0] for name in names]
    assert list(dict.fromkeys(apps_in_order)) == [
        "serials",
        "procurement",
        "inventory",
        "sales",
        "authenticity",
        "catalog",  # master data after the documents
        "places",
        "parties",
        "audit",  # core's audit trail, the company settings, then its jobs last
        "company",
        "core",
    ]


def test_installed_job_handlers_are_registered():
    from unitrace.core.jobs import _HANDLERS

    assert {"units.import", "units.generate", "export", "labels"} <= set(_HANDLERS)
    assert registry().job_modules == [
        "unitrace.core.exports",
        "unitrace.core.audit_trail",  # registers the change-log export
        "unitrace.catalog.exports",  # the master-data exports (run as jobs when large)
        "unitrace.catalog.importing",  # the SKU and batch imports
        "unitrace.serials.jobs",
        "unitrace.unitfile.labels",  # large label runs
        "unitrace.procurement.jobs",
        "unitrace.parties.exports",
        "unitrace.parties.importing",  # the party import
        "unitrace.places.exports",
        "unitrace.places.importing",  # the warehouse and bin import
    ]
    assert {"catalog.batch_import", "parties.party_import", "places.warehouse_import"} <= set(
        _HANDLERS
    )


def test_serials_grants_reach_the_role_table():
    from unitrace.accounts.roles import role_permissions

    table = role_permissions()
    assert {"serials.view_unit", "serials.view_unitevent"} <= set(table["distributor"])
    assert {"serials.add_unit", "serials.print_labels", "core.view_job"} <= set(table["warehouse"])


@pytest.mark.parametrize(
    "url",
    ["/01/09506000134352/21/SN1", "/01/09506000134352/10/L1/21/SN1/"],
)
def test_the_digital_link_on_labels_resolves_at_the_root(url):
    from unitrace.authenticity.views.public import digital_link

    match = resolve(url)
    assert match.func is digital_link
    assert match.kwargs == {"gtin": "09506000134352", "serial": "SN1"}
