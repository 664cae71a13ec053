"""DeepTraQ: scans one repository, with a fine-grained token limited to that repository.

The DeepTraQ guide asks for a fine-grained token, only selected repositories, read access to repository
metadata, and a short expiry (30 days in its example).
"""

from scm_access.declarations import Connection, GitHubAccess, IntegrationField, Person

CONNECTION = Connection(
    name="deeptraq",
    integration="DeepTraQ",
    owner="appsec",
    purpose="DeepTraQ scans the security scanner repository for vulnerabilities.",
    guide="DeepTraQ docs: Generate a fine-grained personal access token",
    access=[
        GitHubAccess(
            scopes=["metadata:read"],
            org="acme",
            repositories=["deeptraq-security-scanner"],
            holder=[Person(name="diego", login="diego-rocha")],
            max_lifetime_days=30,
            delivery=IntegrationField(location="DeepTraQ → Integrations → GitHub", field="Access token"),
        ),
    ],
)
