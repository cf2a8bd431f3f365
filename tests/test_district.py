"""The roster and the fictional demo district."""

from __future__ import annotations

from pathlib import Path

from resurskurs.demo.district import demo_district
from resurskurs.district.roster import COLUMNS, EMAIL_DOMAIN, Role, Roster, read_roster, write_roster


class DescribeReadRoster:
    def it_reports_bad_rows_by_line_and_imports_the_rest(self, tmp_path: Path) -> None:
        file = tmp_path / "roster.csv"
        file.write_text(
            ",".join(COLUMNS) + "\n"
            "anna.berg,Anna,Berg,anna.berg@forskola.example,Förskolan Ekorren,Avdelning Gul,staff\n"
            "Bad Id,Bo,Ek,bo@forskola.example,Förskolan Ekorren,Avdelning Gul,staff\n"
            "eva.lund,Eva,Lund,eva@forskola.example,Förskolan Ekorren,Ledning,boss\n"
            "karin.holm,Karin,Holm,,Förskolan Ekorren,Avdelning Gul,staff\n"
            "anna.berg,Anna,Berg,anna2@forskola.example,Förskolan Humlan,Avdelning Blå,staff\n"
            "lars.ek,Lars,Ek,lars@forskola.example,Förskolan Humlan,Ledning,principal\n",
            encoding="utf-8",
        )
        roster = read_roster(file)
        assert [p.id for p in roster.people] == ["anna.berg", "lars.ek"]
        assert roster.find("lars.ek").role is Role.PRINCIPAL  # type: ignore[union-attr]
        assert [(p.line, p.field) for p in roster.problems] == [(3, "id"), (4, "role"), (5, ""), (6, "id")]
        assert "already used on line 2" in roster.problems[-1].message

    def it_refuses_a_file_with_another_header(self, tmp_path: Path) -> None:
        file = tmp_path / "roster.csv"
        file.write_text("namn;enhet\nAnna;Ekorren\n", encoding="utf-8")
        roster = read_roster(file)
        assert roster.people == []
        assert roster.problems[0].message == f"expected the header {','.join(COLUMNS)}"


    def it_gives_a_principal_one_row_per_unit_they_lead_and_no_one_else(self, tmp_path: Path) -> None:
        file = tmp_path / "roster.csv"
        file.write_text(
            ",".join(COLUMNS) + "\n"
            "lars.ek,Lars,Ek,lars@forskola.example,Förskolan Humlan,Ledning,principal\n"
            "lars.ek,Lars,Ek,lars@forskola.example,Förskolan Ekorren,Ledning,principal\n"
            "lars.ek,Lars,Ek,lars@forskola.example,Förskolan Ekorren,Ledning,principal\n"
            "lars.ek,Lars,Eklund,lars@forskola.example,Förskolan Blåklockan,Ledning,principal\n"
            "anna.berg,Anna,Berg,anna@forskola.example,Förskolan Ekorren,Avdelning Gul,staff\n"
            "anna.berg,Anna,Berg,anna@forskola.example,Förskolan Humlan,Avdelning Gul,staff\n",
            encoding="utf-8",
        )
        roster = read_roster(file)
        lars = roster.find("lars.ek")
        assert lars is not None and lars.units == ("Förskolan Humlan", "Förskolan Ekorren")
        assert [(p.line, p.field) for p in roster.problems] == [(4, "id"), (5, "id"), (7, "id")]
        assert "one row per unit" in roster.problems[1].message
        assert "one row per unit" not in roster.problems[2].message
        write_roster(roster.people, tmp_path / "again.csv")
        assert read_roster(tmp_path / "again.csv") == Roster(roster.people, [])


class DescribeDemoDistrict:
    def it_is_the_same_for_the_same_seed_and_round_trips_through_csv(self, tmp_path: Path) -> None:
        people = demo_district(staff=30, units=3, seed=7)
        assert people == demo_district(staff=30, units=3, seed=7)
        assert people != demo_district(staff=30, units=3, seed=8)
        write_roster(people, tmp_path / "roster.csv")
        roster = read_roster(tmp_path / "roster.csv")
        assert roster.problems == [] and roster.people == people

    def it_has_staff_a_principal_per_unit_and_a_resource_team_all_fictional(self) -> None:
        people = demo_district(staff=30, units=3, seed=1)
        roles = [p.role for p in people]
        assert roles.count(Role.STAFF) == 30 and roles.count(Role.PRINCIPAL) == 3
        assert roles.count(Role.RESOURCE_TEAM) == 2
        assert len({p.id for p in people}) == len(people)
        assert all(p.email.endswith("@" + EMAIL_DOMAIN) for p in people)
