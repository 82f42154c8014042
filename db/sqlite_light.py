"""Import sqlite-utils without pandas.

sqlite-utils imports pandas (and numpy) when they are installed, only to map their value types to
column types when it creates a table from Python values; this program creates its tables from its
schema and never inserts pandas or numpy values. Their import was most of `kompass load`'s start-up
(about 0.3 s of a no-op run's 0.7 s). Importing this module first makes sqlite-utils find neither, unless
one of them is already imported (then sqlite-utils is left to take it, as it would).
"""
from __future__ import annotations

import sys

_LEFT_OUT = ("pandas", "numpy")


def install() -> None:
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in _LEFT_OUT if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # an import of it raises ImportError, which sqlite-utils expects
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]  # later imports of pandas/numpy work as usual


install()
