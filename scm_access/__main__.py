from scm_access.cli import run

run()
