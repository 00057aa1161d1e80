"""The Simplified Chinese catalog is complete, compiled and actually used.

The UI speaks zh-hans by default and English on request. These tests read the catalog
itself (no polib) so a string added without a translation, a fuzzy guess left behind by
makemessages, or a forgotten ``compilemessages`` fails here rather than in front of users.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation

import unitrace.settings as production_settings
from unitrace.serials import ledger
from unitrace.serials.ledger import LedgerError
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.statuses import EventType, Status, refusal

LOCALE_DIR = Path(django_settings.LOCALE_PATHS[0])
CATALOG_DIR = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")


def _catalogs() -> list[Path]:
    return [CATALOG_DIR / f"{d}.po" for d in DOMAINS if (CATALOG_DIR / f"{d}.po").exists()]


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr list, flags, line."""
    entries: list[dict] = []
    entry: dict | None = None
    field: str | None = None

    def close() -> None:
        nonlocal entry
        if entry is not None and "msgid" in entry:
            entries.append(entry)
        entry = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#~"):  # obsolete entries are not used
            continue
        if entry is None or (line.startswith("#") and "msgid" in entry):
            close()
            entry = {"flags": set(), "msgstr": [], "line": number}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := re.match(
            r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line
        ):
            keyword, value = match.groups()
            field = "msgstr" if keyword.startswith("msgstr") else keyword
            if field == "msgstr":
                entry["msgstr"].append(_unquote(value))
            else:
                entry[field] = _unquote(value)
        elif line.startswith('"') and field is not None:
            if field == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
            else:
                entry[field] += _unquote(line)
        else:
            raise AssertionError(f"{path.name}:{number}: cannot read {raw!r}")
    close()
    return entries


def _label(path: Path, entry: dict) -> str:
    return f"{path.name}:{entry['line']}: {entry['msgid']!r}"


def test_catalog_exists():
    assert (CATALOG_DIR / "django.po").exists(), (
        "no zh_Hans catalog; run makemessages -l zh_Hans (see the i18n notes)"
    )


@pytest.mark.parametrize("po", _catalogs(), ids=lambda p: p.name)
def test_every_message_is_translated_and_none_is_fuzzy(po):
    entries = parse_po(po)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"], f"{po.name}: the header is marked fuzzy"
    assert "nplurals=1; plural=0;" in header["msgstr"][0]
    fuzzy = [_label(po, e) for e in messages if "fuzzy" in e["flags"]]
    empty = [_label(po, e) for e in messages if not all(e["msgstr"])]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries:\n" + "\n".join(fuzzy)
    assert not empty, f"{len(empty)} untranslated entries:\n" + "\n".join(empty)


PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdrfixXeEgGc]|\{[^{}]*\}|<[^>]+>")


@pytest.mark.parametrize("po", _catalogs(), ids=lambda p: p.name)
def test_translations_keep_placeholders_and_markup(po):
    wrong = []
    for e in parse_po(po)[1:]:
        sources = {e["msgid"], e.get("msgid_plural", e["msgid"])}
        wanted = [sorted(PLACEHOLDER.findall(s)) for s in sources]
        wrong += [
            _label(po, e) for s in e["msgstr"] if sorted(PLACEHOLDER.findall(s)) not in wanted
        ]
    assert not wrong, "placeholders or HTML differ from the source:\n" + "\n".join(wrong)


@pytest.mark.parametrize("po", _catalogs(), ids=lambda p: p.name)
def test_msgfmt_accepts_the_catalog(po):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed; cannot run msgfmt --check")
    run = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "-", str(po)],
        capture_output=True,
        text=False,
        check=False,
    )
    report = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 0, report
    assert "untranslated" not in report, report
    assert "fuzzy" not in report, report


@pytest.mark.parametrize("po", _catalogs(), ids=lambda p: p.name)
def test_compiled_catalog_matches_the_po_file(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.name} is missing: run manage.py compilemessages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in parse_po(po)[1:]:
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            got = compiled.ngettext(key, e["msgid_plural"], 1)
        else:
            got = compiled.gettext(key)
        if got != e["msgstr"][0]:
            stale.append(_label(po, e))
    assert not stale, (
        f"{mo.name} is out of date ({len(stale)} messages): run manage.py compilemessages\n"
        + "\n".join(stale[:20])
    )


@pytest.fixture
def default_language(settings):
    """The language the product ships with, whatever the test settings pin."""
    settings.LANGUAGE_CODE = production_settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


def test_the_product_defaults_to_simplified_chinese():
    assert production_settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(production_settings.LANGUAGES)


@pytest.mark.django_db
def test_login_page_speaks_chinese_by_default(client, default_language):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body
    assert "用户名" in body
    assert "Log in" not in body
    assert response.headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_login_page_speaks_english_when_the_browser_asks(client, default_language):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert "Log in" in body
    assert "User name" in body
    assert "登录" not in body


@pytest.mark.django_db
def test_language_cookie_switches_to_english(client, default_language, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Log in" in body
    assert "登录" not in body


def test_status_and_event_labels_are_translated():
    with translation.override("zh-hans"):
        assert str(Status.IN_STOCK.label) == "在库"
        assert str(Status.SCRAPPED.label) == "已报废"
        assert str(EventType.SHIPPED.label) == "已出库"


def test_refusal_reason_in_chinese():
    with translation.override("zh-hans"):
        reason = refusal(EventType.SHIPPED, Status.SCRAPPED)
    assert reason == "状态为“已报废”的设备不能记为“已出库”"
    with translation.override("en"):
        assert refusal(EventType.SHIPPED, Status.SCRAPPED) == (
            "a unit that is scrapped cannot be shipped"
        )


@pytest.mark.django_db
def test_ledger_refusal_reaches_the_user_in_chinese(sku, batch):
    register_units(
        sku,
        [NewUnit("AC0901", "", batch.pk, batch.production_date)],
        when=timezone.now() - timedelta(days=2),
    )
    unit = Unit.objects.get(serial="AC0901")
    ledger.scrap(unit)
    with translation.override("zh-hans"), pytest.raises(LedgerError) as refused:
        ledger.ship(unit)
    assert refused.value.code == "illegal_transition"
    assert refused.value.message == "状态为“已报废”的设备不能记为“已出库”"
    assert str(refused.value) == "AC0901: 状态为“已报废”的设备不能记为“已出库”"
