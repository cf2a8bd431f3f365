"""Plausible progress for the fictional demo district: who has begun which module, what they answered, when.

`plan_progress` decides everything from a seed, so the same seed gives the same district.
Two writers put a plan into the gradebook: `submit_plans` goes through the real submit path
(nbgrader stores and autogrades every hand-in, the formgrader can open them), and
`bulk_plans` writes the same rows through nbgrader's own table definitions in a few
statements, for districts of thousands. A test holds the two to the same progress figures.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from resurskurs.catalog.load import Catalog, Module
from resurskurs.core.answers import Answers
from resurskurs.core.progress import Status, progress, questions_to_pass
from resurskurs.district.roster import Person, Role
from resurskurs.gradebook import hand_in_totals
from resurskurs.gradebook.cells import REFLECTION_ID
from resurskurs.gradebook.tables import REVIEW
from resurskurs.learners.store import AnswerStore
from resurskurs.tracking.activity import write_activity
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.evaluation import evaluation_rows, write_evaluations
from resurskurs.tracking.notebook import test_cell_id

REFLECTION_SENTENCES = [
    "I vår grupp har vi börjat prata mer om hur vi tar emot barnen på morgonen.",
    "Jag märker att jag ofta skyndar på övergångarna när det är många vuxna borta.",
    "Filmen fick mig att tänka på hur viktigt det är att vara en trygg bas även under stressiga dagar.",
    "Vi har provat att dela gruppen i mindre grupper vid samlingen och det blev lugnare.",
    "Ibland glömmer jag att sätta ord på det jag ser att barnen känner.",
    "Det var skönt att höra att det är relationen som bär, inte de perfekta aktiviteterna.",
    "I arbetslaget behöver vi hitta ett gemensamt sätt att möta barn som tar mycket plats.",
    "Jag vill bli bättre på att följa barnens initiativ i leken i stället för att styra den.",
    "Bildstöd vid påklädningen har gjort att färre barn behöver hjälp av en vuxen hela tiden.",
    "När vi pratade om exemplet i filmen kände flera av oss igen situationen från vår egen avdelning.",
    "Jag tar med mig att lugnet hos den vuxna smittar av sig på hela gruppen.",
    "Vi har bestämt att lyfta en fråga från modulen på varje arbetslagsmöte under terminen.",
    "Samtalen med vårdnadshavare blir lättare när jag förbereder vad jag vill säga.",
    "Det svåraste för mig är att hinna se varje barn när dagen är full av rutiner.",
    "Nästa vecka ska jag pröva att vänta lite längre innan jag går in och löser en konflikt.",
    "Jag har blivit mer medveten om hur jag använder min röst och mitt kroppsspråk.",
]
OPEN_ANSWERS = [
    "Bra exempel från vardagen, lätt att känna igen sig.",
    "Filmen var lite lång, men kapitlen gjorde det lätt att ta pauser.",
    "Mer om hur vi gör i stora barngrupper, tack.",
    "Reflektionsstoppen var det bästa, de gav oss mycket att prata om.",
    "Jag hade gärna sett fler exempel med de yngsta barnen.",
    "Skönt att kunna titta i egen takt.",
    "Kunskapsfrågorna var lagom svåra.",
    "Vi vill gärna ha en fortsättning på samma tema.",
]
INCOMPLETE_HAND_INS = 0.15
"""Of the modules handed in, the share handed in with steps missing: the demo shows "inlämnad, inte klar"."""
FEEDBACK = [
    "Tack för en genomtänkt reflektion. Pröva gärna idén om mindre grupper och berätta hur det gick.",
    "Fint att du kopplar filmen till er egen vardag. Ta med frågan till nästa arbetslagsmöte.",
    "Tack! Din tanke om övergångarna är värd att lyfta i workshopen.",
]


@dataclass(frozen=True)
class DemoReview:
    """A review as Granska saves it: a point per rubric criterion, a comment, who and when."""

    points: tuple[int, ...]
    comment: str
    reviewer_id: str
    reviewed_at: datetime

    @property
    def score(self) -> float:
        return float(sum(self.points))


@dataclass(frozen=True)
class Plan:
    """One person in one module: how far they came, their answers, and when."""

    person_id: str
    slug: str
    status: Status
    answers: Answers
    started_at: datetime
    submitted_at: datetime | None = None
    review: DemoReview | None = None


def plan_progress(people: Iterable[Person], catalog: Catalog, seed: int, now: datetime) -> list[Plan]:
    """Staff move through the modules in catalog order; some units and people are further along than others."""
    rng = random.Random(seed)
    odds = random.Random(f"incomplete-{seed}")
    """Of its own, so the hand-ins with steps missing leave who has begun what as the seed always made it."""
    marks = random.Random(f"reviews-{seed}")
    """Of its own too: which criteria a review gives points for, who reviewed and when."""
    everyone = list(people)
    staff = [person for person in everyone if person.role is Role.STAFF]
    reviewers = [person.id for person in everyone if person.role is Role.RESOURCE_TEAM] or ["resursteamet"]
    pace = {unit: rng.uniform(0.4, 1.2) for unit in sorted({person.unit for person in staff})}
    plans: list[Plan] = []
    for person in staff:
        diligence = rng.random()
        finished = 0 if diligence < 0.15 else min(len(catalog.modules), int(diligence * pace[person.unit] * 6))
        begun = finished + (1 if diligence >= 0.15 and rng.random() < 0.6 else 0)
        start = now - timedelta(days=rng.uniform(20, 90))
        for index, module in enumerate(catalog.modules[:begun]):
            started = start + timedelta(days=index * rng.uniform(4, 9))
            if index < finished and started + timedelta(days=2) < now:
                submitted = min(now - timedelta(hours=1), started + timedelta(days=rng.uniform(1, 6)))
                reviewed = now - submitted > timedelta(days=7) and rng.random() < 0.8
                complete = odds.random() >= INCOMPLETE_HAND_INS
                answers = _answers(module, rng, odds, diligence, handed_in=True, complete=complete)
                review = (
                    DemoReview(
                        _reflection_points(module, rng, marks),
                        rng.choice(FEEDBACK),
                        marks.choice(reviewers),
                        submitted + timedelta(days=marks.uniform(1, 6)),
                    )
                    if reviewed
                    else None
                )
                plans.append(Plan(person.id, module.course.slug, Status.SUBMITTED, answers, started, submitted, review))
            else:
                answers = _answers(module, rng, odds, diligence, handed_in=False, complete=False)
                plans.append(Plan(person.id, module.course.slug, Status.IN_PROGRESS, answers, started))
    return plans


def _reflection_points(module: Module, rng: random.Random, marks: random.Random) -> tuple[int, ...]:
    """How many rubric criteria the reflection meets (at least one, at most all), and which: a point for each."""
    rubric = module.course.preparation.reflection.rubric
    given = min(rng.randint(max(1, len(rubric) - 2), 4), len(rubric))
    met = set(marks.sample(range(len(rubric)), given))
    return tuple(int(index in met) for index in range(len(rubric)))


def _answers(
    module: Module, rng: random.Random, odds: random.Random, skill: float, handed_in: bool, complete: bool
) -> Answers:
    """What a person would have in their drafts, as the player saves it: everything when complete, by the
    one progress rule (enough right answers included); a hand-in with steps missing has the film half seen
    and no practice or evaluation; a module in progress a first part of the film and the questions."""
    course = module.course
    duration = module.film.manifest.duration
    share = 1.0 if complete else odds.uniform(0.01, 0.6) if handed_in else rng.uniform(0.1, 0.8)
    seen = duration * share
    items = course.preparation.knowledge_check.items
    tried = items if handed_in else items[: rng.randint(0, len(items) // 2)]
    right = [rng.random() < 0.55 + 0.4 * skill for _ in tried]
    if complete:
        for index in odds.sample(range(len(tried)), len(tried)):
            if sum(right) >= questions_to_pass(module):
                break
            right[index] = True
    quiz = {}
    for item, correct in zip(tried, right, strict=True):
        wrong = [i for i, option in enumerate(item.options) if not option.correct][:1]
        selected = item.correct_indices if correct else wrong
        quiz[item.id] = {"selected": selected, "attempts": 1, "correct": correct}
    answers: dict[str, Any] = {"film": {"position": seen, "watched": [[0.0, seen]]}, "quiz": quiz}
    if handed_in:
        sentences = rng.sample(REFLECTION_SENTENCES, len(REFLECTION_SENTENCES))
        text: list[str] = []
        words = 0
        while words < course.preparation.reflection.min_words:
            sentence = sentences[len(text) % len(sentences)]
            text.append(sentence)
            words += len(sentence.split())
        answers["reflection"] = " ".join(text)
        survey = {
            "likert": {item.id: rng.choices([2, 3, 4, 5], [1, 3, 6, 4])[0] for item in course.survey.likert},
            "open": {q.id: rng.choice(OPEN_ANSWERS) for q in course.survey.open if rng.random() < 0.5},
        }
        if complete:
            answers["practice"] = {"done": True, "note": "Vi prövade det i arbetslaget under en vecka."}
            answers["survey"] = survey
    return Answers.model_validate(answers)


def write_drafts(plans: Iterable[Plan], answers_root: Path) -> None:
    """Each plan's answers as the person's drafts in the player, through the same store the player uses."""
    for plan in plans:
        store = AnswerStore(answers_root, plan.person_id)
        for key, value in plan.answers.to_json().items():
            store.save(plan.slug, (key,), value)


def _activity(plans: list[Plan], catalog: Catalog) -> list[dict[str, object]]:
    return [
        {
            "person_id": plan.person_id,
            "slug": plan.slug,
            "started_at": plan.started_at,
            "updated_at": plan.submitted_at or plan.started_at,
            "percent": progress(catalog.module(plan.slug), plan.answers).percent,
        }
        for plan in plans
    ]


def _reviews(plans: list[Plan], engine: sa.Engine) -> None:
    """The review rows Granska writes beside nbgrader's grade: when, by whom, the point per criterion."""
    rows = [
        {
            "person_id": plan.person_id,
            "slug": plan.slug,
            "reviewed_at": plan.review.reviewed_at.replace(tzinfo=None),
            "reviewer_id": plan.review.reviewer_id,
            "points": ",".join(str(point) for point in plan.review.points),
        }
        for plan in plans
        if plan.review is not None
    ]
    if rows:
        with engine.begin() as connection:
            connection.execute(REVIEW.insert(), rows)


