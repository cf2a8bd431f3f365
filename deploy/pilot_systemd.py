"""A single-host pilot: deploy/jupyterhub_config.py with jupyterhub-systemdspawner.

    pip install 'resurskurs[hub]' jupyterhub-systemdspawner jupyterhub-idle-culler
    jupyterhub -f deploy/pilot_systemd.py

Each person's server is a transient systemd unit under their own system user (created on first log-in),
with the memory limit enforced by the kernel's cgroup, a private /tmp and no way to gain privileges.
The idle culler stops servers nobody has used for 30 minutes.
"""

import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821
load_subconfig(str(Path(__file__).with_name("jupyterhub_config.py")))  # type: ignore[name-defined]  # noqa: F821

c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.mem_limit = "768M"
c.SystemdSpawner.cpu_limit = 1.0
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.SystemdSpawner.unit_extra_properties = {"RuntimeMaxSec": "43200"}

c.JupyterHub.services.append(
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=1800", "--cull-every=300"],
    }
)
c.JupyterHub.load_roles.append(
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
)
