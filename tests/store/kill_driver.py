"""Driver for the SIGKILL test: an endless stream of ``giantdesk drafts set`` calls.

Runs the real command (``cli.main(["drafts", "set", …])``) in a loop; before each call it
prints ``attempt <path> <value>``; the command itself prints ``saved`` only after the store
returned, i.e. after the change was committed durably.
Usage: python kill_driver.py DRAFT_ID START
"""

from __future__ import annotations

import sys

from giantdesk import cli

PATHS = ("enterprise.name", "finance.2021.operating_revenue",
         "innovation.national_award[1].award", "contact.name")


def value_for(path: str, n: int) -> str:
    if path.startswith("finance."):
        return f"{n}.25"
    return f"值{n}"


def main() -> None:
    draft_id, n = sys.argv[1], int(sys.argv[2])
    while True:
        n += 1
        path = PATHS[n % len(PATHS)]
        value = value_for(path, n)
        sys.stdout.write(f"attempt {path} {value}\n")
        sys.stdout.flush()
        if cli.main(["drafts", "set", draft_id, path, value]) != 0:
            sys.exit(3)


if __name__ == "__main__":
    main()
