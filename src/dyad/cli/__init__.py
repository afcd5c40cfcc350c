"""The `dyad` command.  Each sub-command lives in its own module in this package and exposes

    NAME = "extract"            # the sub-command
    def register(sub) -> None   # adds its argparse sub-parser; sets `func` to a handler(args) -> int

Modules are discovered automatically, so adding a command is adding a module.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from dyad import __version__


class CommandError(Exception):
    """A user-facing failure: printed to stderr as is, exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dyad",
        description="Turn news articles into PLOVER political event data, stored in DuckDB.",
        epilog="Example: dyad extract ../shared/gold/seeds.inputs.jsonl --db dyad.duckdb",
    )
    parser.add_argument("--version", action="version", version=f"dyad {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"dyad: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `dyad events | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
