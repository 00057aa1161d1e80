"""The API's body parsers: bounded nesting and no forbidden characters in any text.

``DEFAULT_PARSER_CLASSES`` names these, and a view that lists its own parsers takes them
from here, so every body is read the same way:

* JSON nested deeper than ``API_JSON_MAX_DEPTH`` (settings, default 64) is refused with
  400 ``parse_error`` before it is decoded: the standard decoder recurses and a 2 KB body
  of 1,000 brackets would otherwise end in ``RecursionError``. Our own bodies nest four
  levels at most.
* A text value or key holding a control character (``core.text``) is refused with 400
  ``invalid``, ``field`` naming where it is (``lines.0.serial``), for JSON and for form
  fields (an uploaded file's bytes are the importer's business).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils import json

from unitrace.core import text

# A JSON string (with its escapes) or one bracket; strings are skipped so "[[" inside
# text does not count.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def max_depth() -> int:
    return getattr(settings, "API_JSON_MAX_DEPTH", 64)


def json_depth(document: str) -> int:
    """How deep ``document`` nests arrays and objects (0 for a scalar)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(document):
        found = match.group()
        if found in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif found in "]}":
            depth -= 1
    return deepest


def refuse_forbidden_text(data) -> None:
    """Raise a validation error naming every input that holds a control character."""
    paths = list(dict.fromkeys(text.forbidden_paths(data)))
    if paths:
        message = str(text.MESSAGE)
        raise exceptions.ValidationError(
            {path or "non_field_errors": [ErrorDetail(message, code=text.CODE)] for path in paths}
        )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            document = (stream.read() if stream is not None else b"").decode(encoding)
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}")
        limit = max_depth()
        if json_depth(document) > limit:
            raise exceptions.ParseError(
                _("JSON parse error - nested deeper than %(limit)d levels") % {"limit": limit}
            )
        try:
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(document, parse_constant=parse_constant)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}")
        refuse_forbidden_text(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_forbidden_text(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_forbidden_text(result.data)
        return result
