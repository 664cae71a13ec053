"""Endpoint normalisation for the providers."""

from __future__ import annotations

from scm_access.platforms.azure_devops.provision import organization_url as azure_devops_url
from scm_access.platforms.github.provision import api_url as github_api_url
from scm_access.platforms.github.provision import web_root as github_web_root
from scm_access.platforms.gitlab.provision import api_url as gitlab_api_url
from scm_access.provision.settings import same_url, without_suffix


def test_github_defaults_to_the_cloud_api():
    assert github_api_url(None) == "https://api.github.com/"
    assert github_api_url("https://github.com") == "https://api.github.com/"


def test_github_enterprise_server_web_root_is_completed_to_the_api_root():
    assert github_api_url("https://ghe.example.com") == "https://ghe.example.com/api/v3/"
    assert github_api_url("https://ghe.example.com/api/v3") == "https://ghe.example.com/api/v3/"


def test_gitlab_api_root_always_ends_with_a_slash():
    assert gitlab_api_url(None) == "https://gitlab.com/api/v4/"
    assert gitlab_api_url("https://gitlab.example.com/") == "https://gitlab.example.com/api/v4/"
    assert gitlab_api_url("https://gitlab.example.com/api/v4") == "https://gitlab.example.com/api/v4/"


def test_azure_devops_legacy_organization_url_is_rewritten():
    assert azure_devops_url("https://acme.visualstudio.com/") == "https://dev.azure.com/acme"


def test_azure_devops_server_collection_url_is_kept():
    collection = "https://tfs.example.com/tfs/DefaultCollection"
    assert azure_devops_url(collection + "/") == collection


def test_web_root_of_an_api_root():
    assert github_web_root("https://api.github.com/") == "https://github.com"
    assert github_web_root("https://ghe.example.com/api/v3/") == "https://ghe.example.com"
    assert without_suffix("https://gitlab.example.com/api/v4/", "/api/v4") == "https://gitlab.example.com"


def test_urls_compare_without_case_or_trailing_slash():
    assert same_url("https://GitLab.example.com/", "https://gitlab.example.com")
