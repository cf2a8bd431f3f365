"""The grader as a JupyterHub-managed service: the one process that reads and writes the gradebook.

Every request carries a hub token (`Authorization: token …`); HubAuth asks the hub whose it is and
whether it holds `access:services!service=resurskurs-grader`. The person is the token's user, by
roster id, never a field of the request: a body that names a person is refused. Roles come from the
roster in the gradebook. Each handler is a thin HTTP layer over `backend.local.LocalBackend` of that
person, so every rule of one machine (roles, units, releases, due dates, n ≥ 5, activity limits) holds
here too: a token can do what its person's pages can, nothing more. Hand-ins are validated, stored and
graded by the same code as on one machine (tracking/grader.py), a few at a time in worker processes.

    GET  /api/me            who the token's person is
    GET  /api/own-reviews   the person's own hand-ins and feedback, by module
    GET  /api/units/<unit>  a unit's people: its principal and the resource team only
    GET  /api/progress?unit=…               progress rows: a principal's units, the resource team any or all
    GET  /api/evaluations                   the disclosed evaluation (n ≥ 5): principal (their units), resource team
    GET  /api/district                      progress counted per unit and module (resource team only)
    GET  /api/figures/<slug>?unit=…         one module in one unit, for a workshop deck
    POST /api/hand-in       {"slug": …, "answers": {…}} → {"accepted": …, "messages": […]}
    GET  /api/reviews?slug=…&unit=…         Granska: the units and what waits (resource team only)
    GET  /api/reviews/<person>/<slug>       the reflection's text (resource team only)
    POST /api/reviews/<person>/<slug>       {"points": […], "comment": …} → {"score": …}; the reviewer is
                                            the token's person
    GET  /api/releases                      ledningen först: the releases to the person's own units
    POST /api/releases      {"slug", "units", "workshop"}: a principal, to units they lead only (else 403)
    GET  /api/follow-up/<slug>              the person's own 3-month follow-up answers
    POST /api/follow-up/<slug>              {"kind", "item", "value"}: one answer, stored under the token's person;
                                            an open answer naming someone is 422 with the guard's Swedish words
    GET  /api/follow-up/<slug>/baseline     the person's own answers before the module (the follow-up's ratings)
    POST /api/follow-up/<slug>/baseline     {"kind", "item", "value"}: one rating, only until the person hands in
    GET  /api/audit?limit=N                 the newest audit entries, in Swedish (resource team only)
    GET  /api/follow-up?unit=…              counted follow-up, disclosed figures only (n ≥ 5): principal, resource team
    POST /api/activity      {"slug", "percent"}: how far the person has come in a released module, at most
                            once per interval (429 otherwise)
    GET  /api/routines      local routines: the district's section and the person's units' (the resource team all)
    POST /api/routines      {"unit", "routine"}: one slot of one section (unit null: the district's); a principal
                            their units, the resource team any (else 403); a child's name or a damaged file 400
    GET    /api/privacy/<person>          what erasing the person would remove, in Swedish (resource team only)
    GET    /api/privacy/<person>/export   the person's register extract as a zip (resource team only; audited)
    DELETE /api/privacy/<person>          erase the person, all or nothing (resource team only; audited)

Releases and follow-up answers live in the service's own var folder, with the same files, locks and
atomic writes as on one machine (district/releases.py, learners/follow_up.py).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import multiprocessing
import os
import signal
import threading
import uuid
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

import sqlalchemy as sa
import tornado.ioloop
import tornado.web
from jupyterhub.services.auth import HubAuth, HubAuthenticated
from jupyterhub.utils import url_path_join
from pydantic import ValidationError

from resurskurs.backend.contract import Refused
from resurskurs.backend.local import TOO_OFTEN, LocalBackend
from resurskurs.backend.wire import (
    DISTRICT_FIGURES,
    FIGURES,
    MODULE_FIGURES,
    PERSON,
    REVIEWS,
    ROWS,
    RoutineChange,
    evaluations_json,
    releases_json,
    routines_json,
)
from resurskurs.catalog.load import Catalog, Module
from resurskurs.district.releases import ReleaseRefused, may_release
from resurskurs.district.roster import Person, Role
from resurskurs.district.routines import RoutineRefused
from resurskurs.hub.names import SERVICE_SCOPE
from resurskurs.paths import var_root
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.people import find_person
from resurskurs.tracking.privacy import PrivateText

log = logging.getLogger("resurskurs.hub.service")
WORKERS = 2
"""Worker processes grading hand-ins at once; nbgrader's autograde is CPU-bound, so about the cores a service has."""
PEOPLE_TABLE = "resurskurs_person"


