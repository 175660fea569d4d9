"""The `orderwatch` command: one Typer app; each module under cli/ registers its commands.

Every module in COMMAND_MODULES defines ``register(app)``; the full app adds them in order.
A command named in COMMANDS loads only its own module (``orderwatch countries X`` never
imports the streams); anything else (``--help``, a module not listed there) loads them all.
"""

from __future__ import annotations

import importlib
import sys

import typer

from orderwatch.cli.common import is_debug
from orderwatch.errors import OrderwatchError

# Each module registers its commands; order fixes the order in --help.
COMMAND_MODULES = [
    "orderwatch.cli.core",
    "orderwatch.cli.votes",
    "orderwatch.cli.text",
    "orderwatch.cli.institutions",
    "orderwatch.cli.practice",
    "orderwatch.cli.synthesis",
    "orderwatch.cli.validate",
    "orderwatch.cli.web",
    "orderwatch.cli.update",
    "orderwatch.cli.corpus",
    "orderwatch.cli.doctor",
]

# Top-level command (or group) -> the module that registers it: the fast path of main().
COMMANDS = {
    **dict.fromkeys(("run", "build", "overview", "sources", "countries", "ingest"), "orderwatch.cli.core"),
    "votes": "orderwatch.cli.votes",
    **dict.fromkeys(("score", "text"), "orderwatch.cli.text"),
    "institutions": "orderwatch.cli.institutions",
    "practice": "orderwatch.cli.practice",
    "validate": "orderwatch.cli.validate",
    **dict.fromkeys(("positions", "country", "scenario", "gap", "drivers", "claims"), "orderwatch.cli.synthesis"),
    **dict.fromkeys(("serve", "report"), "orderwatch.cli.web"),
    "update": "orderwatch.cli.update",
    "corpus": "orderwatch.cli.corpus",
    "doctor": "orderwatch.cli.doctor",
}


def _root() -> typer.Typer:
    root = typer.Typer(
        name="orderwatch",
        help="An evidence-based observatory of the security order in Asia.\n\n"
        "Example: orderwatch build && orderwatch overview",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @root.callback()
    def _group() -> None:  # keeps the app a group even when one module is registered
        pass

    return root


def build_app(modules: list[str] | None = None) -> typer.Typer:
    """An app with the commands of ``modules`` (default: all of COMMAND_MODULES)."""
    root = _root()
    for name in COMMAND_MODULES if modules is None else modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a stream not built yet: skip only that module
            if exc.name != name:
                raise
            continue
        module.register(root)
    return root


def __getattr__(name: str):
    """``orderwatch.cli.app``: the full app, built on first use (tests, docs, completion)."""
    if name == "app":
        globals()["app"] = full = build_app()
        return full
    raise AttributeError(name)


def main() -> None:
    """Entry point: run the app, turning domain errors into one-line messages (exit 1)."""
    first = sys.argv[1] if len(sys.argv) > 1 else None
    module = COMMANDS.get(first or "")
    runner = build_app([module]) if module in COMMAND_MODULES else build_app()
    try:
        runner(standalone_mode=True)
    except OrderwatchError as exc:
        if is_debug():
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
