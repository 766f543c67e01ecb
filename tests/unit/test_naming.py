"""Unit tests of codegen/naming.py: the import path of each operation, from the spec's paths alone."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import HealthCheck, example, given, settings

from codegen.naming import BUILTINS, RESERVED, Named, NamingError, Operation, api_prefix, identifier, name_operations
from tests.pipeline.adversarial import WORST_CASE, SpecShape, spec_shapes
from tests.pipeline.naming_specs import WASSIST_LISTS, WASSIST_NAMES

WASSIST = [Operation(key.split()[0].lower(), key.split()[1], is_list=key in WASSIST_LISTS) for key in WASSIST_NAMES]


def dotted(named: dict[tuple[str, str], Named]) -> dict[str, str]:
    return {f"{method.upper()} {path}": ".".join(name.parts) for (method, path), name in named.items()}


def names_of(*keys: str, lists: tuple[str, ...] = ()) -> dict[str, str]:
    ops = [Operation(key.split()[0].lower(), key.split()[1], key in lists) for key in keys]
    return dotted(name_operations(ops))


def test_the_names_the_issue_gives_for_wassist_paths() -> None:
    named = name_operations(WASSIST)
    assert dotted(named) == WASSIST_NAMES
    assert not [name.note for name in named.values() if name.note]


@pytest.mark.parametrize(
    ("paths", "prefix"),
    [
        (["/api/v1/utils/x/", "/api/schema/"], ["api"]),
        (["/api/v1/a/", "/api/v1/b/{id}/"], ["api"]),  # v1 left out: it is never a resource
        (["/api/v1.0/a/", "/api/V2/b/"], ["api"]),
        (["/a/", "/a/{id}/"], []),  # every path keeps a static segment after the prefix
        (["/svc/api/a/", "/svc/api/b/"], ["svc", "api"]),
        (["/a/{id}/v2/"], []),  # a version after a parameter stays
        (["/api/v1/agents/byoa/", "/api/v1/agents/x/"], ["api"]),  # the version ends the prefix
        (["/api/v1/agents/", "/health/"], ["api"]),  # only the paths with a version decide it
        (["/api/agents/byoa/", "/api/agents/x/"], ["api", "agents"]),  # without one, what all paths share
    ],
)
def test_the_api_prefix_comes_from_the_paths(paths: list[str], prefix: list[str]) -> None:
    assert api_prefix(paths) == prefix


def test_a_version_segment_is_never_a_resource() -> None:
    assert names_of("GET /api/v1/agents/", "GET /api/v2.1/contacts/") == {
        "GET /api/v1/agents/": "agents.retrieve",
        "GET /api/v2.1/contacts/": "contacts.retrieve",
    }


@pytest.mark.parametrize(
    ("keys", "lists", "expected"),
    [
        # a parameter after a segment, in some path, makes it a collection
        (("GET /r/{id}/items/", "GET /r/{id}/items/{i}/"), (), {"r.items.retrieve", "r.items.retrieve_2"}),
        # its own path answering GET with a list does too
        (("GET /r/{id}/items/",), ("GET /r/{id}/items/",), {"r.items.list_"}),
        # otherwise the last segment is an action, named by its segment when its path has one method
        (("GET /r/{id}/stats/",), (), {"r.stats"}),
        (("DELETE /r/{id}/cache/",), (), {"r.cache"}),
        # and with the method suffix when it has several
        (("GET /r/{id}/stats/", "DELETE /r/{id}/stats/"), (), {"r.stats_retrieve", "r.stats_destroy"}),
        # segments before a collection that are not collections themselves join its name; nest as deep as the path
        (("GET /r/{id}/a/b/{x}/c/{y}/",), (), {"r.a_b.c.retrieve"}),
        # several literal segments make one action
        (("POST /r/byoa/confirm/",), (), {"r.byoa_confirm"}),
        # an action on a nested collection's item
        (("GET /r/{id}/m/", "POST /r/{id}/m/{mid}/react/"), ("GET /r/{id}/m/",), {"r.m.list_", "r.m.react"}),
    ],
)
def test_collections_and_actions(keys: tuple[str, ...], lists: tuple[str, ...], expected: set[str]) -> None:
    assert set(names_of(*keys, "GET /other/", lists=lists).values()) == {*expected, "other.retrieve"}


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("whatsapp-link-sessions", "whatsapp_link_sessions"),
        ("whatsAppAccounts", "whats_app_accounts"),
        ("HTTPServer", "http_server"),
        ("import", "import_"),
        ("lambda", "lambda_"),
        ("list", "list_"),
        ("type", "type_"),  # a soft keyword and a builtin
        ("match", "match_"),  # a soft keyword
        ("id", "id_"),
        ("None", "none"),  # only the capitalised keyword is one
        ("2fa", "n2fa"),
        ("3d-models", "n3d_models"),
        ("café", "cafe"),
        ("Ünïcödé", "unicode"),
        ("日本", "u65e5_u672c"),
        ("straße", "stra_u00df_e"),
        ("~", "u007e"),
        ("__private__", "private"),
    ],
)
def test_identifier(raw: str, name: str) -> None:
    assert identifier(raw) == name
    assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


def test_every_keyword_soft_keyword_and_builtin_is_reserved() -> None:
    assert {word for word in keyword.kwlist if word.islower()} <= RESERVED
    assert set(keyword.softkwlist) - {"_"} <= RESERVED
    import builtins

    assert {name for name in dir(builtins) if name.islower() and not name.startswith("_")} <= BUILTINS


def test_reserved_resources_keep_their_operations() -> None:
    assert names_of("GET /api/lambda/functions/", "GET /api/type/", "POST /api/type/", lists=("GET /api/type/",)) == {
        "GET /api/lambda/functions/": "lambda_.functions",
        "GET /api/type/": "type_.list_",
        "POST /api/type/": "type_.create",
    }


def test_segments_differing_only_in_case_or_separator_are_separated_by_a_fixed_rank() -> None:
    named = name_operations(
        [Operation("get", path) for path in ("/User-Groups/", "/user_groups/", "/user-groups/", "/USER_GROUPS/")]
    )
    # spelled as the identifier first, then lower-case kebab-case, then the rest in code point order
    assert dotted(named) == {
        "GET /user_groups/": "user_groups.retrieve",
        "GET /user-groups/": "user_groups_2.retrieve",
        "GET /USER_GROUPS/": "user_groups_3.retrieve",
        "GET /User-Groups/": "user_groups_4.retrieve",
    }
    assert named["get", "/user-groups/"].note == "user_groups_2 (segment 'user-groups': user_groups was taken)"
    assert named["get", "/user_groups/"].note == ""


def test_non_ascii_segments_get_distinct_names() -> None:
    assert names_of("GET /café/", "GET /cafe/", "GET /日本/") == {
        "GET /café/": "cafe_2.retrieve",
        "GET /cafe/": "cafe.retrieve",
        "GET /日本/": "u65e5_u672c.retrieve",
    }


def test_a_module_never_takes_a_sub_package_name() -> None:
    named = names_of("GET /r/{id}/stats/", "GET /r/stats/{x}/")
    assert named == {"GET /r/{id}/stats/": "r.stats_2", "GET /r/stats/{x}/": "r.stats.retrieve"}


def test_two_operations_with_one_name_are_separated_in_path_order() -> None:
    assert names_of("GET /r/", "GET /r/{id}/") == {"GET /r/": "r.retrieve", "GET /r/{id}/": "r.retrieve_2"}
    assert names_of("POST /r/{id}/copy/", "POST /r/copy/") == {
        "POST /r/copy/": "r.copy",
        "POST /r/{id}/copy/": "r.copy_2",
    }


def test_a_name_depends_only_on_paths_below_its_resource() -> None:
    before = name_operations(WASSIST)
    more = [
        *WASSIST,
        Operation("get", "/api/v1/contacts/", is_list=True),
        Operation("post", "/api/v1/contacts/{phone}/block/"),
        Operation("get", "/api/v1/Agents2/"),
    ]
    after = name_operations(more)
    assert {key: after[key] for key in before} == before


def test_a_path_outside_the_api_prefix_renames_nothing() -> None:
    after = name_operations([*WASSIST, Operation("get", "/health/"), Operation("get", "/metrics/{name}/")])
    assert {key: after[key] for key in name_operations(WASSIST)} == name_operations(WASSIST)
    assert (after["get", "/health/"].parts, after["get", "/metrics/{name}/"].parts) == (
        ("health", "retrieve"),
        ("metrics", "retrieve"),
    )


def test_an_action_path_that_gains_a_list_becomes_a_collection() -> None:
    before = names_of("POST /r/{id}/notes/")
    after = names_of("POST /r/{id}/notes/", "GET /r/{id}/notes/", lists=("GET /r/{id}/notes/",))
    assert (before["POST /r/{id}/notes/"], after["POST /r/{id}/notes/"]) == ("r.notes", "r.notes.create")


def test_a_path_without_a_resource_is_an_error_naming_it() -> None:
    with pytest.raises(NamingError, match=r"^/\{org\}/x/: no resource segment after the API prefix /$"):
        name_operations([Operation("get", "/{org}/x/"), Operation("get", "/x/")])


# --- properties over adversarial specs (generation itself: tests/pipeline/test_naming_generated.py) ---------------


# no health checks: on a loaded machine the strategy's speed is not what this test is about
@settings(max_examples=150, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(shape=spec_shapes())
@example(shape=WORST_CASE)
def test_every_spec_gets_valid_distinct_and_stable_names(shape: SpecShape) -> None:
    ops = [Operation(method, path, is_list) for method, path, is_list in shape.operations]
    named = name_operations(ops)
    full = [name.parts for name in named.values()]
    assert len(set(full)) == len(full) == len(ops)  # one module per operation
    for parts in full:
        assert all(part.isidentifier() and part.isascii() and part not in RESERVED for part in parts), parts
        assert not keyword.iskeyword(parts[-1]) and not keyword.issoftkeyword(parts[-1])
    packages = {parts[:depth] for parts in full for depth in range(1, len(parts))}
    assert not packages & set(full)  # no module shares its name with a sub-package beside it
    prefix = api_prefix(op.path for op in ops)
    unrelated = "/" + "/".join([*prefix, shape.unrelated_resource(), "{p0}", "x"]) + "/"
    more = name_operations([*ops, Operation("get", unrelated), Operation("post", unrelated)])
    assert {key: more[key] for key in named} == named
