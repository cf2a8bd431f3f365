"""The page's kernel: ipykernel without the debugger a page has no use for.

The app notebook names the kernel spec `resurskurs` (share/kernels/resurskurs, on the server's JUPYTER_PATH), which
starts this module instead of `ipykernel_launcher`. ipykernel loads debugpy whenever it is installed (with pydevd:
about 110 modules and 8.6 MB in every kernel) for a debugger Voilà's front-end never uses; marked missing here, a
launched kernel (each page under the hub, `RESURSKURS_KERNELS=launched`) starts without it, as a forked one does
(the warm parent marks the same modules missing before it forks, server/warm_parent.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

KERNEL_NAME = "resurskurs"
MODULE = "resurskurs.server.page_kernel"
NEVER_LOADED = ("debugpy",)
"""Modules a page's kernel must not load: set missing before ipykernel is imported."""


def never_load() -> None:
    """Mark NEVER_LOADED missing, so ipykernel's `import debugpy` fails as if it were not installed."""
    for name in NEVER_LOADED:
        sys.modules[name] = None  # type: ignore[assignment]  # the import system's "missing" mark


def main() -> None:
    """ipykernel_launcher's start, with NEVER_LOADED missing: the folder the kernel was started in leaves
    `sys.path` while ipykernel loads, as there (the kernel's shell puts it back)."""
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    never_load()
    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


if __name__ == "__main__":
    main()
