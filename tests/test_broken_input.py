"""Broken course files are answered with file, line, column, field path and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Edit, problems_in

C = "courses/mini/course.yaml"
F = "films/mini.yaml"
V = "films/mini.sv.vtt"
T = "films/mini.sv.md"
FILM_BROKEN = "courses/mini/course.yaml:7:1: film: the film 'mini' has problems of its own (see films/mini.yaml)"
CHAPTER_TWO = (
    "  - film_chapter: andra\n    summary: Det andra.\n    key_points: [Punkt två]\n    stops:\n    - id: stopp-2\n"
)
CHAPTER_ONE = (
    "  - film_chapter: forsta\n    summary: Det första.\n    key_points: [Punkt ett]\n    stops:\n    - id: stopp-1\n"
)

CASES: dict[str, tuple[str, str | None, str, list[str]]] = {
    "a YAML syntax error names the line and where the broken construct began": (
        C, "title: Minikurs", "title: [Minikurs",
        ["courses/mini/course.yaml:3:8: YAML syntax error: expected ',' or ']', but got ':' "
         "(while parsing a flow sequence that starts at line 2, column 8)"],
    ),
    "a tab used for indentation is a syntax error on its line": (
        C, "  minutes: 30\n  allow", "\tminutes: 30\n  allow",
        ["courses/mini/course.yaml:12:1: YAML syntax error: found character '\\t' that cannot start any token"],
    ),
    "an unknown key suggests the closest valid one": (
        C, "\nsummary:", "\nsumary:",
        ["courses/mini/course.yaml:1:1: summary: required field is missing",
         "courses/mini/course.yaml:3:1: sumary: unknown key 'sumary'; did you mean 'summary'?"],
    ),
    "an unknown key deep in a list item points at that key": (
        C, "      prompt: Vad tänker du?", "      promt: Vad tänker du?",
        ["courses/mini/course.yaml:20:7: preparation.chapters[0].stops[0].promt: unknown key 'promt'; "
         "did you mean 'prompt'?"],
    ),
    "a duplicated key is an error instead of silently overwriting": (
        C, "audience: [förskollärare]", "audience: [förskollärare]\ntitle: Igen",
        ["courses/mini/course.yaml:5:1: title: duplicate key 'title' (first given on line 2)"],
    ),
    "a missing field points at the mapping that lacks it": (
        C, "    summary: Det andra.\n", "",
        ["courses/mini/course.yaml:21:5: preparation.chapters[1].summary: required field is missing"],
    ),
    "a text where a list is expected says so": (
        C, "audience: [förskollärare]", "audience: förskollärare",
        ["courses/mini/course.yaml:4:1: audience: Input should be a valid list (got 'förskollärare')"],
    ),
    "a malformed time says what a time looks like": (
        C, "      at: 0:40", "      at: 0:4x",
        ["courses/mini/course.yaml:27:7: preparation.chapters[1].stops[0].at: expected a time like 12:34 or "
         "1:02:03, got '0:4x'"],
    ),
    "a single-choice item with two correct options": (
        C, "      - text: Det där\n", "      - text: Det där\n        correct: true\n",
        ["courses/mini/course.yaml:30:7: preparation.knowledge_check.items[0]: a single-choice item needs "
         "exactly one correct option, found 2"],
    ),
    "a multiple-choice item with no correct option": (
        C, "      - text: A\n        correct: true\n        explanation: Ja.\n      - text: B\n        correct: true\n",
        "      - text: A\n        explanation: Ja.\n      - text: B\n",
        ["courses/mini/course.yaml:39:7: preparation.knowledge_check.items[1]: a multiple-choice item needs "
         "at least one correct option, found 0"],
    ),
    "an option without the explanation shown after answering": (
        C, "        explanation: Nej.\n    - id: fraga-2", "    - id: fraga-2",
        ["courses/mini/course.yaml:37:9: preparation.knowledge_check.items[0].options[1].explanation: "
         "required field is missing"],
    ),
    "a stop with both a prompt and a silent pause": (
        C, "      pause_seconds: 20", "      pause_seconds: 20\n      prompt: Och en fråga?",
        ["courses/mini/course.yaml:25:7: preparation.chapters[1].stops[0]: give either a prompt or "
         "pause_seconds (a silent stop), not both or neither"],
    ),
    "a stop placed outside its own chapter": (
        C, "      at: 0:40", "      at: 0:20",
        ["courses/mini/course.yaml:27:7: preparation.chapters[1].stops[0].at: stop at 0:20 lies outside its "
         "chapter 'andra' (0:30–0:58)"],
    ),
    "a course chapter naming a film chapter that does not exist": (
        C, "film_chapter: andra", "film_chapter: andre",
        ["courses/mini/course.yaml:21:5: preparation.chapters[1].film_chapter: the film 'mini' has no chapter "
         "'andre'; did you mean 'andra'?"],
    ),
    "course chapters in another order than the film's": (
        C, CHAPTER_ONE + "      prompt: Vad tänker du?\n" + CHAPTER_TWO + "      pause_seconds: 20\n      at: 0:40\n",
        CHAPTER_TWO + "      pause_seconds: 20\n" + CHAPTER_ONE + "      prompt: Vad tänker du?\n",
        ["courses/mini/course.yaml:14:3: preparation.chapters: chapters should follow the film's order: "
         "forsta, andra"],
    ),
    "a film chapter that the course leaves without summary and stop": (
        C, CHAPTER_TWO + "      pause_seconds: 20\n      at: 0:40\n", "",
        ["courses/mini/course.yaml:14:3: preparation.chapters: film chapters without a course chapter: andra; "
         "expected every chapter to have its summary and stop"],
    ),
    "two stops sharing an id": (
        C, "    - id: stopp-2", "    - id: stopp-1",
        ["courses/mini/course.yaml:25:7: preparation.chapters[1].stops[0].id: duplicate stop id 'stopp-1'; "
         "expected each to be unique"],
    ),
    "a chapter without a reflection stop": (
        C, "    stops:\n    - id: stopp-1\n      prompt: Vad tänker du?\n", "    stops: []\n",
        ["courses/mini/course.yaml:18:5: preparation.chapters[0].stops: List should have at least 1 item after "
         "validation, not 0"],
    ),
    "a slug that differs from its folder, which keeps slugs unique": (
        C, "slug: mini", "slug: maxi",
        ["courses/mini/course.yaml:1:1: slug: slug 'maxi' should equal its folder name 'mini'"],
    ),
    "a slug with capitals and spaces": (
        C, "slug: mini", "slug: Mini Kurs",
        ["courses/mini/course.yaml:1:1: slug: expected lower-case letters a-z, digits and single dashes, like "
         "'lek-och-samspel' (got 'Mini Kurs')"],
    ),
    "a film reference with a typo suggests the manifest that exists": (
        C, "film: mini", "film: minni",
        ["courses/mini/course.yaml:7:1: film: no film manifest films/minni.yaml; did you mean 'mini'?"],
    ),
    "a workshop agenda that does not add up to its minutes": (
        C, "    minutes: 40", "    minutes: 45",
        ["courses/mini/course.yaml:59:1: workshop: the agenda adds up to 65 minutes but the workshop has 60"],
    ),
    "a share written as a percentage": (
        C, "quiz_pass_share: 0.6", "quiz_pass_share: 60",
        ["courses/mini/course.yaml:10:3: completion.quiz_pass_share: Input should be less than or equal to 1 "
         "(got 60)"],
    ),
    "an empty course file": (
        C, None, "",
        ["courses/mini/course.yaml:1:1: the file is empty; expected a YAML mapping"],
    ),
    "a chapter that runs past the film's duration": (
        F, "  end: 0:58", "  end: 1:05",
        [FILM_BROKEN, "films/mini.yaml:16:3: chapters[1].end: chapter ends at 1:05, after the film's duration 1:00"],
    ),
    "overlapping chapters": (
        F, "  start: 0:30\n  end: 0:58", "  start: 0:25\n  end: 0:58",
        [FILM_BROKEN, "films/mini.yaml:15:3: chapters[1].start: chapter starts at 0:25, before 'forsta' ends at "
         "0:30; expected chapters in order without overlap"],
    ),
    "a chapter that ends before it starts": (
        F, "  start: 0:00\n  end: 0:30", "  start: 0:10\n  end: 0:05",
        [FILM_BROKEN, "films/mini.yaml:9:3: chapters[0]: end (0:05) must come after start (0:10)"],
    ),
    "media over plain http, which would leak viewing on the network": (
        F, "source: media/mini.webm", "source: http://video.example/mini.webm",
        [FILM_BROKEN, "films/mini.yaml:6:1: source: expected an https:// address or a path under media/, got "
         "'http://video.example/mini.webm'"],
    ),
    "a media path that escapes films/media/": (
        F, "source: media/mini.webm", "source: ../secret.webm",
        [FILM_BROKEN, "films/mini.yaml:6:1: source: expected a path under media/ (relative to films/), got "
         "'../secret.webm'"],
    ),
    "a film with neither subtitles nor a transcript": (
        F, "subtitles:\n  sv: mini.sv.vtt\ntranscript: mini.sv.md\n", "",
        [FILM_BROKEN, "films/mini.yaml:1:1: subtitles: every film needs subtitles or a transcript; expected at "
         "least one"],
    ),
    "a subtitle file that is not there": (
        F, "  sv: mini.sv.vtt", "  sv: saknas.sv.vtt",
        [FILM_BROKEN, "films/mini.yaml:18:3: subtitles.sv: file 'saknas.sv.vtt' not found beside the manifest"],
    ),
    "subtitles that run past the film": (
        V, "00:00:31.000 --> 00:00:34.000", "00:00:31.000 --> 00:01:04.000",
        [FILM_BROKEN, "films/mini.yaml:18:3: subtitles.sv: subtitles run to 1:04, past the film's duration 1:00"],
    ),
    "a cue with a malformed timing line, which webvtt-py would drop silently": (
        V, "00:00:31.000 --> 00:00:34.000", "00:00:31.000 -> 00:00:34.000",
        [FILM_BROKEN, "films/mini.sv.vtt:6:1: expected a cue timing line like '00:01:02.000 --> 00:01:05.000'"],
    ),
    "a subtitle file without the WEBVTT header": (
        V, "WEBVTT\n", "SUBTITLES\n",
        [FILM_BROKEN, "films/mini.sv.vtt:1:1: not a WebVTT file: Invalid format; expected 'WEBVTT' on the first line"],
    ),
    "a transcript whose headings drift from the chapter titles": (
        T, "## Andra kapitlet", "## Kapitel två",
        [FILM_BROKEN, "films/mini.yaml:19:1: transcript: the transcript's headings ['Första kapitlet', "
         "'Kapitel två'] should be the chapter titles ['Första kapitlet', 'Andra kapitlet'], in order"],
    ),
}


class DescribeBrokenInput:
    def it_accepts_the_unbroken_fixture(self, tree: Path) -> None:
        assert problems_in(tree) == []

    @pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
    def it_reports_exactly_where_and_what(self, case: str, tree: Path, edit: Edit) -> None:
        relative, old, new, expected = CASES[case]
        edit(relative, old, new)
        assert problems_in(tree) == expected

    def it_lists_every_problem_not_just_the_first(self, tree: Path, edit: Edit) -> None:
        edit(C, "\nsummary:", "\nsumary:")
        edit(F, "  end: 0:58", "  end: 1:05")
        edit(V, "00:00:31.000 --> 00:00:34.000", "00:00:31.000 -> 00:00:34.000")
        found = problems_in(tree)
        assert len(found) == 4  # the misspelt key is both unknown and leaves summary missing
        assert {line.split(":")[0] for line in found} == {C, F, V}
