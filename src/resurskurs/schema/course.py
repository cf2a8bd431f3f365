"""A course module, shaped as the collegial-learning cycle of Swedish preschool competence work.

A `preparation` (individual: film, logbook, knowledge check, reflection) →
B `workshop` (collegial discussion) → C `practice` (tried with the children) →
D `follow_up` (what did we learn, what do we keep). The four parts are explicit fields so
the player, the nbgrader notebook and the workshop deck all take them from one place.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, HttpUrl, PositiveInt, model_validator

from resurskurs.schema.base import Slug, Strict, Text
from resurskurs.schema.media import MediaSource
from resurskurs.schema.timecode import Timecode

Minutes = Annotated[int, Field(ge=1, le=600)]
Share = Annotated[float, Field(gt=0, le=1)]


RoutineRef = Slug
"""The id of a district's local-routine slot (resurskurs.district.routines), shown where a module names it."""


class ReflectionStop(Strict):
    """A pause in the film. A prompt asks a question for the logbook; a silent stop just gives time."""

    id: Slug
    prompt: Text | None = None
    pause_seconds: PositiveInt | None = None
    at: Timecode | None = Field(default=None, description="When to stop; defaults to the end of the chapter.")

    @model_validator(mode="after")
    def _prompt_or_silence(self) -> ReflectionStop:
        if (self.prompt is None) == (self.pause_seconds is None):
            raise ValueError("give either a prompt or pause_seconds (a silent stop), not both or neither")
        return self


class Chapter(Strict):
    """The pedagogy of one film chapter; its title and times come from the film manifest."""

    film_chapter: Slug
    summary: Text
    key_points: list[Text] = Field(min_length=1)
    stops: list[ReflectionStop] = Field(min_length=1)
    local_routines: list[RoutineRef] = Field(
        default_factory=list, description="Local-routine slots the chapter relies on, shown beside it."
    )


class Option(Strict):
    text: Text
    correct: bool = False
    explanation: Text = Field(description="Shown after answering, whichever option was chosen.")


class QuizItem(Strict):
    """One knowledge-check question; single items have exactly one correct option."""

    id: Slug
    kind: Literal["single", "multiple"]
    question: Text
    points: PositiveInt = 1
    options: list[Option] = Field(min_length=2)

    @property
    def correct_indices(self) -> list[int]:
        """The right answer as the notebook's hidden test checks it: the sorted indices of the correct options."""
        return [index for index, option in enumerate(self.options) if option.correct]

    @model_validator(mode="after")
    def _correct_options(self) -> QuizItem:
        correct = sum(option.correct for option in self.options)
        if self.kind == "single" and correct != 1:
            raise ValueError(f"a single-choice item needs exactly one correct option, found {correct}")
        if self.kind == "multiple" and correct < 1:
            raise ValueError("a multiple-choice item needs at least one correct option, found 0")
        return self


class KnowledgeCheck(Strict):
    items: list[QuizItem] = Field(min_length=1)


class RubricCriterion(Strict):
    """What the resource team looks for when reviewing a reflection."""

    criterion: Text
    description: Text


class ReflectionAssignment(Strict):
    prompt: Text
    guidance: list[Text] = Field(min_length=1)
    min_words: PositiveInt = 150
    rubric: list[RubricCriterion] = Field(min_length=1)


class Preparation(Strict):
    """Part A: individual preparation – the film with logbook stops, knowledge check, reflection."""

    minutes: Minutes
    allow_skipping_ahead: bool = Field(
        default=True, description="Whether the film may be skipped ahead before a first full viewing."
    )
    chapters: list[Chapter] = Field(min_length=1)
    knowledge_check: KnowledgeCheck
    reflection: ReflectionAssignment


class AgendaItem(Strict):
    activity: Text
    minutes: Minutes


class GroupExercise(Strict):
    title: Text
    instructions: list[Text] = Field(min_length=1)
    minutes: Minutes


