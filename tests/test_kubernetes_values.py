"""deploy/values.yaml under Zero to JupyterHub: what the hub and each person's server end up with.

No Kubernetes runs here, so z2jh's loading is done by hand for the settings this app depends on, in z2jh's own
order (chart 4.x, its jupyterhub_config.py): the spawner from `singleuser` (`KubeSpawner.environment` from
`singleuser.extraEnv`, `{}` by default, and the command), `JupyterHub.services` and `load_roles` begun with the idle
culler when `cull.enabled`, `cleanup_servers = False`; then the files in jupyterhub_config.d, where values.yaml
mounts deploy/jupyterhub_config.py; last `hub.extraConfig`. traitlets then resolves a KubeSpawner's settings as
JupyterHub does, the more specific class winning. All but the command's spec failed on the values and the config
before they were mended: the z2jh path had never been resolved.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from jupyterhub.spawner import Spawner
from traitlets.config import Config

from resurskurs.hub.names import SERVICE_NAME

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
CULLER = "jupyterhub-idle-culler"


class KubeSpawner(Spawner):  # type: ignore[misc]  # JupyterHub is not annotated
    """The name z2jh's settings are filed under; only its configuration is read, it never starts anything."""

    async def start(self) -> Any:
        raise NotImplementedError

    async def stop(self, now: bool = False) -> Any:
        raise NotImplementedError

    async def poll(self) -> Any:
        raise NotImplementedError


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "values.yaml").read_text(encoding="utf-8")))


def from_secret(value: dict[str, Any]) -> str:
    """What the hub pod would read from a Secret, as a recognisable stand-in."""
    reference = value["valueFrom"]["secretKeyRef"]
    return f"from-secret:{reference['name']}/{reference['key']}"


@pytest.fixture
def hub_config(values: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Config:
    """The hub's configuration as z2jh builds it from values.yaml, in the hub pod's environment (`hub.extraEnv`,
    each Secret's value a stand-in; the gradebook an empty one here, whose roster the config reads at start)."""
    for name in [name for name in os.environ if name.startswith(("RESURSKURS_", "JUPYTERHUB_"))]:
        monkeypatch.delenv(name)
    for name, value in values["hub"]["extraEnv"].items():
        monkeypatch.setenv(name, value if isinstance(value, str) else from_secret(value))
    monkeypatch.setenv("RESURSKURS_GRADEBOOK_URL", f"sqlite:///{tmp_path / 'gradebook.db'}")
    c = Config()
    c.KubeSpawner.environment = dict(values["singleuser"].get("extraEnv", {}))
    c.KubeSpawner.cmd = values["singleuser"]["cmd"]
    c.JupyterHub.services = []
    c.JupyterHub.load_roles = []
    if values["cull"]["enabled"]:
        c.JupyterHub.services.append({"name": CULLER, "command": ["python3", "-m", "jupyterhub_idle_culler"]})
        c.JupyterHub.load_roles.append({"name": CULLER, "services": [CULLER], "scopes": ["delete:servers"]})
    c.JupyterHub.cleanup_servers = False
    config_file = DEPLOY / "jupyterhub_config.py"
    exec(compile(config_file.read_text(encoding="utf-8"), str(config_file), "exec"), {"get_config": lambda: c})
    for _, snippet in sorted(values["hub"]["extraConfig"].items()):
        exec(snippet, {"c": c})
    return c


def grader(config: Config) -> dict[str, Any]:
    return next(service for service in config.JupyterHub.services if service["name"] == SERVICE_NAME)


def allows(rules: list[dict[str, Any]], direction: str, component: str, port: int) -> bool:
    """Whether a network policy's extra rules let pods of `component` through on `port`."""
    return any(
        {"port": port} in rule.get("ports", [])
        and {"podSelector": {"matchLabels": {"component": component}}} in rule.get(direction, [])
        for rule in rules
    )


class DescribeAPersonsServerOnKubernetes:
    def it_reaches_the_grader_service_at_its_prefix_through_the_hubs_service(self, hub_config: Config) -> None:
        environment = KubeSpawner(config=hub_config).environment
        assert environment["RESURSKURS_GRADER_URL"] == f"http://hub:10101/services/{SERVICE_NAME}/"

    def it_puts_the_address_staff_open_in_a_decks_qr_code(self, hub_config: Config, values: dict[str, Any]) -> None:
        public = urlparse(KubeSpawner(config=hub_config).environment["RESURSKURS_PUBLIC_URL"])
        assert (public.scheme, public.hostname) == ("https", values["proxy"]["https"]["hosts"][0])

    def it_runs_the_user_images_python(self, hub_config: Config) -> None:
        assert KubeSpawner(config=hub_config).cmd == ["python", "-m", "resurskurs.hub", "user-server"]

    def it_may_call_the_grader_service_past_the_network_policies(
        self, hub_config: Config, values: dict[str, Any]
    ) -> None:
        port = urlparse(grader(hub_config)["url"]).port
        assert port is not None
        assert allows(values["singleuser"]["networkPolicy"]["egress"], "to", "hub", port)
        assert allows(values["hub"]["networkPolicy"]["ingress"], "from", "singleuser-server", port)


class DescribeTheHubOnKubernetes:
    def it_keeps_the_idle_culler_and_its_role_beside_the_grader_service(self, hub_config: Config) -> None:
        assert [service["name"] for service in hub_config.JupyterHub.services] == [CULLER, SERVICE_NAME]
        assert CULLER in [role["name"] for role in hub_config.JupyterHub.load_roles]

    def it_keeps_its_own_database_in_postgresql_from_a_secret(self, hub_config: Config, values: dict[str, Any]) -> None:
        """Not a SQLite file in the hub pod, lost with it (and with it every person's server and token)."""
        assert hub_config.JupyterHub.db_url == from_secret(values["hub"]["extraEnv"]["RESURSKURS_HUB_DB_URL"])

    def it_keeps_the_grader_services_files_on_a_volume_that_outlives_the_pod(
        self, hub_config: Config, values: dict[str, Any]
    ) -> None:
        """Hand-ins, feedback, releases and follow-up answers (deploy/README.md, backups)."""
        claims = {
            volume["name"] for volume in values["hub"]["extraVolumes"] if "persistentVolumeClaim" in volume
        }
        kept = [Path(mount["mountPath"]) for mount in values["hub"]["extraVolumeMounts"] if mount["name"] in claims]
        environment = grader(hub_config)["environment"]
        for name in ("RESURSKURS_VAR", "RESURSKURS_EXERCISES"):
            assert any(Path(environment[name]).is_relative_to(mount) for mount in kept), name

    def it_leaves_everyones_server_running_through_a_hub_restart(self, hub_config: Config) -> None:
        assert hub_config.JupyterHub.cleanup_servers is False

    def it_reaches_the_grader_service_it_checks_at_start(self, hub_config: Config, values: dict[str, Any]) -> None:
        url = urlparse(grader(hub_config)["url"])
        assert url.hostname == "hub" and url.port is not None
        assert allows(values["hub"]["networkPolicy"]["ingress"], "from", "hub", url.port)
