"""GitLab's credential kinds."""

from scm_access.core.kinds import KindSpec

TOKEN_SELF_CHECKS = (
    "It reports missing or excess scopes, the expiry and whether the token is active; the owner and the kind"
    " too when the token may read the user (`api`, `read_api` or `read_user`)."
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
    KindSpec(
        value="gitlab_project_access_token",
        label="GitLab project access token",
        short_label="project access token",
        personal=False,
        rotates=True,
        lifetime_ceiling_days=365,
        pulumi_resource_types=("gitlab:index/projectAccessToken:ProjectAccessToken",),
        verification=TOKEN_SELF_CHECKS,
    ),
    KindSpec(
        value="gitlab_group_access_token",
        label="GitLab group access token",
        short_label="group access token",
        personal=False,
        rotates=True,
        lifetime_ceiling_days=365,
        pulumi_resource_types=("gitlab:index/groupAccessToken:GroupAccessToken",),
        verification=TOKEN_SELF_CHECKS,
    ),
    KindSpec(
        value="gitlab_service_account_token",
        label="GitLab service account token",
        short_label="service account token",
        personal=False,
        rotates=True,
        lifetime_ceiling_days=365,
        pulumi_resource_types=("gitlab:index/groupServiceAccountAccessToken:GroupServiceAccountAccessToken",),
        verification=TOKEN_SELF_CHECKS,
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
