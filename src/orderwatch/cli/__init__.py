"""The `orderwatch` command: one Typer app; each module under cli/ registers its commands.

Every module in STREAM_MODULES defines ``register(app)``; the root adds them in order.
"""

from __future__ import annotations

import importlib
import sys

import typer

from orderwatch.cli.common import fail, is_debug
from orderwatch.errors import OrderwatchError

app = typer.Typer(
    name="orderwatch",
    help="An evidence-based observatory of the security order in Asia.\n\n"
    "Example: orderwatch build && orderwatch overview",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module registers its commands; order fixes the order in --help.
COMMAND_MODULES = [
    "orderwatch.cli.core",
    "orderwatch.cli.votes",
    "orderwatch.cli.text",
    "orderwatch.cli.institutions",
    "orderwatch.cli.synthesis",
    "orderwatch.cli.validate",
    "orderwatch.cli.web",
]

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a stream not built yet: skip only that module
        if exc.name != _name:
            raise
        continue
    _module.register(app)


def main() -> None:
    """Entry point: run the app, turning domain errors into one-line messages (exit 1)."""
    try:
        app(standalone_mode=True)
    except OrderwatchError as exc:
        if is_debug():
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
