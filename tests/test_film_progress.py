"""Reading a chapter as text where the film cannot play counts as read, never as watched."""

from __future__ import annotations

import shutil
from pathlib import Path

from resurskurs.catalog.load import Module, load_catalog
from resurskurs.core.answers import Answers, FilmProgress
from resurskurs.core.progress import Step, film_step, steps, watched_share
from tests.conftest import REPO


def takk_without_film(tmp_path: Path) -> Module:
    shutil.copytree(REPO / "courses", tmp_path / "courses")
    shutil.copytree(REPO / "films", tmp_path / "films", ignore=shutil.ignore_patterns("media"), dirs_exist_ok=True)
    return load_catalog(tmp_path).module("takk")


def film_line(module: Module, film: FilmProgress) -> tuple[bool, str]:
    step: Step = steps(module, Answers(film=film))[0]
    return step.done, step.label


class DescribeTheFilmStep:
    def it_says_how_many_chapters_were_read_and_not_that_the_film_was_seen(self, tmp_path: Path) -> None:
        module = takk_without_film(tmp_path)
        ids = [chapter.id for chapter in module.film.manifest.chapters]
        three = FilmProgress(chapters_read=ids[:3])
        assert watched_share(module, three) == 0.0
        assert film_line(module, three) == (False, "Filmen: du har läst 3 av 5 kapitel")
        assert film_line(module, FilmProgress()) == (False, "Filmen: du har läst 0 av 5 kapitel")

    def it_counts_every_chapter_read_as_the_film_step_done(self, tmp_path: Path) -> None:
        module = takk_without_film(tmp_path)
        every = FilmProgress(chapters_read=[chapter.id for chapter in module.film.manifest.chapters])
        assert film_step(module, every) == 1.0
        assert film_line(module, every) == (True, "Filmen: du har läst 5 av 5 kapitel")

    def it_says_how_much_was_seen_when_the_film_plays(self, tmp_path: Path) -> None:
        (tmp_path / "films" / "media").mkdir(parents=True)
        (tmp_path / "films" / "media" / "takk.mp4").write_bytes(b"")
        module = takk_without_film(tmp_path)
        seen = FilmProgress(watched=[[0.0, module.film.manifest.duration / 2]])
        assert film_line(module, seen) == (False, "Filmen: du har sett 50 %")