class ServiceHandler(HubAuthenticated, tornado.web.RequestHandler):  # type: ignore[misc]
    """A request from a known person holding the service's scope, or 403; never a redirect."""

    hub_scopes: ClassVar[set[str]] = {SERVICE_SCOPE}
    person: Person

    def initialize(self, hub_auth: HubAuth, course_dir: CourseDir, grade: Any, catalog: Catalog) -> None:
        self.hub_auth = hub_auth
        self.course_dir = course_dir
        self.grade = grade
        self.catalog = catalog

    def prepare(self) -> None:
        model = self.get_current_user()
        if not model or model.get("kind", "user") != "user":
            raise tornado.web.HTTPError(403, "a user's hub token with access to this service is needed")
        person = find_person(self.course_dir.db_url, model["name"])
        if person is None:
            raise tornado.web.HTTPError(403, f"{model['name']} is not on the roster")
        self.person = person
        self.backend = LocalBackend(person, self.catalog, self.course_dir, Path(self.settings["var"]))

    def check_xsrf_cookie(self) -> None:
        """Token-authenticated API: no cookies are accepted, so there is nothing for a forged form to ride on."""

    def write_json(self, data: dict[str, Any]) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False))

    def _handle_request_exception(self, error: BaseException) -> None:
        """The backend's refusals as HTTP: Refused is 403, a value it does not take 400."""
        if isinstance(error, Refused):
            log.warning("%s was refused %s: %s", getattr(self, "person", None), self.request.path, error)
            self.send_error(403, exc_info=(type(error), tornado.web.HTTPError(403, str(error)), None))
            return
        super()._handle_request_exception(error)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        said = error.log_message if isinstance(error, tornado.web.HTTPError) and error.log_message else None
        self.write_json({"status": status_code, "message": said or self._reason})

    def body(self, keys: set[str]) -> dict[str, Any]:
        """The JSON body with exactly `keys`, or 400: the person always comes from the token, never from here."""
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, "the body is not JSON") from None
        if not isinstance(body, dict) or set(body) != keys:
            raise tornado.web.HTTPError(400, f"the body is {{{', '.join(sorted(keys))}}}; the person is the token's")
        return body

    def module(self, slug: str) -> Module:
        try:
            return self.catalog.module(slug)
        except KeyError:
            raise tornado.web.HTTPError(404, f"no module {slug!r}") from None


class MeHandler(ServiceHandler):
    """Who the token's person is, as the roster has them now: what their own server's pages need to know of them
    (the user server keeps no copy of the gradebook)."""

    def get(self) -> None:
        self.write_json(PERSON.dump_python(self.person, mode="json"))


class OwnReviewsHandler(ServiceHandler):
    def get(self) -> None:
        self.write_json({"reviews": REVIEWS.dump_python(self.backend.own_reviews(), mode="json")})


class ProgressHandler(ServiceHandler):
    def get(self) -> None:
        units = self.get_query_arguments("unit")
        rows = self.backend.progress(units or None)
        self.write_json({"rows": ROWS.dump_python(rows, mode="json")})


class AuditHandler(ServiceHandler):
    """The newest entries of the audit trail, described in Swedish: the resource team only (else 403)."""

    def get(self) -> None:
        try:
            limit = int(self.get_query_argument("limit", "10"))
        except ValueError:
            raise tornado.web.HTTPError(400, "limit: expected a whole number") from None
        self.write_json({"entries": self.backend.audit_trail(limit)})


