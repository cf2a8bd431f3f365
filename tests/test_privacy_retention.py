"""Retention (gallring): what has passed the district's date goes, each run logged with counts and no one's id."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from resurskurs.catalog.load import Catalog
from resurskurs.gradebook.reviews import reviews_for
from resurskurs.privacy.retention import LOG_FILE, SETTINGS_FILE, RetentionSettingsError, every, retain
from resurskurs.testing.hand_ins import SLUG
from resurskurs.tracking.course_dir import CourseDir
from tests.privacy_district import EVA, OLA, District, populate, snapshot
from tests.test_privacy_export import command

NOW = datetime.now(UTC)


@pytest.fixture
def district(tmp_path: Path, catalog: Catalog, course_dir: CourseDir) -> District:
    return populate(catalog, course_dir, tmp_path / "var")


class DescribeRetention:
    def it_removes_everything_past_the_default_periods_and_logs_counts(self, district: District) -> None:
        stores = district.stores
        run = retain(stores, NOW + timedelta(days=800))
        assert run.counts == {"activity": 2, "drafts": 2, "follow_up": 1, "hand_ins": 2}
        assert reviews_for(stores.db_url, EVA.id) == {} and reviews_for(stores.db_url, OLA.id) == {}
        assert not (stores.exercises / "submitted" / EVA.id / SLUG).exists()
        assert not (stores.exercises / "autograded" / EVA.id / SLUG).exists()
        assert not list(stores.var.glob("answers/*/*.json"))
        logged = (stores.var / LOG_FILE).read_text(encoding="utf-8")
        assert json.loads(logged)["removed"] == run.counts
        assert EVA.id not in logged and OLA.id not in logged

    def it_keeps_what_is_within_its_period(self, district: District) -> None:
        before = snapshot(district.stores)
        run = retain(district.stores, NOW + timedelta(days=10))
        assert set(run.counts.values()) == {0}
        assert {k: v for k, v in snapshot(district.stores).items() if not k.endswith("retention.log")} == before

    def it_takes_the_districts_periods_from_the_settings_file(self, district: District) -> None:
        (district.stores.var / SETTINGS_FILE).write_text("[days]\ndrafts = 5\n", encoding="utf-8")
        run = retain(district.stores, NOW + timedelta(days=6))
        assert run.counts == {"activity": 0, "drafts": 2, "follow_up": 0, "hand_ins": 0}
        assert reviews_for(district.stores.db_url, EVA.id)

    def it_counts_without_removing_on_a_dry_run(self, district: District) -> None:
        before = snapshot(district.stores)
        assert retain(district.stores, NOW + timedelta(days=800), dry_run=True).counts["hand_ins"] == 2
        assert snapshot(district.stores) == before

    @pytest.mark.parametrize(
        ("settings", "message"),
        [
            ("[days]\nutkast = 5\n", "days.utkast: unknown kind"),
            ("[days]\ndrafts = -1\n", "days.drafts: -1; expected a whole number of days"),
            ("[days\n", "not TOML"),
            ("drafts = 5\n", "expected one table [days]"),
        ],
    )
    def it_refuses_a_broken_settings_file_naming_the_field(
        self, district: District, settings: str, message: str
    ) -> None:
        (district.stores.var / SETTINGS_FILE).write_text(settings, encoding="utf-8")
        before = snapshot(district.stores)
        with pytest.raises(RetentionSettingsError, match=message.replace("[", r"\[")):
            retain(district.stores, NOW + timedelta(days=800))
        assert snapshot(district.stores) == before

    def it_runs_on_its_own_until_stopped(self, district: District) -> None:
        stop = threading.Event()
        thread = threading.Thread(target=every, args=(district.stores, 3600.0, stop))
        thread.start()
        log = district.stores.var / LOG_FILE
        for _ in range(300):
            if log.exists():
                break
            stop.wait(0.1)
        stop.set()
        thread.join(timeout=30)
        assert log.exists() and not thread.is_alive()


class DescribeTheRetainCommand:
    def it_says_what_it_would_remove_and_refuses_a_broken_file(self, district: District) -> None:
        done = command(district, "retain", "--dry-run")
        assert done.returncode == 0 and "Skulle tas bort (gallring): activity: 0" in done.stdout, done.stderr
        (district.stores.var / SETTINGS_FILE).write_text("[days]\ndrafts = 'ett år'\n", encoding="utf-8")
        done = command(district, "retain")
        assert done.returncode == 1 and "retention.toml: days.drafts: 'ett år'" in done.stderr
