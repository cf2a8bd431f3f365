"""The one description of a course and its film; every other part is derived from these models."""

from resurskurs.schema.course import (
    Chapter,
    CompletionRule,
    Course,
    FollowUp,
    KnowledgeCheck,
    Option,
    Practice,
    Preparation,
    QuizItem,
    ReadingItem,
    ReflectionAssignment,
    ReflectionStop,
    RubricCriterion,
    Survey,
    VocabularyWord,
    Workshop,
)
from resurskurs.schema.film import FilmChapter, FilmManifest, Speaker
from resurskurs.schema.timecode import Timecode, format_timecode

__all__ = [
    "Chapter",
    "CompletionRule",
    "Course",
    "FilmChapter",
    "FilmManifest",
    "FollowUp",
    "KnowledgeCheck",
    "Option",
    "Practice",
    "Preparation",
    "QuizItem",
    "ReadingItem",
    "ReflectionAssignment",
    "ReflectionStop",
    "RubricCriterion",
    "Speaker",
    "Survey",
    "Timecode",
    "VocabularyWord",
    "Workshop",
    "format_timecode",
]
