"""Granska against the real nbgrader gradebook: what waits, the learner's words, and a saved review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import ipywidgets as w
import pytest

from resurskurs.backend.local import GradebookReviews
from resurskurs.catalog.load import Catalog
from resurskurs.core.answers import HandIn
from resurskurs.core.review import Review
from resurskurs.demo.district import demo_district
from resurskurs.district.roster import Person, Role
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.overview.review_page import ReviewPage
from resurskurs.player.sections.feedback import review_html
from resurskurs.player.seen import SeenFeedback
from resurskurs.schema.course import RubricCriterion
from resurskurs.testing.hand_ins import SLUG, answers_for
from resurskurs.tracking.course_dir import COURSE_ID, CourseDir
from resurskurs.tracking.grading import reflection_text, save_review, staff_units, waiting_reviews
from resurskurs.tracking.learner_text import as_markdown_text, from_markdown_text
from resurskurs.tracking.roster_import import import_people
from resurskurs.tracking.submit import submit
from resurskurs.ui.html import descendants, live_blocks
from resurskurs.ui.widgets import TextAnswer

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
HOSTILE = '<img src=x onerror=alert(1)> & "citat" \\ *fet* [länk](javascript:alert(2))'


@pytest.fixture
def people(course_dir: CourseDir) -> list[Person]:
    everyone = demo_district(staff=4, units=2, seed=8)
    import_people(everyone, course_dir)
    return everyone


@pytest.fixture
def staff(people: list[Person]) -> list[Person]:
    return [person for person in people if person.role is Role.STAFF]


@pytest.fixture
def reviewer(people: list[Person]) -> Person:
    return next(person for person in people if person.role is Role.RESOURCE_TEAM)


def hand_in(catalog: Catalog, course_dir: CourseDir, person: Person, minutes: int, reflection: str = "") -> None:
    module = catalog.module(SLUG)
    answers = answers_for(module, 2)
    if reflection:
        answers = HandIn.model_validate({**answers.model_dump(), "reflection": reflection})
    assert submit(course_dir, module, person.id, answers, now=START + timedelta(minutes=minutes)).accepted


class DescribeWhatWaits:
    def it_lists_unreviewed_reflections_oldest_first_and_filters_by_module_and_unit(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person]
    ) -> None:
        for minutes, person in zip([30, 10, 20], staff, strict=False):
            hand_in(catalog, course_dir, person, minutes)
        waiting = waiting_reviews(course_dir.db_url, [SLUG])
        assert [item.person_id for item in waiting] == [staff[1].id, staff[2].id, staff[0].id]
        assert waiting[0].name == staff[1].name and waiting[0].unit == staff[1].unit
        assert waiting[0].submitted_at == (START + timedelta(minutes=10)).replace(tzinfo=None)
        unit = staff[0].unit
        assert {item.person_id for item in waiting_reviews(course_dir.db_url, [SLUG], unit=unit)} == {
            person.id for person in staff[:3] if person.unit == unit
        }
        assert waiting_reviews(course_dir.db_url, [SLUG], slug="en-annan-modul") == []
        assert waiting_reviews(course_dir.db_url, []) == []
        assert staff_units(course_dir.db_url) == sorted({person.unit for person in staff})

    def it_is_empty_before_anyone_has_a_gradebook(self, tmp_path: Path) -> None:
        assert waiting_reviews(f"sqlite:///{tmp_path / 'none.db'}", [SLUG]) == []
        assert not (tmp_path / "none.db").exists()


class DescribeTheLearnersWords:
    def it_reads_the_reflection_back_as_the_learner_wrote_it(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person]
    ) -> None:
        hand_in(catalog, course_dir, staff[0], 0, f"{HOSTILE}\n\nEtt andra stycke.\nMed en ny rad.")
        assert reflection_text(course_dir, staff[0].id, SLUG) == f"{HOSTILE}\n\nEtt andra stycke.\nMed en ny rad."

    @pytest.mark.parametrize("words", [HOSTILE, "a\\\nb\\", "&amp;lt; &#39; \\\\", "rad ett\nrad två\n\nnästa"])
    def it_undoes_the_markdown_escaping_exactly(self, words: str) -> None:
        assert from_markdown_text(as_markdown_text(words)) == words


class DescribeSavingAReview:
    def it_writes_what_formgrader_writes_so_nbgrader_reports_the_same_score_and_comment(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person], reviewer: Person
    ) -> None:
        from nbgrader.api import Gradebook

        hand_in(catalog, course_dir, staff[0], 0)
        hand_in(catalog, course_dir, staff[1], 5)
        comment = "Fint att du kopplar till trygg bas.\nPröva gärna igen vid hämtning."
        before = datetime.now(UTC).replace(tzinfo=None)
        score = save_review(course_dir, reviewer, catalog.module(SLUG), staff[0].id, [1], comment)
        assert score == 1
        with Gradebook(course_dir.db_url, course_id=COURSE_ID) as gradebook:
            grade = gradebook.find_grade(REFLECTION_ID, SLUG, SLUG, staff[0].id)
            assert (grade.manual_score, grade.needs_manual_grade, grade.max_score) == (1, False, 1)
            assert gradebook.find_comment(REFLECTION_ID, SLUG, SLUG, staff[0].id).manual_comment == comment
            assert gradebook.find_submission(SLUG, staff[0].id).needs_manual_grade is False
        assert [item.person_id for item in waiting_reviews(course_dir.db_url, [SLUG])] == [staff[1].id]
        review = reviews_for(course_dir.db_url, staff[0].id)[SLUG]
        assert (review.reviewed, review.has_feedback, review.comment) == (True, True, comment)
        assert review.reviewed_at is not None and review.reviewed_at >= before

    def it_is_what_nbgraders_own_feedback_shows(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person], reviewer: Person
    ) -> None:
        hand_in(catalog, course_dir, staff[0], 0)
        save_review(course_dir, reviewer, catalog.module(SLUG), staff[0].id, [1], "Tack för en fin reflektion!")
        result = course_dir.api().generate_feedback(SLUG, staff[0].id)
        assert result["success"], result["log"]
        html = (course_dir.root / "feedback" / staff[0].id / SLUG / f"{SLUG}.html").read_text(encoding="utf-8")
        assert "Tack för en fin reflektion!" in html
        assert "1.0 / 1.0" in html

    def it_puts_a_resubmission_back_in_line_and_keeps_the_earlier_feedback(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person], reviewer: Person
    ) -> None:
        hand_in(catalog, course_dir, staff[0], 0)
        save_review(course_dir, reviewer, catalog.module(SLUG), staff[0].id, [1], "Bra början.")
        reviewed_at = reviews_for(course_dir.db_url, staff[0].id)[SLUG].reviewed_at
        hand_in(catalog, course_dir, staff[0], 60)
        assert [item.person_id for item in waiting_reviews(course_dir.db_url, [SLUG])] == [staff[0].id]
        review = reviews_for(course_dir.db_url, staff[0].id)[SLUG]
        assert (review.reviewed, review.has_feedback, review.comment) == (False, True, "Bra början.")
        assert review.reviewed_at == reviewed_at

    def it_keeps_the_point_per_criterion_for_the_learner_while_they_add_up_to_nbgraders_score(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person], reviewer: Person
    ) -> None:
        from nbgrader.api import Gradebook

        hand_in(catalog, course_dir, staff[0], 0)
        save_review(course_dir, reviewer, catalog.module(SLUG), staff[0].id, [1], "Bra.")
        review = reviews_for(course_dir.db_url, staff[0].id)[SLUG]
        assert (review.reflection_score, review.points) == (1.0, (1,))
        with Gradebook(course_dir.db_url, course_id=COURSE_ID) as gradebook:
            gradebook.find_grade(REFLECTION_ID, SLUG, SLUG, staff[0].id).manual_score = 0
            gradebook.db.commit()
        review = reviews_for(course_dir.db_url, staff[0].id)[SLUG]
        assert (review.reflection_score, review.points) == (0.0, None), "changed in the formgrader: the score alone"

    def it_refuses_anyone_outside_the_resource_team_and_points_that_do_not_fit_the_rubric(
        self, catalog: Catalog, course_dir: CourseDir, people: list[Person], staff: list[Person], reviewer: Person
    ) -> None:
        hand_in(catalog, course_dir, staff[0], 0)
        module = catalog.module(SLUG)
        principal = next(person for person in people if person.role is Role.PRINCIPAL)
        for someone in (principal, staff[1]):
            with pytest.raises(PermissionError):
                save_review(course_dir, someone, module, staff[0].id, [1], "Bra.")
        for points in ([2], [1, 1], [], [-1]):
            with pytest.raises(ValueError, match="rubric"):
                save_review(course_dir, reviewer, module, staff[0].id, points, "Bra.")
        with pytest.raises(ValueError, match="characters"):
            save_review(course_dir, reviewer, module, staff[0].id, [1], "x" * 100_000)
        assert [item.person_id for item in waiting_reviews(course_dir.db_url, [SLUG])] == [staff[0].id]
        assert reviews_for(course_dir.db_url, staff[0].id)[SLUG].has_feedback is False


class DescribeTheReviewForm:
    def it_keeps_what_the_reviewer_marked_and_wrote_when_a_filter_still_lists_the_open_reflection(
        self, catalog: Catalog, course_dir: CourseDir, staff: list[Person], reviewer: Person
    ) -> None:
        hand_in(catalog, course_dir, staff[0], 0)
        hand_in(catalog, course_dir, staff[1], 5)
        page = ReviewPage(catalog, GradebookReviews(course_dir, reviewer), reviewer)
        page.build()

        def form() -> tuple[w.Checkbox, TextAnswer, w.Button]:
            widgets = list(descendants(page.current))
            box = next(widget for widget in widgets if isinstance(widget, w.Checkbox))
            comment = next(widget for widget in widgets if isinstance(widget, TextAnswer))
            save = next(widget for widget in widgets if isinstance(widget, w.Button) and "Spara" in widget.description)
            return box, comment, save

        box, comment, _ = form()
        box.value = True
        comment.value = "Fint att du stannade kvar."
        page.unit.value = staff[0].unit
        assert form()[:2] == (box, comment) and (box.value, comment.value) == (True, "Fint att du stannade kvar.")
        place = f"{page.position + 1} av {len(page.waiting)}"
        assert place in live_blocks(page.current)[0].value
        form()[2].click()
        review = reviews_for(course_dir.db_url, staff[0].id)[SLUG]
        assert (review.reflection_score, review.comment, review.points) == (1.0, "Fint att du stannade kvar.", (1,))
        assert box not in list(descendants(page.current))


class DescribeSeenFeedback:
    def it_is_new_until_the_learner_has_seen_it_and_new_again_after_another_review(
        self, tmp_path: Path, catalog: Catalog, course_dir: CourseDir, staff: list[Person], reviewer: Person
    ) -> None:
        seen = SeenFeedback(tmp_path / "answers" / staff[0].id)
        hand_in(catalog, course_dir, staff[0], 0)
        assert not seen.is_new(SLUG, reviews_for(course_dir.db_url, staff[0].id)[SLUG])
        save_review(course_dir, reviewer, catalog.module(SLUG), staff[0].id, [1], "Bra.")
        review = reviews_for(course_dir.db_url, staff[0].id)[SLUG]
        assert seen.is_new(SLUG, review)
        seen.mark_seen(SLUG, review)
        assert not seen.is_new(SLUG, reviews_for(course_dir.db_url, staff[0].id)[SLUG])
        save_review(course_dir, reviewer, catalog.module(SLUG), staff[0].id, [0], "Titta på det här igen.")
        assert seen.is_new(SLUG, reviews_for(course_dir.db_url, staff[0].id)[SLUG])
        seen.file.write_text("{trasig", encoding="utf-8")
        assert seen.is_new(SLUG, reviews_for(course_dir.db_url, staff[0].id)[SLUG])


class DescribeTheLearnersFeedback:
    RUBRIC: ClassVar[list[RubricCriterion]] = [
        RubricCriterion(criterion="Koppling till filmen", description="Texten knyter an till filmens begrepp."),
        RubricCriterion(criterion="Egen praktik", description="Ett exempel från den egna vardagen."),
        RubricCriterion(criterion="Nästa steg", description="Något att pröva härnäst."),
    ]

    def it_shows_the_point_for_each_criterion_with_what_the_criterion_means(self) -> None:
        review = Review(START, 3, 4, True, "Fint!", START, True, reflection_score=2, points=(1, 0, 1))
        shown = review_html(review, self.RUBRIC)
        assert "Poäng för reflektionen: 2 av 3" in shown
        assert "<strong>Koppling till filmen</strong>: 1 av 1 poäng" in shown
        assert "<strong>Egen praktik</strong>: 0 av 1 poäng" in shown
        assert "Något att pröva härnäst." in shown

    def it_shows_the_total_alone_when_the_points_per_criterion_are_not_known(self) -> None:
        review = Review(START, 3, 4, True, "Fint!", None, True, reflection_score=2)
        shown = review_html(review, self.RUBRIC)
        assert "Poäng för reflektionen: 2 av 3." in shown and "Egen praktik" not in shown
