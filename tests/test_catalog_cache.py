"""Kernels take the validated catalog from a cache keyed by the content: the same catalog, never a stale one."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from resurskurs.catalog import cache, key
from resurskurs.catalog.cache import cached_catalog
from resurskurs.catalog.key import catalog_key
from resurskurs.catalog.load import Catalog, load_catalog
from tests.conftest import Edit


def refuse_loading(root: Path) -> Catalog:
    raise AssertionError("the catalog should have come from the cache")


class DescribeTheCatalogCache:
    def it_gives_the_catalog_a_fresh_load_gives_and_reads_it_back(self, tree: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
        folder = tmp_path / "cache"
        first = cached_catalog(tree, folder)
        assert first == load_catalog(tree)
        assert first.modules and first.problems == []
        monkeypatch.setattr(cache, "load_catalog", refuse_loading)
        assert cached_catalog(tree, folder) == first

    @pytest.mark.parametrize("relative, old, new", [
        ("courses/mini/course.yaml", "title: Minikurs", "title: Minikurs, andra upplagan"),
        ("films/mini.yaml", "title: Minifilm", "title: Minifilm, ny version"),
        ("films/mini.sv.vtt", "i andra kapitlet", "i det andra kapitlet"),
    ])
    def it_loads_again_when_a_content_file_changes(self, tree: Path, tmp_path: Path, edit: Edit,
                                                   relative: str, old: str, new: str) -> None:
        folder = tmp_path / "cache"
        before = cached_catalog(tree, folder)
        key = catalog_key(tree)
        edit(relative, old, new)
        assert catalog_key(tree) != key
        after = cached_catalog(tree, folder)
        assert after == load_catalog(tree)
        assert after != before
        assert [file.name for file in folder.glob("catalog-*.pickle")] == [f"catalog-{catalog_key(tree)}.pickle"]

    def it_keys_on_the_code_too_so_another_version_never_reads_it(self, tree: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
        before = catalog_key(tree)
        installed = key.version
        monkeypatch.setattr(key, "version", lambda name: "0.0.0" if name == "pydantic" else installed(name))
        assert catalog_key(tree) != before

    def it_loads_again_over_a_damaged_cache_file(self, tree: Path, tmp_path: Path) -> None:
        folder = tmp_path / "cache"
        folder.mkdir()
        (folder / f"catalog-{catalog_key(tree)}.pickle").write_bytes(b"not a pickle")
        assert cached_catalog(tree, folder) == load_catalog(tree)
        stored = pickle.loads((folder / f"catalog-{catalog_key(tree)}.pickle").read_bytes())
        assert stored == load_catalog(tree)

    def it_still_loads_when_the_cache_cannot_be_written(self, tree: Path, tmp_path: Path) -> None:
        blocked = tmp_path / "a-file"
        blocked.write_text("", encoding="utf-8")
        assert cached_catalog(tree, blocked / "cache") == load_catalog(tree)
