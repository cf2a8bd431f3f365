"""How much of a module the first response may carry, decided without knowing who asks (server/preview.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from resurskurs.district.releases import RELEASES_FILE
from resurskurs.server.preview import REFRESH_SECONDS, Extent, Previews, extent, stored_file
from tests.conftest import Edit

SIGNED_IN = {"RESURSKURS_USER": "anna.berg"}


class DescribeHowMuchOfAModuleIsShown:
    def it_shows_the_whole_text_on_one_machine_without_ledningen_forst(self, tmp_path: Path) -> None:
        assert extent("prova-pa", {"kurs": []}, SIGNED_IN, None, tmp_path) is Extent.TEXT

    def it_shows_only_the_title_once_modules_are_released_unit_by_unit(self, tmp_path: Path) -> None:
        (tmp_path / RELEASES_FILE).write_text('{"releases": []}')
        assert extent("prova-pa", {"kurs": []}, SIGNED_IN, None, tmp_path) is Extent.TITLE

    def it_shows_only_the_title_when_the_release_file_cannot_be_read(self, tmp_path: Path) -> None:
        not_a_folder = tmp_path / "var"
        not_a_folder.write_text("")
        assert extent("prova-pa", {"kurs": []}, SIGNED_IN, None, not_a_folder) is Extent.TITLE

    def it_shows_only_the_title_under_the_hub_whose_releases_live_with_the_service(self, tmp_path: Path) -> None:
        hub = {"JUPYTERHUB_USER": "anna.berg", "RESURSKURS_GRADER_URL": "http://grader", "JUPYTERHUB_API_TOKEN": "t"}
        assert extent("prova-pa", {"kurs": []}, hub, None, tmp_path) is Extent.TITLE

    def it_shows_nothing_to_a_visitor_nobody_signed_in_or_chose(self, tmp_path: Path) -> None:
        assert extent("prova-pa", {"kurs": []}, {}, None, tmp_path) is Extent.NONE
        assert extent("prova-pa", {"kurs": []}, {"RESURSKURS_DEMO": "1"}, None, tmp_path) is Extent.NONE
        assert extent("prova-pa", {"kurs": []}, {"RESURSKURS_DEMO": "1"}, "anna.berg", tmp_path) is Extent.TEXT

    def it_shows_nothing_where_the_page_is_not_the_module(self, tmp_path: Path) -> None:
        for arguments in ({"kurs": [], "vy": []}, {"kurs": [], "byt": []}, {"kurs": [], "utskrift": []}):
            assert extent("prova-pa", arguments, SIGNED_IN, None, tmp_path) is Extent.NONE
        assert extent("", {}, SIGNED_IN, None, tmp_path) is Extent.NONE


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def refreshed(previews: Previews, clock: Clock) -> None:
    """One refresh after REFRESH_SECONDS, waited for: it renders in a thread of its own."""
    clock.now += REFRESH_SECONDS
    previews.refresh()
    deadline = time.monotonic() + 60
    while previews._refreshing.locked() and time.monotonic() < deadline:
        time.sleep(0.05)


class DescribeThePreviews:
    def it_gives_each_modules_title_or_whole_text_and_nothing_for_an_unknown_one(self, tree: Path,
                                                                               tmp_path: Path) -> None:
        previews = Previews(tree, tmp_path / "cache")
        previews.load()
        title, whole = previews.markup("mini", Extent.TITLE), previews.markup("mini", Extent.TEXT)
        assert "Minikurs" in title and "Kunskapsfrågor" not in title
        assert "Minikurs" in whole and "Kunskapsfrågor" in whole
        assert previews.markup("mini", Extent.NONE) == previews.markup("okand", Extent.TEXT) == ""

    def it_picks_up_an_edited_course_at_the_next_refresh(self, tree: Path, tmp_path: Path, edit: Edit) -> None:
        clock = Clock()
        previews = Previews(tree, tmp_path / "cache", clock=clock)
        previews.load()
        edit("courses/mini/course.yaml", "title: Minikurs", "title: Minikurs, andra upplagan")
        previews.refresh()
        assert "andra upplagan" not in previews.markup("mini", Extent.TITLE)
        refreshed(previews, clock)
        assert "Minikurs, andra upplagan" in previews.markup("mini", Extent.TITLE)

    def it_shows_no_text_of_a_module_the_catalog_refuses(self, tree: Path, tmp_path: Path) -> None:
        """The kernel shows the catalog's problem instead of such a module; its old text would be a stale promise."""
        clock = Clock()
        previews = Previews(tree, tmp_path / "cache", clock=clock)
        previews.load()
        (tree / "courses" / "mini" / "course.yaml").write_bytes(b"\xff\xfe not yaml: [")
        refreshed(previews, clock)
        assert previews.markup("mini", Extent.TITLE) == ""

    def it_keeps_the_text_it_has_when_the_renderer_fails(self, tree: Path, tmp_path: Path, edit: Edit,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
        clock = Clock()
        previews = Previews(tree, tmp_path / "cache", clock=clock)
        previews.load()
        shown = previews.markup("mini", Extent.TEXT)
        edit("courses/mini/course.yaml", "title: Minikurs", "title: Minikurs, andra upplagan")
        monkeypatch.setattr(sys, "executable", "/bin/false")
        refreshed(previews, clock)
        assert previews.markup("mini", Extent.TEXT) == shown
        assert "the previous text is kept" in caplog.text


    def it_reads_what_it_rendered_when_started_again_on_the_same_content(self, tree: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
        """Under the hub every start of a user server after the person's first starts no renderer."""
        first = Previews(tree, tmp_path / "cache")
        first.load()
        monkeypatch.setattr(sys, "executable", "/bin/false")
        again = Previews(tree, tmp_path / "cache")
        again.load()
        assert again.markup("mini", Extent.TEXT) == first.markup("mini", Extent.TEXT) != ""
        assert [file.name for file in (tmp_path / "cache").glob("previews-*")] == [f"previews-{first.content.key}.json"]

    def it_renders_again_what_it_kept_when_that_cannot_be_read(self, tree: Path, tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
        first = Previews(tree, tmp_path / "cache")
        first.load()
        kept = stored_file(tmp_path / "cache", first.content.key)
        for broken in (b"{not json", b'{"key": "another", "modules": {}}', b"[]"):
            kept.write_bytes(broken)
            again = Previews(tree, tmp_path / "cache")
            again.load()
            assert again.markup("mini", Extent.TEXT) == first.markup("mini", Extent.TEXT) != ""
            assert kept.read_text(encoding="utf-8").startswith('{"key": "')
        assert caplog.text.count("rendering them again") == 3

    def it_keeps_only_what_it_rendered_of_the_content_it_serves(self, tree: Path, tmp_path: Path, edit: Edit) -> None:
        clock = Clock()
        previews = Previews(tree, tmp_path / "cache", clock=clock)
        previews.load()
        edit("courses/mini/course.yaml", "title: Minikurs", "title: Minikurs, andra upplagan")
        refreshed(previews, clock)
        assert "andra upplagan" in previews.markup("mini", Extent.TITLE)
        kept = [file.name for file in (tmp_path / "cache").glob("previews-*")]
        assert kept == [f"previews-{previews.content.key}.json"]


def _server_loads(packages: set[str]) -> list[str]:
    """Which of `packages` a fresh process loads with what a user server imports (its sign-in included)."""
    code = (
        "import sys, resurskurs.server.voila_app, resurskurs.hub.user_server, resurskurs.hub.auth; "
        f"print(*sorted({{name.split('.')[0] for name in sys.modules}} & set({sorted(packages)!r})))"
    )
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return printed.stdout.split()


class DescribeTheServersImports:
    def it_loads_no_widget_or_kernel_code_in_the_server_process(self) -> None:
        """Each user server under the hub pays for what its process imports: the widgets and IPython (about 7 MB)
        belong in the kernels, which build the pages."""
        assert _server_loads({"ipywidgets", "IPython", "ipykernel", "anywidget", "debugpy"}) == []

    def it_signs_people_in_through_the_hub_without_jupyterhubs_database_code(self) -> None:
        """JupyterHub's own OAuth client imports SQLAlchemy, Alembic and aiohttp (about 38 MiB per user server);
        the app's (hub/auth.py) needs none of them, nor JupyterHub itself."""
        assert _server_loads({"jupyterhub", "sqlalchemy", "alembic", "aiohttp", "mako"}) == []

    def it_holds_neither_the_catalog_nor_pydantic_in_the_server_process(self, tmp_path: Path) -> None:
        """The previews are rendered by a process of their own (server/preview_text.py): the catalog, its code and
        pydantic cost each user server under the hub about 14 MiB."""
        code = (
            "import sys; from pathlib import Path; import resurskurs.server.voila_app, resurskurs.hub.user_server; "
            "from resurskurs.paths import content_root; from resurskurs.server.preview import Extent, Previews; "
            f"previews = Previews(content_root(), Path({str(tmp_path)!r})); previews.load(); "
            "print(len(previews.markup('trygga-relationer', Extent.TEXT)) > 0, "
            "sorted(name for name in sys.modules if name.split('.')[0] == 'pydantic' or name.startswith("
            "('resurskurs.catalog.load', 'resurskurs.schema', 'resurskurs.catalog.cache'))))"
        )
        printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
        assert printed.stdout.strip() == "True []"