class DistrictHandler(ServiceHandler):
    def get(self) -> None:
        self.write_json({"figures": DISTRICT_FIGURES.dump_python(self.backend.district_figures(), mode="json")})


class EvaluationsHandler(ServiceHandler):
    def get(self) -> None:
        self.write_json({"figures": evaluations_json(self.backend.evaluations())})


class ModuleFiguresHandler(ServiceHandler):
    def get(self, slug: str) -> None:
        self.module(slug)
        progress, evaluation = self.backend.unit_figures(slug, self.get_query_argument("unit", ""))
        self.write_json(
            {
                "progress": MODULE_FIGURES.dump_python(progress, mode="json"),
                "evaluation": None if evaluation is None else FIGURES.dump_python([evaluation], mode="json")[0],
            }
        )


class UnitHandler(ServiceHandler):
    def get(self, unit: str) -> None:
        allowed = self.person.role is Role.RESOURCE_TEAM or (
            self.person.role is Role.PRINCIPAL and unit in self.person.units
        )
        if not allowed:
            log.warning("%s asked for unit %r and was refused", self.person.id, unit)
            raise tornado.web.HTTPError(403, "not a unit you lead")
        self.write_json({"unit": unit, "people": sorted(unit_people(self.course_dir.db_url, [unit]))})


class HandInHandler(ServiceHandler):
    async def post(self) -> None:
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, "the body is not JSON") from None
        if not isinstance(body, dict) or set(body) != {"slug", "answers"}:
            raise tornado.web.HTTPError(400, "the body is {slug, answers}; the person comes from the token")
        request = {"request": uuid.uuid4().hex, "person": self.person.id, **body}
        loop = asyncio.get_running_loop()
        self.write_json(await loop.run_in_executor(self.application.settings["workers"], self.grade, request))


class ReviewHandler(ServiceHandler):
    """Granska for the resource team: what the in-app review reads and writes, and nobody else's way to it."""

    def prepare(self) -> None:
        super().prepare()
        try:
            self.reviews = self.backend.reviews()
        except Refused as refused:
            log.warning("%s asked for Granska and was refused", self.person.id)
            raise tornado.web.HTTPError(403, str(refused)) from None


class WaitingHandler(ReviewHandler):
    def get(self) -> None:
        slugs = [module.course.slug for module in self.catalog.modules]
        slug, unit = self.get_query_argument("slug", ""), self.get_query_argument("unit", "")
        waiting = self.reviews.waiting(slugs, slug, unit)
        items = [{**asdict(item), "submitted_at": item.submitted_at.isoformat()} for item in waiting]
        self.write_json({"units": self.reviews.units(), "waiting": items})


class ReflectionHandler(ReviewHandler):
    def get(self, person_id: str, slug: str) -> None:
        self.module(slug)
        try:
            words = self.reviews.text(person_id, slug)
        except (OSError, ValueError):
            raise tornado.web.HTTPError(404, "no readable hand-in") from None
        self.write_json({"text": words})

    def post(self, person_id: str, slug: str) -> None:
        module = self.module(slug)
        try:
            body = json.loads(self.request.body or b"{}")
            points, comment = body["points"], body["comment"]
            if set(body) != {"points", "comment"} or not isinstance(points, list) or not isinstance(comment, str):
                raise ValueError("the body is {points, comment}; the reviewer comes from the token")
            score = self.reviews.save(self.person, module, person_id, points, comment)
        except (KeyError, TypeError, ValueError) as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        self.write_json({"score": score})