class Workshop(Strict):
    """Part B: the collegial discussion led by the resource team or a samtalsledare."""

    minutes: Minutes
    agenda: list[AgendaItem] = Field(min_length=1)
    questions: list[Text] = Field(min_length=1)
    exercise: GroupExercise
    local_routines: list[RoutineRef] = Field(
        default_factory=list, description="Local-routine slots the group goes through together."
    )

    @model_validator(mode="after")
    def _agenda_fits(self) -> Workshop:
        planned = sum(item.minutes for item in self.agenda)
        if planned != self.minutes:
            raise ValueError(f"the agenda adds up to {planned} minutes but the workshop has {self.minutes}")
        return self


class Practice(Strict):
    """Part C: something to try with the children, and the note the learner writes about it."""

    minutes: Minutes
    task: Text
    steps: list[Text] = Field(min_length=1)
    note_prompt: Text
    local_routines: list[RoutineRef] = Field(
        default_factory=list, description="Local-routine slots the task may need (e.g. interpreter booking)."
    )


class FollowUp(Strict):
    """Part D: the joint follow-up – what did we do, learn, and keep doing."""

    minutes: Minutes
    questions: list[Text] = Field(min_length=1)


class ReadingItem(Strict):
    """Further reading. Only works known to exist as cited; never an invented reference."""

    author: Text
    title: Text
    year: Annotated[int, Field(ge=1900, le=2100)]
    publisher: Text | None = None
    url: HttpUrl | None = None
    note: Text | None = None


class LegalPoint(Strict):
    """A legal point the module teaches, dated: when it was checked against the law and when it must be again."""

    text: Text = Field(description="The point in plain Swedish, as the module teaches it.")
    source: Text = Field(description="The law and section, e.g. 'Skollag (2010:800) 6 kap. 10 §'.")
    checked: date = Field(description="When the point was last checked against the source.")
    review_by: date = Field(description="Granskas senast: the point must be checked again by this date.")

    @model_validator(mode="after")
    def _review_after_check(self) -> LegalPoint:
        if self.review_by <= self.checked:
            raise ValueError(f"review_by ({self.review_by}) must come after checked ({self.checked})")
        return self


class LikertItem(Strict):
    id: Slug
    statement: Text


class OpenQuestion(Strict):
    id: Slug
    question: Text


class Survey(Strict):
    """The evaluation; Likert items use a fixed five-step agreement scale in the player."""

    likert: list[LikertItem] = Field(min_length=1)
    open: list[OpenQuestion] = Field(min_length=1)


class FollowUpSurvey(Survey):
    """Asked about three months after the module: what the learner now does differently in practice.

    Shown to principals and the resource team under the same rule as the evaluation (n ≥ 5).
    """

    after_days: Annotated[int, Field(ge=30, le=365)] = Field(
        default=90, description="Days after the module's completion when the follow-up is asked."
    )


class LeadershipGuide(Strict):
    """For rektor and biträdande rektor, who see the module first and launch it ("ledningen först").

    Shown on the principal's pages and printable; never shown to staff as instructions.
    """

    why: Text = Field(description="Why this module, for whom, and what it can change in the units.")
    launch: list[Text] = Field(min_length=1, description="How to launch it with the staff, step by step.")
    planning_time: list[AgendaItem] = Field(
        min_length=1, description="Time within the staff's planning time, part by part, in minutes."
    )
    follow_up: list[Text] = Field(min_length=1, description="What the principal follows up, and when.")
    checklist: list[Text] = Field(
        default_factory=list, description="The practical steps a biträdande rektor ticks off for this module."
    )


class FacilitatorGuide(Strict):
    """For whoever leads part B (gruppträff); also the source of the deck's speaker notes on leading safely."""

    before: list[Text] = Field(min_length=1, description="What the samtalsledare prepares before the session.")
    confidentiality: Text = Field(description="What is said at the start about confidentiality in the group.")
    disclosure: Text = Field(
        description="What to do when someone discloses a concern about a child during the session."
    )
    aftercare: Text = Field(description="Care for the staff after the session (essential after the trauma session).")
    case_cards: list[Text] = Field(
        default_factory=list, description="Invented cases, one a card, to hand out for the session's exercise."
    )
    debrief: list[Text] = Field(default_factory=list, description="Questions for the talk after the exercise.")
    local_routines: list[RoutineRef] = Field(
        default_factory=list, description="Local-routine slots the samtalsledare has at hand (e.g. orosanmälan)."
    )


