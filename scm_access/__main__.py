from scm_access.cli import main

main()
