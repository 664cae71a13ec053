"""GitHub's credential kinds."""

from scm_access.core.kinds import KindSpec

KINDS = (
    KindSpec(
        value="github_classic_pat",
        label="GitHub personal access token (classic)",
        short_label="classic PAT",
        personal=True,
        lifetime_ceiling_days=None,  # GitHub accepts a classic token that never expires
        token_prefixes=("ghp_",),
    ),
    KindSpec(
        value="github_fine_grained_pat",
        label="GitHub fine-grained personal access token",
        short_label="fine-grained PAT",
        personal=True,
        lifetime_ceiling_days=366,
        token_prefixes=("github_pat_",),
    ),
    KindSpec(
        value="github_deploy_key",
        label="GitHub deploy key",
        short_label="deploy key",
        personal=False,
        form="ssh_key",
        expires=False,  # a key has no expiry: the stack replaces it with a new one every lifetime
        api_access=False,
        pulumi_resource_types=("github:index/repositoryDeployKey:RepositoryDeployKey",),
    ),
    KindSpec(
        value="github_app_installation_token",
        label="GitHub App installation token",
        short_label="app installation token",
        personal=False,
        token_prefixes=("ghs_",),
    ),
)
