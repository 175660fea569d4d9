"""The `orderwatch` command: one Typer app; each module under cli/ registers its commands.

:data:`COMMAND_MODULES` is the explicit list of command modules, each with a function that
imports it and calls its ``register(app)``; the full app adds them in order. A command
named in :data:`COMMANDS` loads only its own module (``orderwatch countries X`` never
imports the streams); anything else (``--help``, an unknown command) loads them all. A
module that fails to import is an error, never silently skipped.
"""

from __future__ import annotations

import sys
from typing import Callable, Iterable

import typer

from orderwatch.cli.common import is_debug
from orderwatch.errors import OrderwatchError


# One function per command module: the import stays lazy (fast start), the names explicit.
def _core(app: typer.Typer) -> None:
    from orderwatch.cli import core
    core.register(app)


def _votes(app: typer.Typer) -> None:
    from orderwatch.cli import votes
    votes.register(app)


def _text(app: typer.Typer) -> None:
    from orderwatch.cli import text
    text.register(app)


def _institutions(app: typer.Typer) -> None:
    from orderwatch.cli import institutions
    institutions.register(app)


def _practice(app: typer.Typer) -> None:
    from orderwatch.cli import practice
    practice.register(app)


def _synthesis(app: typer.Typer) -> None:
    from orderwatch.cli import synthesis
    synthesis.register(app)


def _validate(app: typer.Typer) -> None:
    from orderwatch.cli import validate
    validate.register(app)


def _web(app: typer.Typer) -> None:
    from orderwatch.cli import web
    web.register(app)


def _update(app: typer.Typer) -> None:
    from orderwatch.cli import update
    update.register(app)


def _corpus(app: typer.Typer) -> None:
    from orderwatch.cli import corpus
    corpus.register(app)


def _doctor(app: typer.Typer) -> None:
    from orderwatch.cli import doctor
    doctor.register(app)


#: Command module -> its registrar; the order fixes the order in --help.
COMMAND_MODULES: dict[str, Callable[[typer.Typer], None]] = {
    "orderwatch.cli.core": _core,
    "orderwatch.cli.votes": _votes,
    "orderwatch.cli.text": _text,
    "orderwatch.cli.institutions": _institutions,
    "orderwatch.cli.practice": _practice,
    "orderwatch.cli.synthesis": _synthesis,
    "orderwatch.cli.validate": _validate,
    "orderwatch.cli.web": _web,
    "orderwatch.cli.update": _update,
    "orderwatch.cli.corpus": _corpus,
    "orderwatch.cli.doctor": _doctor,
}

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


def build_app(modules: Iterable[str] | None = None) -> typer.Typer:
    """An app with the commands of ``modules`` (default: every module of COMMAND_MODULES)."""
    root = _root()
    for name in COMMAND_MODULES if modules is None else modules:
        COMMAND_MODULES[name](root)
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
