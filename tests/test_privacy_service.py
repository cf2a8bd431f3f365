"""Register extracts and erasure through the grader service: the same as `resurskurs privacy export` and `erase`
on one machine, for the resource team only, with the token's person as the actor in the audit trail.

The service runs in-process on a loopback port (tests/test_backend_contract.py); tests/hub runs the same
routes behind a real JupyterHub.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from resurskurs.catalog.load import Catalog
from resurskurs.district.roster import Person
from resurskurs.privacy.audit import Action, entries
from resurskurs.tracking.course_dir import CourseDir
from tests.privacy_district import EVA, MAJ, OLA, OPEN_ANSWER, RUT, District, populate, snapshot
from tests.test_backend_contract import service_on_loopback


@pytest.fixture
def district(tmp_path: Path, catalog: Catalog, course_dir: CourseDir) -> District:
    return populate(catalog, course_dir, tmp_path / "var")


@pytest.fixture
def service(district: District, catalog: Catalog) -> Iterator[str]:
    with service_on_loopback(catalog, district.course_dir, district.stores.var) as url:
        yield url


def asking(person: Person) -> dict[str, str]:
    return {"Authorization": f"token token-{person.id}"}


class DescribePersonalDataThroughTheService:
    @pytest.mark.parametrize("person", [EVA, MAJ], ids=["staff", "principal"])
    def it_refuses_anyone_but_the_resource_team_and_changes_nothing(
        self, service: str, district: District, person: Person
    ) -> None:
        before = snapshot(district.stores)
        for method, path in (("GET", OLA.id), ("GET", f"{OLA.id}/export"), ("DELETE", OLA.id)):
            answer = requests.request(method, f"{service}api/privacy/{path}", headers=asking(person), timeout=30)
            assert answer.status_code == 403, (method, path)
            assert "resursteamet" in answer.json()["message"]
        assert requests.delete(f"{service}api/privacy/{OLA.id}", timeout=30).status_code == 403
        assert snapshot(district.stores) == before

    def it_gives_the_resource_team_the_extract_and_records_who_asked(self, service: str, district: District) -> None:
        answer = requests.get(f"{service}api/privacy/{EVA.id}/export", headers=asking(RUT), timeout=30)
        assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
            data = json.loads(archive.read("data.json"))
            assert "sammanfattning.html" in archive.namelist()
        assert data["person"] == EVA.id and OPEN_ANSWER in json.dumps(data, ensure_ascii=False)
        assert OLA.email not in json.dumps(data, ensure_ascii=False)
        exported = [e for e in entries(district.stores.db_url, EVA.id) if e.action is Action.EXPORTED]
        assert [e.actor for e in exported] == [RUT.id]

    def it_shows_the_resource_team_what_goes_then_erases_all_of_it(self, service: str, district: District) -> None:
        planned = requests.get(f"{service}api/privacy/{EVA.id}", headers=asking(RUT), timeout=30)
        assert planned.status_code == 200 and f"Det här raderas om {EVA.id}:" in planned.json()["plan"]
        erased = requests.delete(f"{service}api/privacy/{EVA.id}", headers=asking(RUT), timeout=60)
        assert erased.status_code == 200, erased.text
        everything = "\n".join(snapshot(district.stores).values())
        assert EVA.email not in everything and EVA.last_name not in everything and OPEN_ANSWER not in everything
        again = requests.get(f"{service}api/privacy/{EVA.id}/export", headers=asking(RUT), timeout=30)
        assert again.status_code == 404 and "Det finns inga uppgifter" in again.json()["message"]
        assert requests.delete(f"{service}api/privacy/{EVA.id}", headers=asking(RUT), timeout=30).status_code == 404
