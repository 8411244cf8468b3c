#!/usr/bin/env python3
"""Print `export NAME=<port>` for each NAME given, each a port free on 127.0.0.1 right now.

The Molecule scenarios' platforms listen on FAITH_MOLECULE_*_PORT; `make molecule` evaluates this
output so they never take a port another process holds.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "local_platform"))

from instance import free_port  # noqa: E402


def main(names: list[str]) -> None:
    ports: set[int] = set()
    for name in names:
        port = free_port()
        while port in ports:
            port = free_port()
        ports.add(port)
        print(f"export {name}={port}")


if __name__ == "__main__":
    main(sys.argv[1:])