def _evaluations(plans: list[Plan], catalog: Catalog, engine: sa.Engine) -> None:
    handed_in = [plan for plan in plans if plan.submitted_at is not None]
    rows = [row for p in handed_in for row in evaluation_rows(catalog.module(p.slug), p.person_id, p.answers.survey)]
    write_evaluations(engine, [(p.person_id, p.slug) for p in handed_in], rows)


def submit_plans(
    plans: list[Plan], catalog: Catalog, course_dir: CourseDir, landing: Callable[[int, int], None] | None = None
) -> int:
    """The real path: every hand-in is stored and autograded by nbgrader; reviews are set as the formgrader
    sets them. `landing(done, total)` hears of each hand-in. Returns how many submissions landed."""
    from resurskurs.tracking.submit import submit

    landed = 0
    total = sum(1 for plan in plans if plan.submitted_at is not None)
    for plan in plans:
        if plan.submitted_at is None:
            continue
        if landing is not None:
            landing(landed + 1, total)
        module = catalog.module(plan.slug)
        result = submit(course_dir, module, plan.person_id, plan.answers.hand_in(), plan.submitted_at)
        if not result.accepted:
            raise RuntimeError(f"{plan.person_id}/{plan.slug}: {' '.join(result.messages)}")
        landed += 1
        if plan.review is not None:
            with course_dir.gradebook() as gradebook:
                grade = gradebook.find_grade(REFLECTION_ID, plan.slug, plan.slug, plan.person_id)
                grade.manual_score, grade.needs_manual_grade = plan.review.score, False
                comment = gradebook.find_comment(REFLECTION_ID, plan.slug, plan.slug, plan.person_id)
                comment.manual_comment = plan.review.comment
                gradebook.db.commit()
    engine = sa.create_engine(course_dir.db_url)
    try:
        with course_dir.writing():
            write_activity(engine, _activity(plans, catalog))
            _evaluations(plans, catalog, engine)
            _reviews(plans, engine)
    finally:
        engine.dispose()
    return landed