class ReleasesHandler(ServiceHandler):
    """Ledningen först: the releases the person may know, and a principal's release to units they lead."""

    def get(self) -> None:
        self.write_json(releases_json(self.backend.releases().load()))

    def post(self) -> None:
        body = self.body({"slug", "units", "workshop"})
        units = body["units"]
        if not isinstance(units, list) or not all(isinstance(unit, str) for unit in units):
            raise tornado.web.HTTPError(400, "units is a list of unit names")
        self.module(str(body["slug"]))
        try:
            workshop = date.fromisoformat(str(body["workshop"]))
        except ValueError:
            raise tornado.web.HTTPError(400, "workshop is a date, YYYY-MM-DD") from None
        if self.person.role is not Role.PRINCIPAL or not all(may_release(self.person, unit) for unit in units):
            log.warning("%s tried to release %s to %r and was refused", self.person.id, body["slug"], units)
            raise tornado.web.HTTPError(403, "Du kan bara öppna moduler för de enheter du är rektor för.")
        try:
            made = self.backend.releases().release(body["slug"], units, workshop, self.person, datetime.now(UTC))
        except ReleaseRefused as refused:
            raise tornado.web.HTTPError(409, str(refused)) from None
        self.write_json(releases_json(made))


class FollowUpHandler(ServiceHandler):
    """The token's person's own 3-month follow-up answers in one module, written only once it is due."""

    def store(self, slug: str) -> Any:
        self.module(slug)
        return self.backend.follow_up(slug)

    def get(self, slug: str) -> None:
        self.write_json({"answers": self.store(slug).load(self.person.id).model_dump(mode="json")})

    def post(self, slug: str) -> None:
        store, body = self.store(slug), self.body({"kind", "item", "value"})
        try:
            saved = store.save(
                self.person.id, self.module(slug).course, str(body["kind"]), str(body["item"]), body["value"]
            )
        except PrivateText as refused:
            # Said in the answer only: an HTTPError's message would carry the name into the service's log.
            self.set_status(422)
            self.write_json({"status": 422, "message": str(refused)})
            return
        except ValueError as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        self.write_json({"answers": saved.model_dump(mode="json")})


class BaselineHandler(FollowUpHandler):
    """The token's person's own answers before the module, written only until they hand it in."""

    def store(self, slug: str) -> Any:
        self.module(slug)
        return self.backend.baseline(slug)


class FollowUpFiguresHandler(ServiceHandler):
    """Counted follow-up for principals (their units) and the resource team: only what n ≥ 5 discloses."""

    def get(self) -> None:
        shown = self.backend.follow_up_figures(self.get_query_arguments("unit"))
        self.write_json({"figures": FIGURES.dump_python(shown, mode="json")})


class ActivityHandler(ServiceHandler):
    """How far the token's person has come in a module (the percent their server computed from the draft)."""

    def post(self) -> None:
        body = self.body({"slug", "percent"})
        self.module(str(body["slug"]))
        percent = body["percent"]
        if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
            raise tornado.web.HTTPError(400, "percent is a whole number 0–100")
        try:
            self.backend.record_activity(str(body["slug"]), percent)
        except Refused as refused:
            status = 429 if str(refused) == TOO_OFTEN else 403
            raise tornado.web.HTTPError(status, str(refused)) from None
        self.write_json({"percent": percent})


class RoutinesHandler(ServiceHandler):
    """Local routines: the sections the person may know, and a save to a section they may change."""

    def get(self) -> None:
        self.write_json(routines_json(self.backend.routines().load()))

    def post(self) -> None:
        try:
            change = RoutineChange.model_validate_json(self.request.body or b"{}")
        except ValidationError as error:
            raise tornado.web.HTTPError(400, f"the body is {{unit, routine}}: {error.errors()[0]['msg']}") from None
        try:
            saved = self.backend.routines().save(change.unit, change.routine)
        except RoutineRefused as refused:
            raise tornado.web.HTTPError(400, str(refused)) from None
        self.write_json(routines_json(saved))
