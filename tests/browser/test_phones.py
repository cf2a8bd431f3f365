"""The learner's pages on a phone (issue 23): the course page with a reflection stop open, TAKK's cards,
ordlista and lättläst, and the wide tables of a principal's page, each looked at upright (390×844), on its side
(844×390) and on a tablet (1,024×768) in one page load, with no word split across lines, no label clipped and
nothing scrolling sideways.

One server for the file: the project's own modules (no media, as on a fresh install, so every sign film is
missing but those the fixture adds) beside the short player course on the rendered demo clip.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from resurskurs.district.roster import Person, Role
from resurskurs.testing.browser import (
    ARTIFACTS,
    Guard,
    PrepareVar,
    demo_people,
    open_context,
    open_page,
    serious_violations,
)
from resurskurs.testing.content import PLAYER_FIXTURE
from resurskurs.testing.layout import PHONE, PHONE_ON_ITS_SIDE, SIZES, TABLET, emulate_touch, layout_problems, look_at
from resurskurs.testing.server import PlayerServer
from tests.browser.test_player import real_content

FILMED = ("arg", "glad", "ledsen", "radd", "trott")
"""The clips (media/takk/<name>.mp4) the fixture adds: the category Känslor has its films, no other word has."""
TRACKS = "-webkit-media-text-track-container"
"""Chromium's box for the subtitles inside a video's shadow tree."""
TEXT = 3
"""A text node's nodeType."""


@pytest.fixture(scope="module")
def phones(
    player_root: Path, tmp_path_factory: pytest.TempPathFactory, prepared_var: PrepareVar
) -> Iterator[tuple[PlayerServer, list[Person]]]:
    folder = tmp_path_factory.mktemp("phones")
    root = real_content(folder)
    shutil.copytree(PLAYER_FIXTURE / "courses" / "prova-pa", root / "courses" / "prova-pa")
    shutil.copytree(player_root / "films" / "media", root / "films" / "media")
    (root / "films" / "media" / "takk").mkdir()
    for name in FILMED:
        shutil.copy(root / "films" / "media" / "demo.webm", root / "films" / "media" / "takk" / f"{name}.mp4")
    people = prepared_var("demo-people", demo_people, folder / "var")
    running = PlayerServer(root, folder / "var").start()
    try:
        yield running, people
    finally:
        running.stop()


def staff(people: list[Person], number: int) -> Person:
    """A different learner per spec, so no spec finds another's film position or cards."""
    return [person for person in people if person.role is Role.STAFF][number]


def opened(browser: Browser, server: PlayerServer, person: Person, guard: Guard, query: str) -> Page:
    page = open_context(browser, server, person, guard).new_page()
    page.set_viewport_size({"width": PHONE.width, "height": PHONE.height})
    emulate_touch(page, True)
    return open_page(page, server.url + query)


