"""`python -m orderwatch` is the `orderwatch` command."""

from orderwatch.cli import main

main()
