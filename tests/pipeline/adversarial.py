"""Hypothesis strategies for specs with adversarial names: keywords, builtins, case and separator collisions, leading
digits, non-ASCII, nested collections, one path with several methods."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from codegen.naming import identifier

SEGMENTS = (
    *("import", "lambda", "class", "list", "type", "match", "case", "id", "self", "true", "None", "print"),
    *("2fa", "3d-models", "123"),
    *("user-groups", "user_groups", "User-Groups", "USER_GROUPS", "userGroups", "UserGroups"),
    *("café", "cafe", "日本", "straße", "Ünï"),
    *("agents", "messages", "items", "retrieve", "list_", "create", "v2beta"),
)
PREFIXES = ("/api/v1", "/api", "/v2", "")
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class SpecShape:
    prefix: str
    operations: tuple[tuple[str, str, bool], ...]  # (method, path, is_list)

    def keys(self) -> list[str]:
        return [f"{method.upper()} {path}" for method, path, _ in self.operations]

    def lists(self) -> set[str]:
        return {f"{method.upper()} {path}" for method, path, is_list in self.operations if is_list}

    def unrelated_resource(self) -> str:
        """A resource under the same prefix whose name no existing segment's identifier can take."""
        taken = {identifier(segment) for _, path, _ in self.operations for segment in path.split("/") if segment}
        return next(name for name in (f"zz_unrelated_{n}" for n in range(1000)) if name not in taken)


# mostly the adversarial pool, sometimes anything identifier-like
segment = st.one_of(*[st.sampled_from(SEGMENTS)] * 3, st.from_regex(r"[a-zA-Z][a-zA-Z0-9_-]{0,6}", fullmatch=True))


@st.composite
def path_of(draw: st.DrawFn, prefix: str) -> str:
    parts = [draw(segment)]
    for depth in range(draw(st.integers(0, 4))):
        # parameters named by position, so that two paths never declare one place under two names
        parts.append(f"{{p{depth}}}" if draw(st.booleans()) else draw(segment))
    return prefix + "/" + "/".join(parts) + "/"


@st.composite
def spec_shapes(draw: st.DrawFn) -> SpecShape:
    prefix = draw(st.sampled_from(PREFIXES))
    paths = draw(st.lists(path_of(prefix), min_size=3, max_size=8, unique=True))
    operations = []
    for path in paths:
        for method in draw(st.lists(st.sampled_from(METHODS), min_size=1, max_size=3, unique=True)):
            operations.append((method, path, method == "get" and draw(st.booleans())))
    return SpecShape(prefix, tuple(operations))


# Every kind of clash at once, for the few examples that go through the whole generator.
WORST_CASE = SpecShape(
    "/api/v1",
    (
        ("get", "/api/v1/import/", True),
        ("post", "/api/v1/import/", False),
        ("get", "/api/v1/import/{p0}/list/", True),
        ("get", "/api/v1/import/{p0}/list/{p1}/", False),
        ("post", "/api/v1/import/{p0}/type/", False),
        ("get", "/api/v1/user-groups/", False),
        ("get", "/api/v1/User_Groups/", False),
        ("get", "/api/v1/userGroups/{p0}/", False),
        ("get", "/api/v1/2fa/{p0}/", False),
        ("put", "/api/v1/2fa/{p0}/", False),
        ("patch", "/api/v1/2fa/{p0}/", False),
        ("get", "/api/v1/café/", False),
        ("get", "/api/v1/cafe/", False),
        ("get", "/api/v1/日本/{p0}/straße/", False),
        ("post", "/api/v1/日本/{p0}/straße/", False),
        ("get", "/api/v1/lambda/{p0}/", False),
        ("get", "/api/v1/lambda/retrieve/", False),
    ),
)