def subtitle_sizes(page: Page) -> list[float]:
    """The font size of each subtitle line on screen, in px, read where the browser draws it: the video's own
    shadow tree (its text track container), which page scripts cannot reach."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    tree = session.send("DOM.getDocument", {"depth": -1, "pierce": True})
    lines: list[int] = []

    def walk(node: dict[str, Any], in_track: bool) -> None:
        attributes = node.get("attributes", [])
        inside = in_track or dict(zip(attributes[::2], attributes[1::2], strict=True)).get("pseudo") == TRACKS
        if inside and node.get("nodeType") == TEXT and node.get("nodeValue", "").strip():
            lines.append(node["parentId"])
        for child in [*node.get("children", []), *node.get("shadowRoots", [])]:
            walk(child, inside)

    walk(tree["root"], False)
    sizes = []
    for parent in lines:
        style = session.send("CSS.getComputedStyleForNode", {"nodeId": parent})["computedStyle"]
        sizes.append(float(next(p["value"] for p in style if p["name"] == "font-size").removesuffix("px")))
    session.detach()
    return sizes


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def stop_facts(page: Page) -> dict[str, object]:
    """Where the open stop is, what it shows and what has focus, in the window as it is now."""
    stage, video, stop = box(page, ".rk-stage"), box(page, ".rk-stage video"), box(page, ".rk-stop")
    question, area = box(page, ".rk-stop .rk-prompt"), box(page, ".rk-stop textarea")
    line = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.rk-stop textarea')).lineHeight)"))
    bar = box(page, ".rk-jump-bar")
    return {
        "below the film": stop["y"] >= video["y"] + video["height"] - 1,
        "over the film": abs(stop["y"] - stage["y"]) < 1 and abs(stop["height"] - stage["height"]) < 1,
        "question in view": question["y"] >= bar["y"] + bar["height"] - 1
        and question["y"] + question["height"] <= page.viewport_size["height"],  # type: ignore[index]
        "question whole": page.locator(".rk-stop").evaluate("(stop) => stop.scrollHeight <= stop.clientHeight + 1"),
        "lines to write": int(area["height"] // line),
        "focus": page.evaluate("document.activeElement.matches('.rk-stop textarea')"),
        "shortcut hint shown": page.locator(".rk-help").is_visible(),
    }


def disclosure(page: Page, selector: str) -> tuple[str, str, bool]:
    """What a <details> shows of its state: the arrow before its name, the word after it, and whether it is open."""
    before, after, is_open = page.locator(selector).evaluate(
        """(details) => { const summary = details.querySelector('summary');
             const shown = (pseudo) => getComputedStyle(summary, pseudo).content.split(' / ')[0].replaceAll('"', '');
             return [shown('::before'), shown('::after'), details.open]; }"""
    )
    return before, after, is_open


def into_view(page: Page, selector: str) -> None:
    """`selector` at the top of the window, below the sticky bar of part links where the page has one."""
    page.evaluate(
        """(selector) => { const target = document.querySelector(selector);
           const bar = document.querySelector('.rk-jump-bar')?.getBoundingClientRect().height ?? 0;
           window.scrollBy(0, target.getBoundingClientRect().top - bar - 8); }""",
        selector,
    )


class DescribeTheLayoutCheck:
    def it_finds_a_split_word_a_clipped_label_and_a_page_that_scrolls_sideways(self, browser: Browser) -> None:
        page = browser.new_page(viewport={"width": 390, "height": 600})
        page.set_content(
            '<p style="width: 3em; overflow-wrap: anywhere">smörgås</p>'
            '<button style="width: 4em; white-space: nowrap; overflow: hidden">Gruppträff</button>'
            '<div style="width: 500px">bred</div><p>Här får allt plats.</p>'
        )
        problems = layout_problems(page)
        page.set_content("<p>Här får allt plats, också smörgås och gruppträff.</p><button>Gruppträff</button>")
        assert (problems, layout_problems(page)) == (
            ['split word: "smörgås" in <p>', 'clipped: <button> "Gruppträff"', "the page scrolls 118 px sideways"],
            [],
        )
        page.close()


class DescribeAReflectionStop:
    def it_opens_below_the_film_on_a_phone_with_the_whole_question_and_four_lines_and_over_it_on_a_tablet(
        self, browser: Browser, phones: tuple[PlayerServer, list[Person]], guard: Guard
    ) -> None:
        server, people = phones
        page = opened(browser, server, staff(people, 0), guard, "?kurs=prova-pa")
        page.get_by_label("Hastighet").select_option("1.5")
        page.evaluate("document.querySelector('.rk-player video').play()")
        page.wait_for_function("(document.querySelector('.rk-player video').textTracks[0].activeCues || []).length > 0")
        page.evaluate("document.querySelector('.rk-player video').pause()")
        subtitles = subtitle_sizes(page)
        page.locator(".rk-stage").screenshot(path=str(ARTIFACTS / f"phone-subtitles-{PHONE.name}.png"))
        page.evaluate("document.querySelector('.rk-player video').play()")
        expect(page.locator(".rk-stop textarea")).to_be_visible(timeout=20_000)
        opening = stop_facts(page)

        found, facts = {}, {}
        for size in SIZES:
            touch = size != TABLET

            def prepare(touch: bool = touch) -> None:
                emulate_touch(page, touch)
                page.locator(".rk-stop").evaluate("(stop) => stop.scrollIntoView({ block: 'nearest' })")

            found[size.name] = look_at(page, "phone-stop", size, prepare=prepare)
            facts[size.name] = stop_facts(page)
        logbook = page.locator(".rk-logbook summary")
        closed = disclosure(page, ".rk-logbook")
        logbook.click()
        opened_logbook = disclosure(page, ".rk-logbook")
        page.locator(".rk-logbook").screenshot(path=str(ARTIFACTS / f"phone-logbook-{TABLET.name}.png"))
        page.context.close()

        assert subtitles and min(subtitles) >= 16, subtitles
        assert opening == facts[PHONE.name], "the stop opens with its question and box in view, the box focused"
        assert found == {size.name: [] for size in SIZES}
        on_a_phone = {
            "below the film": True,
            "over the film": False,
            "question in view": True,
            "question whole": True,
            "lines to write": 4,
            "focus": True,
            "shortcut hint shown": False,
        }
        on_a_laptop = on_a_phone | {"below the film": False, "over the film": True, "shortcut hint shown": True}
        assert facts == {PHONE.name: on_a_phone, PHONE_ON_ITS_SIDE.name: on_a_phone, TABLET.name: on_a_laptop}
        assert (closed, opened_logbook) == (("▸", "Visa", False), ("▾", "Dölj", True))


class DescribeSignsOnAPhone:
    def it_keeps_each_word_with_its_sentence_says_once_which_films_are_missing_and_fits_every_size(
        self, browser: Browser, phones: tuple[PlayerServer, list[Person]], guard: Guard
    ) -> None:
        server, people = phones
        page = opened(browser, server, staff(people, 1), guard, "?kurs=takk")
        notices = page.locator(".rk-no-clips")
        expect(notices).to_have_count(1)
        expect(notices).to_contain_text(
            "Till 55 av 60 ord finns ingen film med tecknet än. Lär dig de tecknen på talpedagogens TAKK-utbildning"
        )
        expect(notices).to_contain_text("resurskurs signs add")
        expect(page.locator("#rk-main")).not_to_contain_text("saknas")
        expect(page.locator(".rk-clip-missing")).to_have_count(0)
        words = page.locator("#rk-ordlista")
        words.locator("summary").click()
        expect(words.get_by_role("link", name="Se tecknet för glad")).to_be_visible()
        expect(words.get_by_role("link", name="Se tecknet")).to_have_count(len(FILMED))
        page.locator("#rk-lattlast summary").click()

        apart: dict[str, list[str]] = {}
        found = {}
        for size in SIZES:
            found[size.name] = look_at(
                page,
                "phone-takk",
                size,
                {"ordlista": "#rk-ordlista", "lattlast": "#rk-lattlast", "cards": ".rk-flashcards"},
                lambda: into_view(page, "#rk-tecken"),
            )
            apart[size.name] = words_apart_from_their_sentence(page)
        assert serious_violations(page) == []
        page.context.close()
        assert found == {size.name: [] for size in SIZES}
        assert apart == {size.name: [] for size in SIZES}


def words_apart_from_their_sentence(page: Page) -> list[str]:
    """Words of the ordlista and lättläst whose sentence is neither beside them nor right below them."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('.rk-words dt, .rk-word-list dt')].filter((word) => {
                 const sentence = word.nextElementSibling.getBoundingClientRect(), own = word.getBoundingClientRect();
                 const beside = Math.abs(sentence.top - own.top) < 2 && sentence.left >= own.right;
                 const below = sentence.top >= own.bottom - 1 && sentence.top - own.bottom < 8
                   && Math.abs(sentence.left - own.left) < 2;
                 return !(beside || below);
               }).map((word) => word.textContent)"""
        )
    )


def wide_tables(page: Page) -> list[dict[str, object]]:
    """Each table's scroll box: whether it is wider than its box, whether the hint and the edge shadow show, and
    how a keyboard and a screen reader meet it."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('.rk-scroll-area')].map((area) => {
                 const box = area.querySelector('.rk-table-wrap');
                 const shadow = getComputedStyle(area.querySelector('.rk-scroll-frame'), '::after').content;
                 return {
                   scrolls: box.scrollWidth > box.clientWidth,
                   hint: area.querySelector('.rk-scroll-hint').checkVisibility(),
                   shadow: shadow !== 'none',
                   region: box.getAttribute('role') === 'region' && box.tabIndex === 0
                     && box.getAttribute('aria-label') === box.querySelector('caption').textContent,
                 };
               })"""
        )
    )


class DescribeAWideTable:
    def it_says_it_scrolls_sideways_and_shades_the_side_with_more_until_the_end(
        self, browser: Browser, phones: tuple[PlayerServer, list[Person]], guard: Guard
    ) -> None:
        server, people = phones
        principal = next(person for person in people if person.role is Role.PRINCIPAL)
        page = open_page(open_context(browser, server, principal, guard).new_page(), server.url + "?vy=enhet")
        found = {}
        tables = {}
        for size in SIZES:
            found[size.name] = look_at(page, "phone-unit", size, prepare=lambda: into_view(page, ".rk-scroll-area"))
            tables[size.name] = wide_tables(page)
        page.set_viewport_size({"width": PHONE.width, "height": PHONE.height})
        box = page.locator(".rk-table-wrap").first
        box.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
        expect(page.locator(".rk-scroll-area").first).to_have_attribute("data-at-end", "")
        at_the_end = wide_tables(page)[0]
        page.context.close()

        assert found == {size.name: [] for size in SIZES}
        assert any(table["scrolls"] for table in tables[PHONE.name]), "a phone needs at least one wide table"
        expected = {
            size: [table | {"hint": table["scrolls"], "shadow": table["scrolls"], "region": True} for table in seen]
            for size, seen in tables.items()
        }
        assert tables == expected
        assert at_the_end == {"scrolls": True, "hint": True, "shadow": False, "region": True}