class GuardianMaterial(Strict):
    """Till vårdnadshavarna: what a unit can give guardians about the module, in plain Swedish; printable for
    every role, since staff hand it out. Never a local fact, never anything about a particular child."""

    text: list[Text] = Field(min_length=1, description="Short paragraphs to the guardians.")
    questions: list[Text] = Field(
        default_factory=list, description="A few questions the unit may ask guardians afterwards (on paper)."
    )


class ChapterSummary(Strict):
    """Lättläst: a short plain-Swedish summary of one chapter, for staff still learning Swedish."""

    film_chapter: Slug = Field(description="The chapter it summarises (an id in the film manifest).")
    text: Text


class WordExplanation(Strict):
    """Lättläst: a word from the module and what it means, in everyday Swedish."""

    word: Text
    meaning: Text


class EasyRead(Strict):
    """Lättläst: one plain summary per chapter, the tasks in plain words and the module's word list; the player's
    lättläst toggle."""

    chapters: list[ChapterSummary] = Field(min_length=1)
    words: list[WordExplanation] = Field(min_length=1)
    knowledge_check: Text | None = Field(default=None, description="What the knowledge check asks, in plain words.")
    reflection: Text | None = Field(default=None, description="The reflection assignment's prompt, in plain words.")
    practice: Text | None = Field(default=None, description="The practice task (part C), in plain words.")


class CompletionRule(Strict):
    """When each step of a module counts as done (core/progress.py); the module is done when handed in."""

    min_watched_share: Share = 0.9
    quiz_pass_share: Share = 0.6
    """Share of the knowledge-check questions the learner must have answered right."""


class VocabularyWord(Strict):
    """A TAKK word. How the sign is formed is shown in the clip, never described in text."""

    word: Text
    category: Text
    example: Text
    clip: MediaSource | None = None


class Course(Strict):
    """One module. `film` names films/<film>.yaml."""

    slug: Slug
    title: Text
    summary: Text
    audience: list[Text] = Field(min_length=1)
    learning_goals: list[Text] = Field(min_length=1)
    film: Slug
    completion: CompletionRule
    preparation: Preparation
    workshop: Workshop
    practice: Practice
    follow_up: FollowUp
    reading: list[ReadingItem] = Field(min_length=1)
    legal: list[LegalPoint] = Field(
        default_factory=list, description="The module's legal points, each with its check and review dates."
    )
    survey: Survey
    vocabulary: list[VocabularyWord] = Field(default_factory=list)
    leadership: LeadershipGuide | None = Field(
        default=None, description="The principal's guide; `resurskurs check` reports a module without one."
    )
    facilitator: FacilitatorGuide | None = Field(
        default=None, description="The guide for leading part B; `resurskurs check` reports a module without one."
    )
    guardians: GuardianMaterial | None = Field(
        default=None, description="Material the unit can give guardians about the module (printable)."
    )
    follow_up_survey: FollowUpSurvey | None = Field(
        default=None, description="The practice follow-up about three months later (vad gör du annorlunda?)."
    )
    easy_read: EasyRead | None = Field(default=None, description="Lättläst: chapter summaries and a word list.")

    @property
    def local_routines(self) -> list[str]:
        """Every local-routine slot the module refers to, once each, in the order they first appear."""
        refs = [ref for chapter in self.preparation.chapters for ref in chapter.local_routines]
        refs += self.workshop.local_routines + self.practice.local_routines
        refs += self.facilitator.local_routines if self.facilitator else []
        return list(dict.fromkeys(refs))

    @property
    def minutes(self) -> int:
        """The whole cycle's time estimate, derived from its four parts."""
        return self.preparation.minutes + self.workshop.minutes + self.practice.minutes + self.follow_up.minutes

    @property
    def stops(self) -> list[ReflectionStop]:
        return [stop for chapter in self.preparation.chapters for stop in chapter.stops]
