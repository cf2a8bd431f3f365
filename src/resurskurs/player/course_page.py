"""The course page: every part of one module, built from its schema and bound to the learner's drafts."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

import ipywidgets as w

from resurskurs.catalog.load import Film, Module
from resurskurs.core.answers import MAX_TEXT
from resurskurs.core.progress import progress, steps
from resurskurs.core.review import Review
from resurskurs.films import stand_in
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.learners.leitner import CardState, next_cards
from resurskurs.learners.store import AnswerStore
from resurskurs.player.seen import SeenFeedback
from resurskurs.schema import QuizItem
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.hand_in import send
from resurskurs.ui.html import block, bullets, duration, page, part_heading, text
from resurskurs.ui.widgets import ChoiceQuestion, FilmPlayer, Flashcards, LikertItem, TextAnswer

SAVE_FAILED = "Det gick inte att spara just nu. Det du skrivit finns kvar här – försök igen om en stund."
TOO_LONG = (
    f"Texten är längre än {format(MAX_TEXT, ',').replace(',', ' ')} tecken och kan inte sparas. "
    "Korta den lite, så sparas den igen."
)
DAMAGED = (
    "Vi kunde inte läsa allt du hade sparat i den här modulen. En kopia av det sparade finns kvar, och "
    "resursteamet kan hjälpa dig att få tillbaka det. Det du skriver nu sparas som vanligt."
)
SENDING = "Skickar din inlämning …"
SLOW = "Det tar en stund att ta emot inlämningen. Du kan fortsätta arbeta under tiden – allt sparas."
log = logging.getLogger("resurskurs")


def media_url(film: Film, source: str | None, base_url: str) -> str:
    """A URL the browser can load, or "" when the local file is missing (the player then shows text)."""
    if not source:
        return ""
    local = film.local_path(source)
    if local is None:
        return source
    return f"{base_url}resurskurs/films/{source}" if local.is_file() else ""


class CoursePage:
    """Owns the widgets of one module for one learner and saves each answer as it changes."""

    def __init__(
        self, module: Module, store: AnswerStore, base_url: str, course_dir: CourseDir, review: Review | None
    ) -> None:
        self.module = module
        self.course = module.course
        self.store = store
        self.base_url = base_url
        self.course_dir = course_dir
        self.review = review
        draft = store.read(self.course.slug)
        self.answers = draft.answers
        self.damaged = draft.damaged

    def _save(self, path: tuple[str, ...], value: Any, widget: TextAnswer | None = None) -> None:
        """Persist one answer, validated; a failure is told in Swedish and the text stays on screen.

        Values come from the browser, so a value the schema refuses is logged and never stored.
        """
        try:
            self.answers = self.store.save(self.course.slug, path, value, self.course)
        except OSError:
            if widget is not None:
                widget.error = SAVE_FAILED
            return
        except ValueError as error:
            log.warning("refused a value for %s in %s: %s", ".".join(path), self.course.slug, error)
            if widget is not None:
                widget.error = TOO_LONG if isinstance(value, str) and len(value) > MAX_TEXT else SAVE_FAILED
            return
        if widget is not None:
            widget.error = ""
            widget.saved = f"Sparat {datetime.now():%H:%M}"

    def build(self) -> w.Widget:
        course = self.course
        parts = [
            self._header(),
            self._section(
                "Del A – Förberedelse på egen hand",
                course.preparation.minutes,
                "Titta på filmen kapitel för kapitel. Vid varje reflektionsstopp kan du skriva i din "
                "loggbok. Bara du ser loggboken.",
            ),
            self._player(),
            self._heading("Kunskapsfrågor", "rk-kunskapsfragor"),
            *self._quiz(),
            *self._reflection(),
            *self._practice(),
            self._workshop(),
            *self._flashcards(),
            self._reading(),
            *self._survey(),
            *self._submit(),
        ]
        return page(parts)

    def _header(self) -> w.HTML:
        course = self.course
        state = progress(self.module, self.answers, self.review)
        parts = [
            ("A", "Förberedelse", course.preparation.minutes),
            ("B", "Gruppträff", course.workshop.minutes),
            ("C", "Pröva i praktiken", course.practice.minutes),
            ("D", "Gemensam uppföljning", course.follow_up.minutes),
        ]
        rows = "".join(f"<li><strong>{letter}</strong> {text(name)}: {duration(m)}</li>" for letter, name, m in parts)
        notice = f'<div role="alert" class="rk-problem"><p>{text(DAMAGED)}</p></div>' if self.damaged else ""
        return block(
            f'<p><a href="?">← Alla moduler</a></p><h1>{text(course.title)}</h1>{notice}'
            f'<p class="rk-lead">{text(course.summary)}</p>'
            f'<p class="rk-meta">För: {text(", ".join(course.audience))} · Tid totalt: ca {duration(course.minutes)}'
            f' · <span class="rk-status">{text(state.label)}</span></p>'
            f"<h2>Det här lär du dig</h2>{bullets(course.learning_goals)}"
            f'<h2>Modulens fyra delar</h2><ol class="rk-cycle">{rows}</ol>'
        )

    @staticmethod
    def _heading(title: str, anchor: str, intro: str = "") -> w.HTML:
        return block(f'<h2 id="{anchor}">{text(title)}</h2>' + (f"<p>{text(intro)}</p>" if intro else ""))

    @staticmethod
    def _section(title: str, minutes: int, intro: str) -> w.HTML:
        return block(part_heading(title, minutes, "rk-forberedelse") + f"<p>{text(intro)}</p>")

    def _player(self) -> w.Widget:
        film = self.module.film
        manifest = film.manifest
        saved = self.answers.film
        spans = {chapter.id: chapter for chapter in manifest.chapters}
        chapters = []
        stops = []
        for chapter in self.course.preparation.chapters:
            span = spans[chapter.film_chapter]
            chapters.append(
                {"id": span.id, "title": span.title, "start": span.start, "end": span.end, "summary": chapter.summary}
            )
            stops += [
                {
                    "id": stop.id,
                    "at": stop.at if stop.at is not None else span.end,
                    "prompt": stop.prompt,
                    "pause_seconds": stop.pause_seconds,
                    "chapter": span.id,
                }
                for stop in chapter.stops
            ]
        names = {"sv": "Svenska"}
        player = FilmPlayer(
            src=media_url(film, manifest.source, self.base_url),
            small_src=media_url(film, manifest.small, self.base_url),
            poster=media_url(film, manifest.poster, self.base_url),
            sign_src=media_url(film, manifest.sign_language.source if manifest.sign_language else None, self.base_url),
            notice=stand_in.NOTICE if stand_in.is_stand_in(film) else "",
            tracks=[
                {
                    "srclang": lang,
                    "label": names.get(lang, lang),
                    "default": lang == "sv",
                    "src": f"{self.base_url}resurskurs/films/{name}",
                }
                for lang, name in manifest.subtitles.items()
            ],
            chapters=chapters,
            stops=stops,
            cues=[{"start": cue.start, "text": cue.text} for cue in film.subtitles.get("sv", [])],
            allow_skip=self.course.preparation.allow_skipping_ahead,
            position=saved.position,
            watched=saved.watched,
            completed_once=saved.completed_once,
            chapters_read=saved.chapters_read,
            logbook=dict(self.answers.logbook),
        )

        def film_changed(_: object) -> None:
            self._save(
                ("film",),
                {
                    "position": player.current_time,
                    "watched": player.watched,
                    "completed_once": player.completed_once,
                    "chapters_read": player.chapters_read,
                },
            )

        player.observe(film_changed, names=["current_time", "watched", "completed_once", "chapters_read"])

        def logbook_changed(change: dict[str, Any]) -> None:
            old, new = change["old"] or {}, change["new"] or {}
            if not isinstance(new, dict):
                log.warning("refused a logbook that is not a mapping in %s", self.course.slug)
                return
            for stop_id, note in new.items():
                if old.get(stop_id) != note:
                    self._save(("logbook", str(stop_id)), note)

        player.observe(logbook_changed, names="logbook")
        return player

    def _quiz(self) -> list[w.Widget]:
        widgets: list[w.Widget] = []
        for number, item in enumerate(self.course.preparation.knowledge_check.items, start=1):
            previous = self.answers.quiz.get(item.id)
            question = ChoiceQuestion(
                number=number,
                question=item.question,
                kind=item.kind,
                options=[{"text": option.text} for option in item.options],
                selected=previous.selected if previous else [],
                attempts=previous.attempts if previous else 0,
            )
            if previous and previous.attempts:
                _show_feedback(question, item)

            def checked(_: object, question: ChoiceQuestion = question, item: QuizItem = item) -> None:
                question.attempts += 1
                correct = _show_feedback(question, item)
                answer = {"selected": question.selected, "attempts": question.attempts, "correct": correct}
                self._save(("quiz", item.id), answer)

            question.observe(checked, names="check")
            widgets.append(question)
        return widgets

    def _reflection(self) -> list[w.Widget]:
        reflection = self.course.preparation.reflection
        answer = TextAnswer(
            label=reflection.prompt,
            hint="Tänk på: " + " ".join(reflection.guidance),
            value=self.answers.reflection,
            min_words=reflection.min_words,
            rows=10,
        )
        answer.observe(lambda change: self._save(("reflection",), change["new"], answer), names="value")
        copies: list[w.Widget] = []
        for stop in self.course.stops:
            if stop.prompt is None:
                continue
            button = w.Button(
                description="Kopiera loggboksanteckningen hit", tooltip=f"Kopiera det du skrev vid: {stop.prompt}"
            )
            button.add_class("rk-button")

            def copy(_: object, stop_id: str = stop.id) -> None:
                note = self.answers.logbook.get(stop_id, "").strip()
                if note:
                    answer.value = (answer.value.rstrip() + "\n\n" + note).strip()

            button.on_click(copy)
            copies.append(w.VBox([block(f'<p class="rk-small">{text(stop.prompt)}</p>'), button]))
        return [
            self._heading(
                "Reflektionsuppgift", "rk-reflektion", "Din reflektion läses av resursteamet, som ger dig återkoppling."
            ),
            answer,
            w.Accordion([w.VBox(copies)], titles=("Hämta från din loggbok",)) if copies else block(""),
        ]

    def _practice(self) -> list[w.Widget]:
        practice = self.course.practice
        saved = self.answers.practice
        done = w.Checkbox(value=saved.done, description="Jag har prövat uppgiften", indent=False)
        note = TextAnswer(label=practice.note_prompt, value=saved.note, rows=5)
        done.observe(lambda change: self._save(("practice", "done"), change["new"]), names="value")
        note.observe(lambda change: self._save(("practice", "note"), change["new"], note), names="value")
        return [
            block(
                part_heading("Del C – Pröva i praktiken", practice.minutes, "rk-praktik")
                + f"<p>{text(practice.task)}</p>"
                f"{bullets(practice.steps, ordered=True)}"
            ),
            done,
            note,
        ]

    def _workshop(self) -> w.HTML:
        workshop, follow_up = self.course.workshop, self.course.follow_up
        return block(
            part_heading("Del B – Gruppträff", workshop.minutes, "rk-grupptraff")
            + "<p>Förbered dig gärna genom att fundera på frågorna innan ni ses.</p>"
            + bullets(workshop.questions)
            + part_heading("Del D – Gemensam uppföljning", follow_up.minutes, "rk-uppfoljning")
            + bullets(follow_up.questions)
        )

    def _flashcards(self) -> list[w.Widget]:
        words = self.course.vocabulary
        if not words:
            return []
        by_word = {word.word: word for word in words}
        states = {key: CardState.from_json(value.model_dump()) for key, value in self.answers.flashcards.items()}
        cards = Flashcards()

        def show() -> None:
            now = datetime.now()
            due = next_cards(states, list(by_word), now)
            boxes = [states.get(word, CardState()).box for word in by_word]
            cards.summary = ", ".join(f"låda {box}: {boxes.count(box)}" for box in sorted(set(boxes)))
            cards.due = len(due)
            if not due:
                cards.card = {}
                return
            word = by_word[due[0]]
            cards.card = {
                "word": word.word,
                "category": word.category,
                "example": word.example,
                "box": states.get(word.word, CardState()).box,
                "clip": media_url(self.module.film, word.clip, self.base_url),
            }

        def answered(_: object) -> None:
            if not cards.card:
                return
            word = cards.card["word"]
            states[word] = states.get(word, CardState()).answered(cards.known, datetime.now())
            self._save(("flashcards", word), states[word].to_json())
            show()

        cards.observe(answered, names="answer")
        show()
        return [
            self._heading(
                "Öva tecken",
                "rk-tecken",
                "Korten kommer tillbaka oftare när du behöver öva mer och mer sällan när du kan tecknet.",
            ),
            cards,
        ]

    def _reading(self) -> w.HTML:
        items = []
        for item in self.course.reading:
            source = f"{text(item.author)} ({item.year}). <cite>{text(item.title)}</cite>."
            if item.publisher:
                source += f" {text(item.publisher)}."
            if item.url:
                source += f' <a href="{text(str(item.url))}">{text(str(item.url))}</a>'
            if item.note:
                source += f'<br><span class="rk-small">{text(item.note)}</span>'
            items.append(f"<li>{source}</li>")
        return block(f'<h2 id="rk-fordjupning">Fördjupning</h2><ul class="rk-reading">{"".join(items)}</ul>')

    def _checklist(self) -> str:
        rows = "".join(
            f"<li>{'✓ Klart' if step.done else '○ Inte klart'}: {text(step.label)}</li>"
            for step in steps(self.module, self.answers)
        )
        return f'<ul class="rk-checklist">{rows}</ul>'

    def _submit(self) -> list[w.Widget]:
        """Hand in the knowledge check, reflection, practice note and evaluation; the logbook stays private."""
        checklist = block(self._checklist())
        outcome = block(review_html(self.review))
        status = block("")
        button = w.Button(description="Lämna in" if self.review is None else "Lämna in igen")
        button.add_class("rk-button")
        button.add_class("rk-primary")
        question = block("")
        again = w.Button(description="Ja, lämna in igen")
        cancel = w.Button(description="Avbryt")
        for choice in (again, cancel):
            choice.add_class("rk-button")
        again.add_class("rk-primary")
        confirm = w.VBox([question, w.HBox([again, cancel])], layout=w.Layout(display="none"))

        def slow() -> None:
            status.value = f'<p role="status">{text(SLOW)}</p>'

        def wait_for_answer() -> None:
            """Runs in a thread of its own: the kernel keeps saving drafts while the service works."""
            try:
                outcome_ = send(self.course_dir, self.course.slug, self.store.person_id, self.answers.hand_in(), slow)
            except Exception:
                log.exception("the hand-in of %s could not be sent", self.course.slug)
                accepted, messages = False, [SAVE_FAILED]
            else:
                accepted, messages = outcome_.accepted, outcome_.messages
            items = "".join(f"<li>{text(message)}</li>" for message in messages)
            role = "status" if accepted else "alert"
            status.value = f'<div role="{role}" class="{"rk-ok" if accepted else "rk-problem"}"><ul>{items}</ul></div>'
            if accepted:
                self.review = reviews_for(self.course_dir.db_url, self.store.person_id).get(self.course.slug)
                outcome.value = review_html(self.review)
                button.description = "Lämna in igen"
            checklist.value = self._checklist()
            button.disabled = False

        def hand_in(_: object) -> None:
            button.disabled = True
            status.value = f'<p role="status">{text(SENDING)}</p>'
            threading.Thread(target=wait_for_answer, name="hand-in", daemon=True).start()

        def ask(_: object) -> None:
            """A resubmission replaces the one handed in, so it is confirmed first."""
            if self.review is None:
                hand_in(_)
                return
            button.disabled = True
            status.value = ""
            question.value = f'<div role="alert"><p>{text(resubmit_question(self.review))}</p></div>'
            confirm.layout.display = "flex"

        def answered(choice: w.Button) -> None:
            confirm.layout.display = "none"
            question.value = ""
            if choice is again:
                hand_in(choice)
            else:
                button.disabled = False

        button.on_click(ask)
        again.on_click(answered)
        cancel.on_click(answered)
        return [
            self._heading(
                "Lämna in",
                "rk-lamna-in",
                "När du lämnar in skickas dina kunskapsfrågor, din "
                "reflektion, din anteckning från Pröva i praktiken och din utvärdering till "
                "resursteamet. Din loggbok lämnas inte in.",
            ),
            checklist,
            outcome,
            button,
            confirm,
            status,
        ]

    def _survey(self) -> list[w.Widget]:
        survey = self.course.survey
        likert_values, open_values = self.answers.survey.likert, self.answers.survey.open
        widgets: list[w.Widget] = [
            self._heading(
                "Utvärdering",
                "rk-utvardering",
                "Dina svar hjälper resursteamet att göra modulerna bättre. "
                "Svaren redovisas bara för grupper, aldrig med namn.",
            )
        ]

        for item in survey.likert:
            likert = LikertItem(statement=item.statement, value=likert_values.get(item.id, 0))

            def rated(change: dict[str, Any], item_id: str = item.id) -> None:
                self._save(("survey", "likert", item_id), change["new"])

            likert.observe(rated, names="value")
            widgets.append(likert)
        for question in survey.open:
            answer = TextAnswer(label=question.question, value=open_values.get(question.id, ""), rows=3)

            def wrote(change: dict[str, Any], question_id: str = question.id, answer: TextAnswer = answer) -> None:
                self._save(("survey", "open", question_id), change["new"], answer)

            answer.observe(wrote, names="value")
            widgets.append(answer)
        return widgets


def resubmit_question(review: Review) -> str:
    when = review.submitted_at.replace(tzinfo=UTC).astimezone()
    kept = " Återkopplingen du redan har fått finns kvar här." if review.has_feedback else ""
    return (
        f"Vill du lämna in igen? Den nya inlämningen ersätter den du lämnade in {when:%Y-%m-%d %H:%M}, "
        f"och resursteamet läser din reflektion på nytt.{kept}"
    )


def review_html(review: Review | None) -> str:
    """What the person sees about their submission, and the resource team's words once reviewed.

    After a resubmission the earlier feedback stays, with its date, until the new one is reviewed.
    """
    if review is None:
        return ""
    when = review.submitted_at.replace(tzinfo=UTC).astimezone()
    parts = [
        f'<p class="rk-status">Inlämnad {when:%Y-%m-%d %H:%M}. Kunskapsfrågor: {review.quiz_score:g} av '
        f"{review.quiz_max:g} poäng.</p>"
    ]
    comment = "".join(f"<p>{text(line)}</p>" for line in review.comment.splitlines() if line.strip())
    given = (
        f'<p class="rk-meta">Granskad {review.reviewed_at.replace(tzinfo=UTC).astimezone():%Y-%m-%d}</p>'
        if review.reviewed_at
        else ""
    )
    if review.reviewed:
        parts.append(
            f'<section class="rk-feedback" aria-labelledby="rk-aterkoppling"><h3 id="rk-aterkoppling">'
            f"Återkoppling från resursteamet</h3>{given}{comment or '<p>Din reflektion är granskad.</p>'}</section>"
        )
        return "".join(parts)
    parts.append("<p>Resursteamet läser din reflektion och ger dig återkoppling här.</p>")
    if review.has_feedback:
        parts.append(
            f'<section class="rk-feedback" aria-labelledby="rk-aterkoppling"><h3 id="rk-aterkoppling">'
            f"Tidigare återkoppling från resursteamet</h3>{given}"
            f"{comment or '<p>Din förra reflektion är granskad.</p>'}</section>"
        )
    return "".join(parts)


def new_feedback_notice(seen: SeenFeedback, slug: str, review: Review | None) -> list[w.Widget]:
    """At the top of the module, once: feedback has arrived that the learner has not opened yet."""
    if review is None or not seen.is_new(slug, review):
        return []
    seen.mark_seen(slug, review)
    return [
        block(
            '<div role="status" class="rk-feedback"><p><strong>Ny återkoppling från resursteamet.</strong> '
            '<a href="#rk-aterkoppling">Läs återkopplingen</a> under Lämna in.</p></div>'
        )
    ]


def _show_feedback(question: ChoiceQuestion, item: QuizItem) -> bool:
    """Show every option's explanation and a verdict; return whether the answer was right."""
    chosen = set(question.selected)
    correct = {index for index, option in enumerate(item.options) if option.correct}
    question.feedback = [
        {"chosen": index in chosen, "correct": option.correct, "explanation": option.explanation}
        for index, option in enumerate(item.options)
    ]
    right = chosen == correct
    question.verdict = "Rätt svar!" if right else "Inte helt rätt. Läs förklaringarna och försök gärna igen."
    return right
