"""`python -m resurskurs` runs the command line."""

from resurskurs.cli import main

main()
