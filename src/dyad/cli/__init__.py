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

# Exit statuses (docs/cli.md).
EXIT_OK = 0  # everything was read and stored
EXIT_PROBLEMS = 1  # the run completed; some inputs were reported as problems (stderr, `problems`)
EXIT_USAGE = 2  # bad arguments or values, an output that exists, a --db that is not a store
EXIT_STORE = 3  # the store could not be opened or written (locked, damaged, disk full), or a service is down
EXIT_CRASH = 4  # an internal error: a bug in dyad; the traceback is printed


class CommandError(Exception):
    """A user-facing failure: printed to stderr as is, exit status ``status`` (default: usage error)."""

    def __init__(self, message: str, status: int = EXIT_USAGE):
        super().__init__(message)
        self.status = status


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
        return exc.status
    except BrokenPipeError:  # `dyad events | head`
        return 0
    except KeyboardInterrupt:
        print("dyad: interrupted; what was committed is kept (a re-run resumes)", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so, with the traceback, and a status of its own
        import traceback

        from dyad.store import NotAStore, StoreError

        if isinstance(exc, StoreError):
            print(f"dyad: {exc}", file=sys.stderr)
            return EXIT_USAGE if isinstance(exc, NotAStore) else EXIT_STORE

        traceback.print_exc()
        print("dyad: internal error (the traceback above); what was committed is kept. "
              "Please report it with the input that caused it.", file=sys.stderr)
        return EXIT_CRASH


if __name__ == "__main__":
    sys.exit(main())
