"""The one progress rule: the learner's checklist and every percentage agree, and the course's completion
rule decides. Expected numbers are worked out by hand from the 'prova-pa' fixture: a 21 s film watched
to 80 %, three chapters, two questions with a pass share of 0.6 (so both must be right), a reflection of
at least 20 words and one evaluation statement."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from resurskurs.catalog.load import Module, load_catalog
from resurskurs.core.answers import Answers, FilmProgress, PracticeAnswer, QuizAnswer, SurveyAnswer
from resurskurs.core.progress import Stage, Status, missing, progress, stage, steps
from resurskurs.core.review import Review
from resurskurs.testing.content import player_content

TWENTY_WORDS = " ".join(["ord"] * 20)
RIGHT = QuizAnswer(selected=[0], attempts=1, correct=True)
WRONG = QuizAnswer(selected=[1], attempts=1, correct=False)


@pytest.fixture
def module(tmp_path: Path) -> Module:
    return load_catalog(player_content(tmp_path)).module("prova-pa")


def everything(quiz: dict[str, QuizAnswer] | None = None) -> Answers:
    return Answers(
        film=FilmProgress(watched=[[0.0, 21.0]]),
        quiz=quiz if quiz is not None else {"fraga-bas": RIGHT, "fraga-lek": RIGHT},
        reflection=TWENTY_WORDS,
        practice=PracticeAnswer(done=True),
        survey=SurveyAnswer(likert={"e1": 4}),
    )


class DescribeTheProgressRule:
    def it_is_not_started_with_nothing_saved(self, module: Module) -> None:
        state = progress(module, Answers())
        assert (state.status, state.percent, state.label) == (Status.NOT_STARTED, 0, "Inte påbörjad")

    def it_counts_half_the_film_against_the_courses_watched_share(self, module: Module) -> None:
        half = Answers(film=FilmProgress(watched=[[0.0, 10.5]]))
        assert progress(module, half).percent == 12
        assert progress(module, half).label == "Pågår – 12 %"

    def it_needs_the_pass_share_of_right_answers_not_only_answers(self, module: Module) -> None:
        one_wrong = everything({"fraga-bas": RIGHT, "fraga-lek": WRONG})
        assert progress(module, one_wrong).percent == 90
        assert [step.done for step in steps(module, one_wrong)] == [True, False, True, True, True]
        assert steps(module, one_wrong)[1].label == "Kunskapsfrågor: 1 av 2 rätt (minst 2 behövs)"

    def it_reaches_100_exactly_when_every_checklist_step_is_done(self, module: Module) -> None:
        assert progress(module, everything()).percent == 100
        assert all(step.done for step in steps(module, everything()))
        short = everything().model_copy(update={"reflection": " ".join(["ord"] * 19)})
        assert progress(module, short).percent == 80
        assert not steps(module, short)[2].done

    def it_never_rounds_up_to_100_while_a_step_is_left(self, module: Module) -> None:
        almost = everything().model_copy(update={"film": FilmProgress(watched=[[0.0, 16.7]])})
        assert steps(module, almost)[0].share == pytest.approx(16.7 / 21 / 0.8)
        assert progress(module, almost).percent == 99

    def it_names_every_step_as_the_learners_checklist_shows_it(self, module: Module) -> None:
        assert [step.label for step in steps(module, Answers())] == [
            "Filmen: du har läst 0 av 3 kapitel",
            "Kunskapsfrågor: 0 av 2 rätt (minst 2 behövs)",
            "Reflektionsuppgiften: 0 av minst 20 ord",
            "Pröva i praktiken",
            "Utvärderingen: 0 av 1 påståenden",
        ]

    def it_takes_the_gradebooks_word_for_handed_in_but_never_calls_an_incomplete_module_done(
        self, module: Module
    ) -> None:
        handed_in = Review(datetime(2026, 11, 2, 9, 0), 1.0, 2.0, reviewed=False, comment="")
        incomplete = progress(module, Answers(), handed_in)
        assert (incomplete.status, incomplete.percent, incomplete.stage) == (Status.SUBMITTED, 0, Stage.INCOMPLETE)
        assert incomplete.label == "Inlämnad, inte klar – 0 %"
        assert progress(module, everything(), handed_in).label == "Klar, inlämnad"
        reviewed = Review(datetime(2026, 11, 2, 9, 0), 2.0, 2.0, reviewed=True, comment="Fint.")
        assert progress(module, everything(), reviewed).label == "Klar, granskad"
        assert progress(module, everything(), reviewed).stage is Stage.COMPLETE

    def it_names_what_is_missing_in_the_checklists_words(self, module: Module) -> None:
        left = everything().model_copy(update={"practice": PracticeAnswer(), "survey": SurveyAnswer()})
        labels = [step.label for step in missing(module, left)]
        assert labels == ["Pröva i praktiken", "Utvärderingen: 0 av 1 påståenden"]
        assert missing(module, everything()) == []


class DescribeStages:
    @pytest.mark.parametrize(
        ("status", "percent", "expected"),
        [
            (Status.NOT_STARTED, 0, Stage.NOT_STARTED),
            (Status.IN_PROGRESS, 100, Stage.IN_PROGRESS),
            (Status.SUBMITTED, 99, Stage.INCOMPLETE),
            (Status.REVIEWED, 40, Stage.INCOMPLETE),
            (Status.SUBMITTED, 100, Stage.COMPLETE),
            (Status.REVIEWED, 100, Stage.COMPLETE),
        ],
    )
    def it_counts_only_a_handed_in_module_with_every_step_as_complete(
        self, status: Status, percent: int, expected: Stage
    ) -> None:
        assert stage(status, percent) is expected
