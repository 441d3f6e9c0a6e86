"""Which copy of this package runs: the installed one when there is one, else the copy imported.

Ratchet puts the copy it ships (in the @ratchet/core npm package) on the child's PYTHONPATH, which
Python searches before site-packages. So that `pip install ratchet-problem` beside the kernels wins,
a copy that is not the installed distribution's own files hands over to that distribution when it
is imported: it loads the installed package under the same name and steps aside. The installed
copy finds itself and stays. One copy runs per process, and hello says which (its version and
path), so a package of another protocol version is named, never half-used.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from types import ModuleType
from typing import Optional

DISTRIBUTION = "ratchet-problem"
PACKAGE = "ratchet_problem"


def installed_init() -> Optional[str]:
    """The real path of the installed distribution's ratchet_problem/__init__.py; None when no
    distribution is installed on sys.path (or it was installed in editable mode, which is this
    source tree, not a copy of it)."""
    from importlib import metadata

    for name in (DISTRIBUTION, PACKAGE):  # older importlib.metadata does not normalise the name
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        path = os.path.realpath(str(distribution.locate_file(f"{PACKAGE}/__init__.py")))
        return path if os.path.isfile(path) else None
    return None


def hand_over(own_init: str) -> Optional[ModuleType]:
    """Loads the installed package in place of the copy at `own_init` and returns it; None when
    that copy is the one to run (it is the installed one, or none is installed)."""
    target = installed_init()
    if target is None or target == os.path.realpath(own_init):
        return None
    spec = importlib.util.spec_from_file_location(PACKAGE, target, submodule_search_locations=[os.path.dirname(target)])
    if spec is None or spec.loader is None:
        return None
    installed = importlib.util.module_from_spec(spec)
    # This copy's submodules (this one) leave, so the installed package imports its own.
    for name in [name for name in sys.modules if name.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    sys.modules[PACKAGE] = installed
    spec.loader.exec_module(installed)
    return installed
