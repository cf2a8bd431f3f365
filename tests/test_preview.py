"""How much of a module the first response may carry, decided without knowing who asks (server/preview.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from resurskurs.district.releases import RELEASES_FILE
from resurskurs.server.preview import Extent, extent

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


class DescribeTheServersImports:
    def it_loads_no_widget_or_kernel_code_in_the_server_process(self) -> None:
        """Each user server under the hub pays for what its process imports: the widgets and IPython (about 7 MB)
        belong in the kernels, which build the pages."""
        code = (
            "import sys, resurskurs.server.voila_app, resurskurs.hub.user_server; "
            "print(sorted({name.split('.')[0] for name in sys.modules} & {'ipywidgets', 'IPython', 'ipykernel', "
            "'anywidget', 'debugpy'}))"
        )
        printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
        assert printed.stdout.strip() == "[]"
