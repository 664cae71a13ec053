"""The variable a personal token is read from: one per (connection, platform, holder), a valid environment
variable name whatever the declared names hold, and never shared without the declaration being refused."""

from __future__ import annotations

from scm_access.declarations.token_variable import token_env_var


def test_letters_and_digits_are_kept_in_upper_case():
    assert token_env_var("ci2", "github", "ana7") == "SCM_ACCESS_TOKEN__CI2__GITHUB__ANA7"


def test_each_run_of_other_characters_becomes_one_underscore():
    assert token_env_var("my--app", "azure_devops", "ana.b-c") == "SCM_ACCESS_TOKEN__MY_APP__AZURE_DEVOPS__ANA_B_C"


def test_the_dashes_of_a_slug_become_underscores_wherever_they_are():
    assert token_env_var("team-app", "github", "ana-b-2") == "SCM_ACCESS_TOKEN__TEAM_APP__GITHUB__ANA_B_2"
    assert token_env_var("app-", "github", "-ana") == "SCM_ACCESS_TOKEN__APP___GITHUB___ANA"


def test_letters_outside_ascii_become_underscores():
    assert token_env_var("café", "github", "zoë") == "SCM_ACCESS_TOKEN__CAF___GITHUB__ZO_"


def test_a_name_never_holds_the_separator():
    """`__` separates the parts: a run mixing underscores and other characters is one underscore too."""
    assert token_env_var("a_-b", "github", "c-_-d") == "SCM_ACCESS_TOKEN__A_B__GITHUB__C_D"


def test_holders_converted_together_are_converted_as_one_by_one():
    from scm_access.declarations.token_variable import env_part, env_parts

    for names in (["ana", "bruna-lima", "c3"], ["ana", "my--app"], ["ana", "zoë"], ["a b"], ["ana", ""], [], ["-ana", "b-"]):
        assert env_parts(names) == [env_part(name) for name in names]
