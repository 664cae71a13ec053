"""GitLab's credential kinds."""

from functools import partial

from scm_access.core.kinds import KindSpec

TOKEN_SELF_CHECKS = (
    "It reports missing or excess scopes, the expiry and whether the token is active; the owner and the kind"
    " too when the token may read the user (`api`, `read_api` or `read_user`)."
)

# Project, group and service-account tokens: minted by the stack, rotated by the provider, a year at most,
# and checked by verify as a personal token is.
_ROTATED_ACCESS_TOKEN = partial(
    KindSpec, personal=False, rotates=True, lifetime_ceiling_days=365, verification=TOKEN_SELF_CHECKS
)

KINDS = (
    KindSpec(
        value="gitlab_pat",
        label="GitLab personal access token",
        short_label="PAT",
        personal=True,
        lifetime_ceiling_days=365,
        # Access tokens share the prefix; only the personal kind is inferred from it.
        token_prefixes=("glpat-",),
        pulumi_resource_types=("gitlab:index/personalAccessToken:PersonalAccessToken",),
        verification=TOKEN_SELF_CHECKS,
    ),
    _ROTATED_ACCESS_TOKEN(
        value="gitlab_project_access_token",
        label="GitLab project access token",
        short_label="project access token",
        pulumi_resource_types=("gitlab:index/projectAccessToken:ProjectAccessToken",),
    ),
    _ROTATED_ACCESS_TOKEN(
        value="gitlab_group_access_token",
        label="GitLab group access token",
        short_label="group access token",
        pulumi_resource_types=("gitlab:index/groupAccessToken:GroupAccessToken",),
    ),
    _ROTATED_ACCESS_TOKEN(
        value="gitlab_service_account_token",
        label="GitLab service account token",
        short_label="service account token",
        pulumi_resource_types=("gitlab:index/groupServiceAccountAccessToken:GroupServiceAccountAccessToken",),
    ),
    KindSpec(
        value="gitlab_deploy_token",
        label="GitLab deploy token",
        short_label="deploy token",
        personal=False,
        lifetime_ceiling_days=None,  # GitLab accepts a deploy token without expiry
        api_access=False,
        token_prefixes=("gldt-",),
        pulumi_resource_types=(
            "gitlab:index/projectDeployToken:ProjectDeployToken",
            "gitlab:index/groupDeployToken:GroupDeployToken",
            "gitlab:index/deployToken:DeployToken",
        ),
    ),
)