class PersonalDataHandler(ServiceHandler):
    """`resurskurs privacy export` and `erase` through the service, for the resource team only; the actor in the
    audit trail is the token's person. Someone nothing is held about is 404, with the same Swedish message."""

    def prepare(self) -> None:
        super().prepare()
        try:
            self.personal_data = self.backend.personal_data()
        except Refused as refused:
            log.warning("%s asked for personal data and was refused", self.person.id)
            raise tornado.web.HTTPError(403, str(refused)) from None

    async def run(self, work: Any, person_id: str) -> Any:
        """`work(person_id)` off the event loop, its refusals as HTTP."""
        from resurskurs.privacy.erase import EraseFailed
        from resurskurs.privacy.locate import NothingHeld

        try:
            return await asyncio.get_running_loop().run_in_executor(None, work, person_id)
        except NothingHeld as error:
            raise tornado.web.HTTPError(404, str(error)) from None
        except EraseFailed as error:
            raise tornado.web.HTTPError(409, str(error)) from None


class ErasureHandler(PersonalDataHandler):
    async def get(self, person_id: str) -> None:
        self.write_json({"person": person_id, "plan": await self.run(self.personal_data.plan, person_id)})

    async def delete(self, person_id: str) -> None:
        erased = await self.run(self.personal_data.erase, person_id)
        log.info("%s erased %s", self.person.id, person_id)
        self.write_json({"person": person_id, "erased": erased})


class ExportHandler(PersonalDataHandler):
    async def get(self, person_id: str) -> None:
        data = await self.run(self.personal_data.export, person_id)
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", f'attachment; filename="{person_id}.zip"')
        self.set_header("Cache-Control", "no-store")
        self.finish(data)


def unit_people(db_url: str, units: Any) -> list[str]:
    """The roster ids of everyone whose unit is one of `units`."""
    engine = sa.create_engine(db_url)
    try:
        table = sa.Table(PEOPLE_TABLE, sa.MetaData(), autoload_with=engine)
        with engine.connect() as connection:
            return list(connection.execute(sa.select(table.c.id).where(table.c.unit.in_(list(units)))).scalars())
    finally:
        engine.dispose()


def make_app(
    catalog: Catalog,
    course_dir: CourseDir,
    grade: Any,
    workers: Executor,
    prefix: str = "/",
    var: Path | None = None,
    hub_auth: HubAuth | None = None,
) -> tornado.web.Application:
    """The routes under `prefix` (JUPYTERHUB_SERVICE_PREFIX when the hub runs it); `grade` runs on `workers`;
    `hub_auth` is the hub's (the contract specs give one that knows their people's tokens without a hub)."""
    settings = {
        "hub_auth": HubAuth() if hub_auth is None else hub_auth,
        "course_dir": course_dir,
        "grade": grade,
        "catalog": catalog,
    }
    return tornado.web.Application(
        [
            (url_path_join(prefix, "api/me"), MeHandler, settings),
            (url_path_join(prefix, "api/own-reviews"), OwnReviewsHandler, settings),
            (url_path_join(prefix, "api/progress"), ProgressHandler, settings),
            (url_path_join(prefix, "api/evaluations"), EvaluationsHandler, settings),
            (url_path_join(prefix, "api/district"), DistrictHandler, settings),
            (url_path_join(prefix, "api/audit"), AuditHandler, settings),
            (url_path_join(prefix, r"api/figures/([^/]+)"), ModuleFiguresHandler, settings),
            (url_path_join(prefix, r"api/units/([^/]+)"), UnitHandler, settings),
            (url_path_join(prefix, "api/hand-in"), HandInHandler, settings),
            (url_path_join(prefix, "api/reviews"), WaitingHandler, settings),
            (url_path_join(prefix, r"api/reviews/([^/]+)/([^/]+)"), ReflectionHandler, settings),
            (url_path_join(prefix, "api/releases"), ReleasesHandler, settings),
            (url_path_join(prefix, "api/follow-up"), FollowUpFiguresHandler, settings),
            (url_path_join(prefix, r"api/follow-up/([^/]+)"), FollowUpHandler, settings),
            (url_path_join(prefix, r"api/follow-up/([^/]+)/baseline"), BaselineHandler, settings),
            (url_path_join(prefix, "api/activity"), ActivityHandler, settings),
            (url_path_join(prefix, "api/routines"), RoutinesHandler, settings),
            (url_path_join(prefix, r"api/privacy/([^/]+)"), ErasureHandler, settings),
            (url_path_join(prefix, r"api/privacy/([^/]+)/export"), ExportHandler, settings),
        ],
        workers=workers,
        var=str(var_root() if var is None else var),
    )


