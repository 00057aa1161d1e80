"""Permissions this app grants to roles (merged by accounts.roles).

Clerks receive; procurement owns orders and the suppliers' serial lists; a quality
engineer decides on suspected counterfeits (not the buyer who placed the order, nor
the clerk who scanned it); managers and auditors read everything.
"""

VIEW = [
    "procurement.view_purchaseorder",
    "procurement.view_purchaseorderline",
    "procurement.view_expectedserial",
    "procurement.view_receipt",
    "procurement.view_suspectunit",
]
QUALITY_FIGURES = ["procurement.view_supplier_quality"]

GRANTS: dict[str, list[str]] = {
    "warehouse": [*VIEW, "procurement.receive_purchaseorder", "procurement.change_receipt"],
    "procurement": [
        *VIEW,
        *QUALITY_FIGURES,
        "procurement.add_purchaseorder",
        "procurement.change_purchaseorder",
        "procurement.delete_purchaseorder",
        "procurement.add_expectedserial",
        "procurement.delete_expectedserial",
    ],
    "quality": [*VIEW, *QUALITY_FIGURES, "procurement.decide_suspectunit"],
    "manager": [*VIEW, *QUALITY_FIGURES],
    "auditor": [*VIEW, *QUALITY_FIGURES],
}
