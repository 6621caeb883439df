"""CLI: `python -m devstack up [--only redis,s3] | down [--only …] | status`."""

import argparse
import sys
import time

from devstack.control import NAMES, down, status, up
from devstack.process import StackError
from migratio.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--only", help=f"comma-separated subset of: {','.join(NAMES)}")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()] if args.only else None
    settings = Settings()
    try:
        if args.command == "up":
            started = time.monotonic()
            up(settings, only)
            for line in status(settings, only):
                print(line)
            print(f"stack up in {time.monotonic() - started:.1f}s (data and logs in {settings.stack_dir})")
        elif args.command == "down":
            stopped = down(settings, only)
            print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
        else:
            lines = status(settings, only)
            for line in lines:
                print(line)
            return 0 if all(line.healthy for line in lines) else 3
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