_worker: dict[str, Any] = {}
"""In a worker process: its catalog and course folder, loaded once."""


def _start_worker() -> None:
    """A worker's own catalog and course folder; its warm grading kernel is shut down when the worker ends."""
    from multiprocessing.util import Finalize

    from resurskurs.catalog.cache import cached_catalog
    from resurskurs.catalog.key import CACHE_FOLDER
    from resurskurs.paths import content_root, var_root
    from resurskurs.tracking.autograde import shut_down_kernels, warm_up

    _worker["catalog"] = cached_catalog(content_root(), var_root() / CACHE_FOLDER)
    _worker["course_dir"] = CourseDir.default()
    Finalize(None, shut_down_kernels, exitpriority=10)
    warm_up(_worker["course_dir"])


def grade_in_worker(request: dict[str, Any]) -> dict[str, Any]:
    """One hand-in, in a worker process (tracking/grader.py, as on one machine)."""
    from resurskurs.tracking.grader import handle

    return handle(_worker["catalog"], _worker["course_dir"], request)


def listening_address(service_url: str) -> tuple[int, str]:
    """The port and address to listen on, from the URL the hub and the user servers reach the service at
    (JUPYTERHUB_SERVICE_URL). An IP address or `localhost` is this machine's, and the service listens there alone
    (127.0.0.1 on one host). A name may resolve to an address no interface here has: on Kubernetes, `hub` is the
    hub's Service, and listening on it fails. So for a name the service listens on every interface, as the hub in its
    pod does; every request still needs a hub token, and deploy/values.yaml lets only the hub's and the user
    servers' pods reach the port."""
    from urllib.parse import urlparse

    url = urlparse(service_url)
    host = url.hostname or "127.0.0.1"
    if host != "localhost":
        try:
            ipaddress.ip_address(host)
        except ValueError:
            host = ""
    return url.port or 80, host


def main() -> None:
    """Run under the hub: JUPYTERHUB_SERVICE_URL says where to listen, the gradebook URL is the service's alone.

    Retention (privacy/retention.py) runs now and daily, in a thread, as in `resurskurs serve`.

    Hand-ins are graded in WORKERS processes, not threads: nbgrader's autograde sets and removes
    process-wide environment variables and the warm kernel serves one notebook at a time, so two
    threads grading at once broke each other's hand-ins. Processes of one service, or of several
    services on several hosts, wait for each other only per person and module (gradebook/locks.py).
    """
    from resurskurs.catalog.cache import cached_catalog
    from resurskurs.catalog.key import CACHE_FOLDER
    from resurskurs.logs import configure as configure_logs
    from resurskurs.paths import content_root, var_root
    from resurskurs.privacy.locate import Stores
    from resurskurs.privacy.retention import DAY, every

    configure_logs()
    catalog = cached_catalog(content_root(), var_root() / CACHE_FOLDER)
    course_dir = CourseDir.default()
    stop_retention = threading.Event()
    stores = Stores(course_dir.db_url, var_root(), course_dir.root)
    threading.Thread(target=every, args=(stores, DAY, stop_retention), name="retention", daemon=True).start()
    workers = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker)
    url = os.environ["JUPYTERHUB_SERVICE_URL"]
    port, address = listening_address(url)
    app = make_app(catalog, course_dir, grade_in_worker, workers, os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"))
    app.listen(port, address)
    loop = tornado.ioloop.IOLoop.current()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):  # the hub interrupts its services first, then terminates
        signal.signal(stop_signal, lambda *_: loop.add_callback_from_signal(loop.stop))
    log.info("the grader service listens on %s:%d, for %s", address or "every interface", port, url)
    try:
        loop.start()
    finally:
        stop_retention.set()
        workers.shutdown(wait=True, cancel_futures=True)
        log.info("the grader service stopped")
