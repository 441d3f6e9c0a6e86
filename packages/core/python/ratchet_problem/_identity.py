"""The default identity of a Python problem: a hash of what decides the code that runs.

Two sessions with equal identities are A/A to Ratchet: the comparison can only be `unchanged`, and a
slower figure is put down to the machine. So the identity must change whenever the code may have:

    the script (the __main__ file), whole
    the file of the module that defines the problem class, wherever it lies
    every module of the user's own code loaded when the session opens (imported at the top of the
        script, or by then): any module with a file that is not installed code, that is not under
        the standard library, a site-packages or dist-packages directory, or this package (so a
        module next to the script, elsewhere in the repository, on PYTHONPATH, or installed in
        editable mode from the repository all count)
    the versions of the third-party packages the script imported (torch, triton, ...: those loaded
        when serve() starts) and Python's; not this package's: it is the harness, which times the
        code but is not it (as the native harness is no part of a native kernel's identity), so
        its copy bundled with Ratchet and an installed one give the same identity
    the variant
    what the problem's optional compiled_code() returns (a Triton kernel's cubin, say)

Modules are keyed by name, not path: a base checkout elsewhere on disk has the same identity as long
as the files say the same. Files are hashed once per process (what was imported is what runs).
"""
from __future__ import annotations

import hashlib
import os
import site
import sys
import sysconfig
from types import ModuleType
from typing import Any, Dict, List, Optional, Tuple

_PACKAGE = __name__.split(".")[0]
_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
_file_digests: Dict[str, str] = {}
_real_files: Dict[str, Optional[str]] = {}
_third_party_versions: Optional[List[str]] = None


def _real(path: str) -> str:
    return os.path.realpath(os.path.abspath(path))


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _file_digest(path: str) -> str:
    if path not in _file_digests:
        with open(path, "rb") as handle:
            _file_digests[path] = hashlib.sha256(handle.read()).hexdigest()
    return _file_digests[path]


def _module_file(module: Optional[ModuleType]) -> Optional[str]:
    """The real path of a module's file, None when it has none; cached (torch alone loads thousands)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str):
        return None
    if path not in _real_files:
        _real_files[path] = _real(path) if os.path.isfile(path) else None
    return _real_files[path]


def _installed_roots() -> List[str]:
    """Where installed code lives: the standard library, every site directory, this package."""
    paths = sysconfig.get_paths()
    roots = [paths.get(key) for key in ("stdlib", "platstdlib", "purelib", "platlib")]
    try:
        roots += site.getsitepackages() + [site.getusersitepackages()]
    except AttributeError:  # an old virtualenv's site module
        pass
    return [_real(root) for root in roots if root] + [_PACKAGE_DIR]


def _installed(path: str, roots: List[str]) -> bool:
    parts = path.split(os.sep)
    return "site-packages" in parts or "dist-packages" in parts or any(_under(path, root) for root in roots)


def _user_modules(script: str) -> List[Tuple[str, str]]:
    """(name, file digest) of every loaded module that is not installed code, the script aside."""
    installed = _installed_roots()
    found = []
    for name, module in list(sys.modules.items()):
        path = _module_file(module)
        if name != "__main__" and path is not None and path != script and not _installed(path, installed):
            found.append((name, _file_digest(path)))
    return sorted(found)


def _top_level_version(name: str, module: ModuleType, distributions: Any) -> str:
    from importlib import metadata

    for dist in distributions.get(name, []):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    version = getattr(module, "__version__", None)
    return str(version) if version is not None else "unknown"


def note_imports() -> None:
    """Takes the third-party packages the script imported, before any request: every session of a
    process, and of a fresh one, then agrees (a package a kernel loads lazily does not count)."""
    _third_party()


def _third_party() -> List[str]:
    """name==version of each top-level third-party package loaded, taken once."""
    global _third_party_versions
    if _third_party_versions is None:
        from importlib import metadata

        try:
            distributions = metadata.packages_distributions()
        except AttributeError:  # Python before 3.10: the packages' own __version__
            distributions = {}
        parts = os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep
        versions = []
        for name, module in list(sys.modules.items()):
            path = _module_file(module)
            if "." in name or name == _PACKAGE or path is None or not any(part in path for part in parts):
                continue
            versions.append(f"{name}=={_top_level_version(name, module, distributions)}")
        _third_party_versions = sorted(versions)
    return _third_party_versions


def _compiled_digest(value: Any) -> bytes:
    """compiled_code()'s answer as bytes: bytes or str, or a list, tuple or dict of them (nested)."""
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (list, tuple)):
        return b"".join(hashlib.sha256(_compiled_digest(item)).digest() for item in value)
    if isinstance(value, dict):
        return b"".join(hashlib.sha256(str(key).encode() + b"\0" + _compiled_digest(value[key])).digest() for key in sorted(value, key=str))
    raise TypeError(f"compiled_code() must return bytes or str, or a list, tuple or dict of them; it returned {type(value).__name__}")


def default_identity(cls: type, instance: Any, variant: str) -> Optional[str]:
    """The identity of a session of problem `cls` (see the module's docstring); None when the script
    cannot be read (python -c, an interactive session): unknown, so never A/A."""
    hook = getattr(instance, "compiled_code", None)
    # First: compiling may import more of the user's modules, which then count here too.
    compiled = _compiled_digest(hook()) if callable(hook) else b""
    script = _module_file(sys.modules.get("__main__"))
    defining = _module_file(sys.modules.get(cls.__module__))
    if script is None or defining is None:
        return None
    digest = hashlib.sha256()
    lines = [f"variant {variant}", f"python {sys.version.split()[0]}", f"script {_file_digest(script)}",
             f"problem {cls.__module__}.{cls.__qualname__} {_file_digest(defining)}"]
    lines += [f"module {name} {file_digest}" for name, file_digest in _user_modules(script)]
    lines += [f"package {version}" for version in _third_party()]
    lines.append(f"compiled {hashlib.sha256(compiled).hexdigest()}")
    digest.update("\n".join(lines).encode())
    return "py:" + digest.hexdigest()
