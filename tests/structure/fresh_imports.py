"""Import each named module as a fresh interpreter would: the project's modules are forgotten
before each one, so a module that only imports after another has run is caught.

Run as `python -m tests.structure.fresh_imports MODULE...`; prints one line per failure.
"""

from __future__ import annotations

import importlib
import sys
import traceback

PROJECT = ("config", "gateway", "menus", "workers", "bench", "wsgi")


def main(names: list[str]) -> int:
    failed = 0
    for name in names:
        for loaded in [m for m in sys.modules if m.split(".")[0] in PROJECT]:
            del sys.modules[loaded]
        try:
            importlib.import_module(name)
        except Exception:
            failed += 1
            print(f"{name}: {traceback.format_exc(limit=-1).strip().splitlines()[-1]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
