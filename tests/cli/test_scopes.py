"""`scm-access scopes`: the catalog as a table, one scope explained with its sources, clear errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scm_access.cli import app

runner = CliRunner()


def scopes(*args: str):
    return runner.invoke(app, ["scopes", *args])


def explained(*args: str) -> dict:
    result = scopes(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("platform", "asked", "scope"),
    [
        ("azure_devops", "Work Items: Read & write", "vso.work_write"),
        ("azure_devops", "Read Audit Log", "vso.auditlog"),
        ("azure_devops", "Auditing: Read Audit Log", "vso.auditlog"),
        ("github", "All repo options", "repo"),
        ("github", "Contents: Read-only", "contents:read"),
        ("gitlab", "write_repository", "write_repository"),
        ("bitbucket", "Repositories: Read", "read:repository:bitbucket"),
    ],
)
def test_a_label_or_string_resolves_to_its_scope_on_every_platform(platform: str, asked: str, scope: str) -> None:
    document = explained(platform, asked)
    assert (document["platform"], document["scope"]) == (platform, scope)
    assert asked in document["labels"] or asked == scope


def test_one_scope_is_explained_with_every_required_field() -> None:
    document = explained("azure_devops", "vso.work_write")
    required = {
        "platform", "scope", "label", "labels", "implies", "implied_by", "kinds", "deprecated",
        "high_privilege", "source",
    }
    assert required <= set(document)
    assert document["label"] == "Work Items: Read & write"
    assert "Work items (read and write)" in document["labels"]
    assert document["implies"] == ["vso.hooks", "vso.hooks_write", "vso.profile", "vso.work"]
    assert "vso.work" in document["implies"] and "vso.work_write" not in document["implies"]
    assert document["implied_by"] == ["app_token", "vso.work_full"]
    assert document["kinds"] == ["pat"]
    assert document["deprecated"] is None and document["high_privilege"] is False
    assert document["source"]["ref"].startswith("MicrosoftDocs/azure-devops-docs:")
    assert document["source"]["checked"] == "2026-11-30"


def test_implies_is_the_closure_for_the_kind_asked_about() -> None:
    personal = explained("gitlab", "api", "--kind", "pat")
    group = explained("gitlab", "api", "--kind", "group_access_token")
    assert {"write_repository", "read_repository"} <= set(personal["implies"])
    assert "write_repository" not in group["implies"]
    # Unconfirmed containment is shown apart, never as implied.
    assert "self_rotate" in group["implies_unconfirmed"] and "self_rotate" not in group["implies"]
    assert "api" in explained("gitlab", "write_repository", "--kind", "pat")["implied_by"]
    assert "api" not in explained("gitlab", "write_repository", "--kind", "group_access_token")["implied_by"]


def test_deprecated_and_unconfirmed_are_shown_with_their_source() -> None:
    document = explained("github", "read:discussion")
    assert document["deprecated"]["since"] == "2023-02-08"
    assert document["deprecated"]["source"]["ref"].startswith("https://github.blog/changelog/")
    assert document["unconfirmed"]


def test_the_catalog_table_lists_scopes_labels_kinds_implies_and_flags() -> None:
    result = scopes("gitlab")
    assert result.exit_code == 0, result.output
    for text in ("scope", "label", "kinds", "implies", "flags", "write_repository", "high privilege", "experimental"):
        assert text in result.stdout


def test_the_catalog_table_takes_the_terminals_width_and_cuts_no_name() -> None:
    result = runner.invoke(app, ["scopes", "github"], env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout


def test_the_catalog_for_one_kind_lists_only_what_it_can_hold() -> None:
    result = scopes("gitlab", "--kind", "deploy_token", "--format", "json")
    names = {entry["scope"] for entry in json.loads(result.stdout)}
    assert "read_package_registry" in names and "api" not in names


def test_an_unknown_scope_exits_2_with_the_nearest_valid_names() -> None:
    result = scopes("github", "contnets:read")
    assert result.exit_code == 2
    assert "unknown scope 'contnets:read' on github" in result.output
    assert "contents:read" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_platform_or_kind_exits_2_naming_the_valid_ones() -> None:
    platform = scopes("gitlb")
    assert platform.exit_code == 2 and "gitlab" in platform.output
    kind = scopes("gitlab", "--kind", "group_token")
    assert kind.exit_code == 2 and "group_access_token" in kind.output


def test_labels_are_printed_as_text_never_as_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from scm_access.platforms.bitbucket.scopes import CATALOG

    entry = dataclasses.replace(CATALOG.scopes["read:user:bitbucket"], label="[red]User data[/red]: Read")
    monkeypatch.setitem(CATALOG.scopes, "read:user:bitbucket", entry)
    result = scopes("bitbucket")
    assert result.exit_code == 0, result.output
    assert "[red]User data[/red]: Read" in result.stdout
