"""Bitbucket's credential kinds."""

from scm_access.core.kinds import KindSpec

KINDS = (
    KindSpec(
        value="bitbucket_api_token",
        label="Bitbucket API token",
        short_label="API token",
        personal=True,
        lifetime_ceiling_days=365,
    ),
    KindSpec(
        value="bitbucket_app_password",
        label="Bitbucket app password",
        short_label="app password",
        personal=True,
        retired="Bitbucket app passwords stopped working on 2026-07-28; create a Bitbucket API token instead",
    ),
)
