"""GitHub's verifier tests use the verify runner's local server and fake clock."""

from tests.verify.conftest import fake_time, make_client, serve  # noqa: F401  (fixtures shared with tests/verify)
