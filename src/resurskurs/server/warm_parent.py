"""The warm parent: one process that has imported ipykernel and the app and loaded the catalog, and forks kernels.

A launched kernel spends most of its start importing IPython, ipykernel, ipywidgets, pydantic, SQLAlchemy and
the app, and loading the catalog, and then holds all of it in memory of its own. Forked from this process,
a kernel starts with all of that done and shares those pages with every other kernel until it writes to them.

Fork safety is the whole job, so this process keeps to what forking tolerates: one thread, no event loop,
no ZMQ context, no database connection (it only imports; the page's code opens connections in the kernel).
It talks to the server over its stdin and stdout, one JSON line each way per request, and ends when its
stdin closes (the server has gone). Each kernel is forked twice so that it is the server's child, exactly
like a launched kernel (the server is a child subreaper, server/forked_kernels.py): ipykernel's watch on its
parent then stops it when the server stops, and it outlives this process if this process crashes.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import sys
import threading
import time
import traceback
from types import ModuleType
from typing import Any

import setproctitle

from resurskurs.server.page_kernel import never_load

WARM_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "zmq.utils.garbage",
    "faulthandler",
    "runpy",
    "encodings.utf_8_sig",
    "importlib.resources.readers",
    "ipywidgets",
    "anywidget",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "tornado.platform.asyncio",
    "tornado.queues",
    "websockets.asyncio.client",
    "sqlalchemy.dialects.sqlite",
    "sqlite3",
    "resurskurs.server.pages",
    "resurskurs.backend.local",
    "resurskurs.backend.hub",
    "resurskurs.gradebook.progress",
    "resurskurs.gradebook.snapshots",
    "resurskurs.learners.follow_up_figures",
    "resurskurs.privacy.audit",
    "resurskurs.tracking.activity",
    "resurskurs.tracking.people",
    "resurskurs.overview.district_page",
    "resurskurs.overview.follow_up_section",
    "resurskurs.overview.release_section",
    "resurskurs.overview.review_page",
    "resurskurs.overview.routines_form",
    "resurskurs.overview.unit_page",
)
"""What every kernel imports anyway: ipykernel as it starts (its debugger's module, which finds no debugpy, and
IPython's completer, inspector, debugger base and storemagic), the request wait's websocket client, the notebook's
one cell (resurskurs.server.pages, which loads the catalog) and what a course page imports as it is built (the
backends, the signed-in person's lookup, progress, the activity sync with its migrations); the overview pages are
imported when one is asked for. A module a kernel imports itself is memory of its own in every open page
(tests/browser/test_player.py checks the app's own modules)."""

REPARENT_SECONDS = 2.0
"""How long a new kernel waits to become the server's child before it runs anyway (it takes a millisecond)."""


def warm() -> None:
    """Import what kernels need (and mark what they must not load) and freeze it, so the children's garbage
    collector never touches (and copies) the shared objects; refuse to serve if any import left a thread running,
    since a fork would not copy it."""
    never_load()
    setproctitle.getproctitle()  # claims the command line's memory now: in a child with a new environment it cannot
    for name in WARM_MODULES:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    if threading.active_count() != 1:
        names = ", ".join(thread.name for thread in threading.enumerate())
        raise RuntimeError(f"a thread is running after the imports ({names}); forking would not be safe")


def refresh_catalog(stamp: str) -> str:
    """Load the catalog again when the content has changed since `stamp`: a module published while the server
    runs reaches the next kernel, as it did when every kernel loaded the catalog itself."""
    from resurskurs.catalog.cache import cached_catalog
    from resurskurs.catalog.key import CACHE_FOLDER, content_stamp
    from resurskurs.paths import content_root, var_root
    from resurskurs.server import pages

    now = content_stamp(content_root())
    if now != stamp:
        pages.CATALOG = cached_catalog(content_root(), var_root() / CACHE_FOLDER)
    return now


def catalog_stamp() -> str:
    from resurskurs.catalog.key import content_stamp
    from resurskurs.paths import content_root

    return content_stamp(content_root())


def fork_kernel(request: dict[str, Any]) -> int:
    """Fork the kernel `request` describes; its pid, once it is the server's child and this one's is reaped."""
    listed = frozenset(sys.modules)
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    middle = os.fork()
    if middle == 0:
        try:
            os.close(read_end)
            kernel = os.fork()
            if kernel == 0:
                os.close(write_end)
                become_kernel(request, listed)
            os.write(write_end, str(kernel).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answer:
        pid = answer.read()
    os.waitpid(middle, 0)
    if not pid:
        raise RuntimeError("the kernel could not be forked")
    return int(pid)


def become_kernel(request: dict[str, Any], listed: frozenset[str]) -> None:
    """In the forked child: the environment, folder, stdio, signals and session of a launched kernel, then
    ipykernel's own start. Never returns: whatever happens, this process ends here."""
    code = 1
    try:
        middle = os.getppid()
        deadline = time.monotonic() + REPARENT_SECONDS
        while os.getppid() == middle and time.monotonic() < deadline:
            time.sleep(0.001)
        os.setsid()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(2, 1)
        os.environ.clear()
        os.environ.update(request["env"])
        cwd = request.get("cwd") or os.getcwd()
        os.chdir(cwd)
        sys.path[0] = str(cwd)
        argv = [str(part) for part in request["argv"]]
        setproctitle.setproctitle(" ".join(argv))
        sys.argv = [argv[2], *argv[3:], f"--IPKernelApp.parent_handle={request['env'].get('JPY_PARENT_PID', 0)}"]
        start_kernel(listed)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


class ModulesUnlisted:
    """`sys` as ipykernel's kernel and IPython's shell app see it while a forked kernel starts: the real `sys`,
    but with no modules listed. Each lists every loaded module as it starts, for the debugger's just-my-code
    filter (never loaded here, page_kernel.NEVER_LOADED) and for `%reset -aggressive`, and so writes a reference
    count into every module object and name the kernel shares with the warm parent: 7.6 MB of copied pages for the
    list alone, 2.5 MB less in a kernel serving a page (other work copies some of the same pages anyway)."""

    modules: dict[str, ModuleType] = {}  # noqa: RUF012  # read only, and empty: nothing to share by mistake

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


def start_kernel(listed: frozenset[str]) -> None:
    """ipykernel's own start (`launch_new_instance`) with the modules unlisted while it starts (`listed`, the
    modules loaded when the kernel was forked, stand in for IPython's own list), plus what importing ipywidgets
    does inside a kernel and could not do in the warm parent, which had none: register the widget comm targets.
    Without them a page's front-end cannot ask for every widget's state at once when it connects, and under load
    some widgets are then never found."""
    import ipykernel.ipkernel
    import IPython.core.shellapp
    import ipywidgets
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    listing = (ipykernel.ipkernel, IPython.core.shellapp)
    for module in listing:
        module.sys = ModulesUnlisted()  # type: ignore[attr-defined]  # the stand-in, for as long as the start lasts
    try:
        app.initialize()  # type: ignore[no-untyped-call]  # ipykernel is not annotated
    finally:
        for module in listing:
            module.sys = sys  # type: ignore[attr-defined]
    assert app.shell is not None, "ipykernel made no shell"
    app.shell._sys_modules_keys = listed
    ipywidgets.register_comm_target()
    app.start()  # type: ignore[no-untyped-call]


def answer(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def serve() -> None:
    """Warm up, say so, then fork a kernel per request line until the server closes stdin."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        warm()
        stamp = catalog_stamp()
    except Exception as error:
        traceback.print_exc()
        answer({"error": f"the warm parent could not start: {error}"})
        return
    answer({"ready": os.getpid()})
    for line in sys.stdin:
        try:
            request = json.loads(line)
            stamp = refresh_catalog(stamp)
            answer({"pid": fork_kernel(request)})
        except Exception as error:
            traceback.print_exc()
            answer({"error": str(error)})


if __name__ == "__main__":
    serve()
