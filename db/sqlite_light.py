"""Import sqlite-utils without pandas.

sqlite-utils imports pandas (and numpy) when they are installed, only to map their value types to
column types when it creates a table from Python values; this program creates its tables from its
schema and never inserts pandas or numpy values. Their import was most of `kompass load`'s start-up
(about 0.3 s of a no-op run's 0.7 s). `install()` puts a finder first on the import path that, when
sqlite-utils is first imported, runs its import with pandas and numpy hidden (unless one of them is
already imported: then sqlite-utils is left to take it, as it would). Installing it imports nothing, so
`kompass --help` still loads no database code.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys

_LEFT_OUT = ("pandas", "numpy")
_PACKAGE = "sqlite_utils"


class _HidingLoader(importlib.abc.Loader):
    """sqlite-utils' own loader, run with pandas and numpy hidden."""

    def __init__(self, inner: importlib.abc.Loader) -> None:
        self.inner = inner

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module) -> None:
        hidden = [name for name in _LEFT_OUT if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # an import of it raises ImportError, which sqlite-utils expects
        try:
            self.inner.exec_module(module)
        finally:
            for name in hidden:
                if sys.modules.get(name, ...) is None:
                    del sys.modules[name]  # later imports of pandas/numpy work as usual


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != _PACKAGE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _HidingLoader(spec.loader)
        return spec


def install() -> None:
    if _PACKAGE in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())


install()
