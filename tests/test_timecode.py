"""Film times are written as authors say them and read as seconds."""

from __future__ import annotations

import pytest

from resurskurs.schema.timecode import format_timecode, parse_timecode


class DescribeParseTimecode:
    @pytest.mark.parametrize(
        ("text", "seconds"),
        [("0:00", 0.0), ("12:34", 754.0), ("1:02:03", 3723.0), ("0:07.25", 7.25), (90, 90.0), (754, 754.0)],
    )
    def it_reads_minutes_hours_fractions_and_numbers(self, text: object, seconds: float) -> None:
        assert parse_timecode(text) == seconds

    @pytest.mark.parametrize("text", ["12:60", "1:2", "abc", "-0:01", "", True, -5])
    def it_rejects_what_is_not_a_time(self, text: object) -> None:
        with pytest.raises(ValueError, match="expected a time"):
            parse_timecode(text)


class DescribeFormatTimecode:
    @pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (754, "12:34"), (3723, "1:02:03"), (7.25, "0:07.25")])
    def it_writes_the_authors_form(self, seconds: float, text: str) -> None:
        assert format_timecode(seconds) == text

    @pytest.mark.parametrize("seconds", [0, 5, 59.5, 754, 3723, 7322.125])
    def it_round_trips_through_the_parser(self, seconds: float) -> None:
        assert parse_timecode(format_timecode(seconds)) == seconds
