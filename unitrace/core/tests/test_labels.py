"""Codes stored in rows reach people as labels, in their language (core.labels)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.template import Context, Template
from django.utils import translation

from unitrace.core.labels import (
    DOCUMENT_TYPES,
    SOURCES,
    choice_label,
    document_type_label,
    source_label,
)


class Colour(models.TextChoices):
    DARK_RED = "dark_red", "dark red"


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("work_order", "工单", "work order"),
        ("transfer", "调拨单", "transfer order"),
        ("receipt", "收货单", "goods receipt"),
        ("DN", "出库单", "delivery note"),
        ("installation", "安装单", "installation"),
    ],
)
def test_document_types_in_both_languages(code, zh, en):
    with translation.override("zh-hans"):
        assert document_type_label(code) == zh
    with translation.override("en"):
        assert document_type_label(code) == en


def test_sources_in_both_languages():
    with translation.override("zh-hans"):
        assert source_label("command") == "命令行"
        assert source_label("api") == "接口"
    with translation.override("en"):
        assert source_label("command") == "command line"


def test_every_document_type_and_source_has_chinese():
    with translation.override("zh-hans"):
        untranslated = [
            code
            for code, label in [*DOCUMENT_TYPES.items(), *SOURCES.items()]
            if not any("\u4e00" <= ch <= "\u9fff" for ch in str(label))
        ]
    assert untranslated == []


def test_unknown_and_empty_codes():
    # an event recorded over the API may carry the client's own document type
    assert document_type_label("ERP-XY") == "ERP-XY"
    assert document_type_label("") == ""
    assert source_label(None) == ""


def test_choice_label_takes_a_value_or_a_member():
    assert choice_label(Colour, "dark_red") == "dark red"
    assert choice_label(Colour, Colour.DARK_RED) == "dark red"
    assert choice_label(Colour.choices, "dark_red") == "dark red"
    assert choice_label(Colour, "other") == "other"


def test_template_filters():
    template = Template(
        "{% load labels %}{{ ref|document_type }}|{{ src|event_source }}|"
        "{{ value|choice_label:colours }}"
    )
    context = Context({"ref": "work_order", "src": "command", "value": "dark_red"})
    context["colours"] = Colour
    with translation.override("zh-hans"):
        assert template.render(context) == "工单|命令行|dark red"


def test_every_app_has_a_translated_verbose_name():
    """The admin's section headers: 账号与角色, not ACCOUNTS."""
    ours = [a for a in apps.get_app_configs() if a.name.startswith("unitrace.")]
    assert len(ours) >= 14
    # without its own, an app's verbose name is its label title-cased, never translated
    unset = [a.label for a in ours if "verbose_name" not in type(a).__dict__]
    assert unset == []
    with translation.override("zh-hans"):
        english = [
            a.label
            for a in ours
            if not any("\u4e00" <= ch <= "\u9fff" for ch in str(a.verbose_name))
        ]
    assert english == []


@pytest.mark.django_db
def test_admin_index_headers_in_chinese(admin_browser, settings):
    settings.LANGUAGE_CODE = "zh-hans"

    page = admin_browser.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    for header in ("账号与角色", "产品目录", "往来单位", "设备与序列号"):
        assert header in page
    assert ">Accounts<" not in page and ">Catalog<" not in page
