"""A district on JupyterHub: log-in, one's own server only, no Jupyter API, the grader as an authenticated service.

One hub for the whole module (tests/hub/conftest.py): two staff of different units and a principal.
"""

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa

from resurskurs.catalog.load import load_catalog
from resurskurs.testing.hand_ins import SLUG, answers_for
from tests.hub.conftest import Hub

pytestmark = pytest.mark.hub
A, B, PRINCIPAL = "anna.berg", "bo.ek", "rut.lind"
SERVICE = "services/resurskurs-grader/api"


@pytest.fixture(scope="module")
def sessions(hub: Hub) -> dict[str, requests.Session]:
    """The three people logged in, each with their own server running."""
    logged_in = {name: hub.log_in(name) for name in (A, B, PRINCIPAL)}
    for name, session in logged_in.items():
        hub.wait_for_server(session, name)
    return logged_in


def token(hub: Hub, name: str) -> str:
    """The user server's own hub token, as its kernels have it (read from the spawned process)."""
    return str(hub.user_servers()[name].environ()["JUPYTERHUB_API_TOKEN"])


class DescribeLogIn:
    def it_sends_someone_not_logged_in_to_the_hubs_log_in(self, hub: Hub) -> None:
        response = requests.get(f"{hub.url}user/{A}/", allow_redirects=True)
        assert "/hub/login" in response.url

    def it_refuses_another_persons_server(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        response = sessions[A].get(f"{hub.url}user/{B}/", allow_redirects=True)
        assert response.status_code == 403


class DescribeTheJupyterApi:
    @pytest.mark.parametrize("path", ["api/kernels", "api/contents", "api/terminals", "api/sessions"])
    def it_never_answers_200_or_201(self, hub: Hub, sessions: dict[str, requests.Session], path: str) -> None:
        session = sessions[A]
        url = f"{hub.url}user/{A}/{path}"
        answers = [session.get(url).status_code, session.post(url, json={}, headers={"X-XSRFToken": "x"}).status_code]
        assert not {200, 201} & set(answers), answers


class DescribeTheUserServers:
    def it_holds_no_gradebook_url_or_password(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        password_like = sa.make_url(hub.gradebook_url)
        servers = hub.user_servers()
        assert set(servers) == {A, B, PRINCIPAL}
        for process in [server for s in servers.values() for server in (s, *s.children(recursive=True))]:
            text = " ".join(process.cmdline()) + "\n" + "\n".join(f"{k}={v}" for k, v in process.environ().items())
            assert "postgresql" not in text and "RESURSKURS_GRADEBOOK_URL" not in text
            assert str(password_like.database) not in text


class DescribeTheGraderService:
    def it_refuses_a_request_without_a_token(self, hub: Hub) -> None:
        assert requests.get(f"{hub.url}{SERVICE}/me").status_code == 403
        assert requests.post(f"{hub.url}{SERVICE}/hand-in", json={"slug": SLUG, "answers": {}}).status_code == 403

    def it_takes_the_person_from_the_token(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        me = requests.get(
            f"{hub.url}{SERVICE}/me", headers={"Authorization": f"token {token(hub, A)}", "X-Forwarded-User": B}
        )
        assert me.status_code == 200 and me.json()["id"] == A

    def it_refuses_a_body_that_names_a_person(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        module = load_catalog(hub.course_dir.root.parent / "content").module(SLUG)
        body = {"slug": SLUG, "person": B, "answers": answers_for(module, 2).model_dump(mode="json")}
        response = requests.post(
            f"{hub.url}{SERVICE}/hand-in", json=body, headers={"Authorization": f"token {token(hub, A)}"}
        )
        assert response.status_code == 400
        assert _submissions(hub, B) == 0

    def it_stores_a_hand_in_under_the_tokens_person(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        module = load_catalog(hub.course_dir.root.parent / "content").module(SLUG)
        body = {"slug": SLUG, "answers": answers_for(module, 2).model_dump(mode="json")}
        response = requests.post(
            f"{hub.url}{SERVICE}/hand-in", json=body, headers={"Authorization": f"token {token(hub, A)}"}, timeout=120
        )
        assert response.status_code == 200 and response.json()["accepted"], response.text
        assert (_submissions(hub, A), _submissions(hub, B)) == (1, 0)


class DescribeThePrincipal:
    def it_gets_their_own_unit_and_is_refused_another(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        headers = {"Authorization": f"token {token(hub, PRINCIPAL)}"}
        own = requests.get(f"{hub.url}{SERVICE}/units/Solrosen", headers=headers)
        other = requests.get(f"{hub.url}{SERVICE}/units/Vitsippan", headers=headers)
        assert own.status_code == 200 and set(own.json()["people"]) == {A, PRINCIPAL}
        assert other.status_code == 403

    def it_is_refused_any_unit_as_staff(self, hub: Hub, sessions: dict[str, requests.Session]) -> None:
        headers = {"Authorization": f"token {token(hub, A)}"}
        assert requests.get(f"{hub.url}{SERVICE}/units/Solrosen", headers=headers).status_code == 403


def _submissions(hub: Hub, person: str) -> int:
    engine = sa.create_engine(hub.gradebook_url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    sa.text("SELECT count(*) FROM submitted_assignment WHERE student_id = :p"), {"p": person}
                ).scalar_one()
            )
    finally:
        engine.dispose()
