"""Reading a spec document: JSON, or YAML when it isn't JSON, into plain JSON data."""

from __future__ import annotations

import json
from typing import Any

from codegen.spec_diff._nodes import JSONDict


class SpecParseError(ValueError):
    """The text is neither a JSON nor a YAML object."""


def parse_spec_text(text: str) -> JSONDict:
    """Parse a spec document as JSON, or YAML when it isn't JSON; the result is plain JSON data."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as json_error:
        if text.lstrip().startswith(("{", "[")):
            raise SpecParseError(f"not valid JSON: {json_error}") from json_error
        data = _parse_yaml(text)
    if not isinstance(data, dict):
        raise SpecParseError(f"the document is a {type(data).__name__}, not a JSON/YAML object")
    return data


def _parse_yaml(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError as error:
        raise SpecParseError(f"neither valid JSON nor valid YAML: {error}") from error
    # A round trip through JSON turns YAML-only values into what the JSON document would hold:
    # integer keys such as `200:` become "200", dates become ISO strings.
    try:
        return json.loads(json.dumps(data, default=str))
    except ValueError as error:
        raise SpecParseError(f"the YAML document can't be represented as JSON: {error}") from error
