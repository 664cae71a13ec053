"""Bitbucket's credential kinds."""

from scm_access.core.kinds import KindSpec

KINDS = (
    KindSpec(
        value="bitbucket_api_token",
        label="Bitbucket API token",
        short_label="API token",
        personal=True,
        lifetime_ceiling_days=365,
        verification="It checks that the token signs in as the declared account and reads its username."
        " Bitbucket shows neither the scopes nor the expiry to the token: at best the result is"
        " `partially_verified`, and those are settled on the Atlassian account's API tokens page.",
    ),
    KindSpec(
        value="bitbucket_app_password",
        label="Bitbucket app password",
        short_label="app password",
        personal=True,
        retired="Bitbucket app passwords stopped working on 2026-07-28; create a Bitbucket API token instead",
    ),
)
