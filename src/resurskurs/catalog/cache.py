"""A validated catalog kept by the content it came from, so a kernel unpickles it instead of reading YAML.

Every learner's kernel needs the catalog before its page can be built. The key (catalog/key.py) changes with
an edited course, a new release or a code change, so a file written by another version is never read. The
cache folder belongs to the server (var/cache, written with mode 0600 and renamed into place); a folder that
cannot be written only means a fresh load each time.
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

from resurskurs.catalog.key import catalog_key
from resurskurs.catalog.load import Catalog, load_catalog
from resurskurs.files import remove_others, write_atomically

PREFIX = "catalog-"

log = logging.getLogger("resurskurs.catalog")


def cached_catalog(root: Path, folder: Path, key: str | None = None) -> Catalog:
    """The catalog of `root`: from `folder` when its content and code are unchanged, else loaded and stored.
    `key` is `catalog_key(root)` when the caller has just computed it (reading every content file once is enough)."""
    file = folder / f"{PREFIX}{key or catalog_key(root)}.pickle"
    try:
        catalog = pickle.loads(file.read_bytes())
    except FileNotFoundError:
        catalog = None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        log.warning("the cached catalog %s is unreadable; loading the content again", file)
        catalog = None
    if isinstance(catalog, Catalog) and catalog.root == root:
        return catalog
    catalog = load_catalog(root)
    _store(catalog, folder, file)
    return catalog


def _store(catalog: Catalog, folder: Path, file: Path) -> None:
    """Write atomically and drop the catalogs of older content; a read-only folder is not an error."""
    try:
        write_atomically(file, pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
        remove_others(folder, f"{PREFIX}*.pickle", [file])
    except OSError as error:
        log.info("the catalog is not cached in %s: %s", folder, error.strerror)
