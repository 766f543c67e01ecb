"""The one runtime module generated code imports: everything models, enums and endpoints call to parse.

Generated modules (codegen/templates/) import `_parsing` and nothing else of the hand-written runtime
(besides the generated `types`, `client` and `errors`), so that the runtime can be arranged in
modules of one concern each without touching the templates. This module only gathers those names;
each is defined where its concern lives:

- `_response_body`: `json_body` (a 2xx body, parsed inside an issue-collecting scope), `undocumented_status`;
- `_issues`: `JSONPath`, `invalid` (record a mismatch, keep the value);
- `_model`: the `Model` base, `as_object`, `wrong_body`, `fits`, `dump`, `restore_absent`;
- `_formats`: uuid, date, date-time and binary checks and conversions;
- `_open_enums`: `OpenStrEnum`, `OpenIntEnum` and their conversions.

tests/structure/test_imports.py holds generated code to this module and to these names.
"""

from ._formats import as_date, as_datetime, as_file, as_uuid, is_date, is_datetime, is_uuid
from ._issues import JSONPath, invalid
from ._model import Model, as_object, dump, fits, restore_absent, wrong_body
from ._open_enums import OpenIntEnum, OpenStrEnum, as_int_enum, as_str_enum, is_enum_value
from ._response_body import json_body, undocumented_status

__all__ = [
    "JSONPath",
    "Model",
    "OpenIntEnum",
    "OpenStrEnum",
    "as_date",
    "as_datetime",
    "as_file",
    "as_int_enum",
    "as_object",
    "as_str_enum",
    "as_uuid",
    "dump",
    "fits",
    "invalid",
    "is_date",
    "is_datetime",
    "is_enum_value",
    "is_uuid",
    "json_body",
    "restore_absent",
    "undocumented_status",
    "wrong_body",
]