def bulk_plans(plans: list[Plan], catalog: Catalog, course_dir: CourseDir) -> int:
    """The same rows nbgrader's autograde would write, inserted through its own tables in a few statements.

    For benchmarks and large demos: no notebook files are written, so the formgrader cannot open these
    hand-ins. Expects the assignments built and the people imported. Returns how many submissions it wrote.
    The hand-in totals' triggers are off while the rows go in and back on in the same transaction, which counts
    every hand-in once: 38,103 hand-ins load in 29 s on PostgreSQL, 153 s while the triggers counted each batch.
    """
    from nbgrader import api

    with course_dir.gradebook() as gradebook:
        cells = {}
        for module in catalog.modules:
            slug = module.course.slug
            notebook = gradebook.find_notebook(slug, slug)
            cells[slug] = (
                gradebook.find_assignment(slug).id,
                notebook.id,
                [(cell.id, cell.name, cell.max_score) for cell in notebook.grade_cells],
                [(cell.id, cell.name) for cell in notebook.solution_cells],
            )
        gradebook.db.rollback()  # ends this read's transaction: taking the triggers off waits for every reader
        engine: Any = gradebook.db.get_bind()
        submitted, notebooks, grades, comments = [], [], [], []
        for plan in plans:
            if plan.submitted_at is None:
                continue
            assignment_id, notebook_id, grade_cells, solution_cells = cells[plan.slug]
            submission, submitted_notebook = uuid.uuid4().hex, uuid.uuid4().hex
            submitted.append(
                {
                    "id": submission,
                    "assignment_id": assignment_id,
                    "student_id": plan.person_id,
                    "timestamp": plan.submitted_at.replace(tzinfo=None),
                    "extension": None,
                }
            )
            notebooks.append(
                {
                    "id": submitted_notebook,
                    "assignment_id": submission,
                    "notebook_id": notebook_id,
                    "flagged": False,
                    "late_submission_penalty": None,
                }
            )
            points = _item_points(catalog.module(plan.slug), plan.answers)
            for cell_id, name, max_score in grade_cells:
                reflection = name == REFLECTION_ID
                grades.append(
                    {
                        "id": uuid.uuid4().hex,
                        "notebook_id": submitted_notebook,
                        "cell_id": cell_id,
                        "auto_score": None if reflection else points.get(name, 0.0) * max_score,
                        "manual_score": plan.review.score if reflection and plan.review else None,
                        "extra_credit": None,
                        "needs_manual_grade": reflection and plan.review is None,
                    }
                )
            for cell_id, name in solution_cells:
                feedback = plan.review.comment if name == REFLECTION_ID and plan.review else None
                comments.append(
                    {
                        "id": uuid.uuid4().hex,
                        "notebook_id": submitted_notebook,
                        "cell_id": cell_id,
                        "auto_comment": None,
                        "manual_comment": feedback,
                    }
                )
        with engine.begin() as connection:
            counting = hand_in_totals.attached(connection)
            hand_in_totals.detach(connection)
            for table, rows in (
                (api.SubmittedAssignment, submitted),
                (api.SubmittedNotebook, notebooks),
                (api.Grade, grades),
                (api.Comment, comments),
            ):
                if rows:
                    connection.execute(table.__table__.insert(), rows)
            if counting:
                hand_in_totals.attach(connection)
        write_activity(engine, _activity(plans, catalog))
        _evaluations(plans, catalog, engine)
        _reviews(plans, engine)
    return len(submitted)


def _item_points(module: Module, answers: Answers) -> dict[str, float]:
    """1.0 for each test cell whose item was answered exactly right (the hidden test's rule), else 0.0."""
    quiz = answers.quiz
    return {
        test_cell_id(item): float(item.id in quiz and sorted(quiz[item.id].selected) == item.correct_indices)
        for item in module.course.preparation.knowledge_check.items
    }


def mixed_plans(
    plans: list[Plan], catalog: Catalog, course_dir: CourseDir, landing: Callable[[int, int], None] | None = None
) -> int:
    """Hand-ins still waiting for review through nbgrader (their notebooks exist to be reviewed), the rest as
    bulk rows: a demo district with real review work in a fraction of the time. Returns the hand-ins written."""
    waiting = [plan for plan in plans if plan.submitted_at is not None and plan.review is None]
    rest = [plan for plan in plans if plan not in waiting]
    return submit_plans(waiting, catalog, course_dir, landing) + bulk_plans(rest, catalog, course_dir)
