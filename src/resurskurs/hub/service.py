"""The grader as a JupyterHub-managed service: the one process that reads and writes the gradebook.

Every request carries a hub token (`Authorization: token …`); HubAuth asks the hub whose it is and
whether it holds `access:services!service=resurskurs-grader`. The person is the token's user, by
roster id, never a field of the request: a body that names a person is refused. Roles come from the
roster in the gradebook. Hand-ins are validated, stored and graded by the same code as on one
machine (tracking/grader.py), a few at a time in worker threads.

    GET  /api/me            who the token's person is
    GET  /api/slice         the rows of the gradebook that person may see (hub/mirror.py)
    GET  /api/units/<unit>  a unit's progress: its principal and the resource team only
    POST /api/hand-in       {"slug": …, "answers": {…}} → {"accepted": …, "messages": […]}
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import sqlalchemy as sa
import tornado.ioloop
import tornado.web
from jupyterhub.services.auth import HubAuth, HubAuthenticated
from jupyterhub.utils import url_path_join

from resurskurs.district.roster import Person, Role
from resurskurs.hub import mirror
from resurskurs.hub.names import SERVICE_SCOPE
from resurskurs.tracking.course_dir import CourseDir
from resurskurs.tracking.people import find_person

log = logging.getLogger("resurskurs.hub.service")
WORKERS = 2
"""Hand-ins graded at once; nbgrader's autograde is CPU-bound, so about the cores a service has."""
PEOPLE_TABLE = "resurskurs_person"


class ServiceHandler(HubAuthenticated, tornado.web.RequestHandler):  # type: ignore[misc]
    """A request from a known person holding the service's scope, or 403; never a redirect."""

    hub_scopes: ClassVar[set[str]] = {SERVICE_SCOPE}
    person: Person

    def initialize(self, hub_auth: HubAuth, course_dir: CourseDir, grade: Any) -> None:
        self.hub_auth = hub_auth
        self.course_dir = course_dir
        self.grade = grade

    def prepare(self) -> None:
        model = self.get_current_user()
        if not model or model.get("kind", "user") != "user":
            raise tornado.web.HTTPError(403, "a user's hub token with access to this service is needed")
        person = find_person(self.course_dir.db_url, model["name"])
        if person is None:
            raise tornado.web.HTTPError(403, f"{model['name']} is not on the roster")
        self.person = person

    def check_xsrf_cookie(self) -> None:
        """Token-authenticated API: no cookies are accepted, so there is nothing for a forged form to ride on."""

    def write_json(self, data: dict[str, Any]) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.write_json({"status": status_code, "message": self._reason})


class MeHandler(ServiceHandler):
    def get(self) -> None:
        p = self.person
        self.write_json(
            {
                "id": p.id,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "role": p.role.value,
                "units": list(p.units),
            }
        )


class SliceHandler(ServiceHandler):
    async def get(self) -> None:
        others = unit_people(self.course_dir.db_url, self.person.units) if self.person.role is Role.PRINCIPAL else []
        loop = asyncio.get_running_loop()
        tables = await loop.run_in_executor(None, mirror.export, self.course_dir.db_url, self.person.id, others)
        self.write_json({"person": self.person.id, "tables": tables})


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


def unit_people(db_url: str, units: Any) -> list[str]:
    """The roster ids of everyone whose unit is one of `units`."""
    engine = sa.create_engine(db_url)
    try:
        table = sa.Table(PEOPLE_TABLE, sa.MetaData(), autoload_with=engine)
        with engine.connect() as connection:
            return list(connection.execute(sa.select(table.c.id).where(table.c.unit.in_(list(units)))).scalars())
    finally:
        engine.dispose()


def make_app(course_dir: CourseDir, grade: Any, prefix: str = "/") -> tornado.web.Application:
    """The service's routes under `prefix` (JUPYTERHUB_SERVICE_PREFIX when the hub runs it)."""
    settings = {"hub_auth": HubAuth(), "course_dir": course_dir, "grade": grade}
    return tornado.web.Application(
        [
            (url_path_join(prefix, "api/me"), MeHandler, settings),
            (url_path_join(prefix, "api/slice"), SliceHandler, settings),
            (url_path_join(prefix, r"api/units/([^/]+)"), UnitHandler, settings),
            (url_path_join(prefix, "api/hand-in"), HandInHandler, settings),
        ],
        workers=ThreadPoolExecutor(WORKERS, thread_name_prefix="grader"),
    )


def main() -> None:
    """Run under the hub: JUPYTERHUB_SERVICE_URL says where to listen, the gradebook URL is the service's alone."""
    from urllib.parse import urlparse

    from resurskurs.catalog.cache import CACHE_FOLDER, cached_catalog
    from resurskurs.paths import content_root, var_root
    from resurskurs.tracking.grader import handle

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    catalog = cached_catalog(content_root(), var_root() / CACHE_FOLDER)
    course_dir = CourseDir.default()

    def grade(request: dict[str, Any]) -> dict[str, Any]:
        return handle(catalog, course_dir, request)

    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    app = make_app(course_dir, grade, os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"))
    app.listen(url.port or 80, url.hostname or "127.0.0.1")
    log.info("the grader service listens on %s", url.geturl())
    tornado.ioloop.IOLoop.current().start()
