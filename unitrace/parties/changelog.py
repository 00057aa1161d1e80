"""How the change log shows a party's entries: personal data masked without PII.

A party's before/after snapshots carry its phone, address and contact person, and a
person's name (also in the entry's ``object_repr``, "code name"). An auditor without
``parties.view_pii`` sees them masked as on every other page (138****1234, 张*), in
the audit page, the API and the exports; the stored entry and its chain hash are
untouched.

An update's snapshots hold only the changed fields, so whether the party is a person
comes from the snapshot when it says, else from the party row (one query per batch of
entries); a party that is gone and whose entry does not say is treated as a person.
"""

from __future__ import annotations

from typing import Any

from unitrace.parties.masking import PII_FIELDS, can_see_pii, mask_name, masked_value
from unitrace.parties.models import Party

_PERSON_KEYS = ("kind", "is_company")


def _masked(snapshot: Any, person: bool) -> Any:
    if not isinstance(snapshot, dict):
        return snapshot
    out = dict(snapshot)
    for name in PII_FIELDS:
        if isinstance(out.get(name), str) and out[name]:
            out[name] = masked_value(name, out[name])
    if person and isinstance(out.get("name"), str):
        out["name"] = mask_name(out["name"])
    return out


def _said(entry: dict) -> dict:
    """What the entry's own snapshots say about kind and is_company."""
    said: dict = {}
    for key in ("before", "after"):
        snapshot = entry.get(key)
        if isinstance(snapshot, dict):
            said.update({k: snapshot[k] for k in _PERSON_KEYS if k in snapshot})
    return said


def mask_party_entries(entries: list[dict], user) -> list[dict]:
    """``entries`` (object_id, before, after, object_repr) as ``user`` may see them."""
    if can_see_pii(user):
        return entries
    said = [_said(entry) for entry in entries]
    unknown = {
        int(e["object_id"])
        for e, s in zip(entries, said, strict=True)
        if len(s) < len(_PERSON_KEYS) and str(e.get("object_id") or "").isdigit()
    }
    rows = {
        pk: {"kind": kind, "is_company": is_company}
        for pk, kind, is_company in Party.objects.filter(pk__in=unknown).values_list(
            "pk", "kind", "is_company"
        )
    }
    shown = []
    for entry, own in zip(entries, said, strict=True):
        object_id = str(entry.get("object_id") or "")
        facts = {**rows.get(int(object_id), {}), **own} if object_id.isdigit() else dict(own)
        person = facts.get("kind", Party.Kind.CUSTOMER) == Party.Kind.CUSTOMER and not facts.get(
            "is_company", False
        )
        repr_text = entry.get("object_repr") or ""
        if person and " " in repr_text:
            code, name = repr_text.split(" ", 1)
            repr_text = f"{code} {mask_name(name)}"
        shown.append(
            {
                **entry,
                "before": _masked(entry.get("before"), person),
                "after": _masked(entry.get("after"), person),
                "object_repr": repr_text,
            }
        )
    return shown


MASKS = {"parties.party": mask_party_entries}
