"""Build `given_names.txt`, the privacy guard's list of given names, from a maintained name list.

Run `make given-names` after upgrading Faker or changing the supplement; a spec checks that the shipped file is
what this makes. The sources:

- Faker's person providers (MIT licence, https://github.com/joke2k/faker): the given names of the locales below,
  chosen for the languages of Stockholm's families. Its sv_SE names are the Institute for Language and Folklore's
  (Isof) name statistics, top 500 (2023). Cyrillic names (ru_RU, uk_UA) are written the Swedish and the English
  way, as families in Sweden spell them.
- `SUPPLEMENT` below, this project's own (MIT): common given names in Latin spelling from languages Faker has no
  Latin list for (Arabic, Persian and Dari, Kurdish, Somali, Tigrinya and Amharic, Bosnian and Albanian).
- Debian's Swedish word lists only *mark* a name that is also an ordinary Swedish word (björn, liv, saga): a name
  that `wswedish` (/usr/share/dict/swedish) lists in lower case, that hunspell's sv_SE dictionary (`hunspell-sv-se`,
  LGPL-3) accepts in lower case, or that `ORDINARY` below names. No word of theirs is copied into the file.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

OUTPUT = Path(__file__).with_name("given_names.txt")
SWEDISH_WORDS = Path("/usr/share/dict/swedish")

LOCALES = (
    "sv_SE", "fi_FI", "da_DK", "no_NO", "de_DE", "de_AT", "nl_NL", "fr_FR", "it_IT", "es_ES", "es_MX", "es_CL",
    "es_CO", "es_AR", "pt_BR", "pt_PT", "en_GB", "en_US", "en_IE", "en_PK", "en_IN", "en_KE", "en_NG", "ha_NG",
    "yo_NG", "ig_NG", "sw", "tw_GH", "zu_ZA", "pl_PL", "tr_TR", "az_AZ", "uz_UZ", "id_ID", "hr_HR", "sl_SI", "cs_CZ",
    "sk_SK", "hu_HU", "ro_RO", "lt_LT", "lv_LV", "et_EE", "vi_VN", "fr_DZ",
)  # fmt: skip
CYRILLIC_LOCALES = ("ru_RU", "uk_UA")

SUPPLEMENT = """
abdallah abdi abdiaziz abdikarim abdirahim abdirahman abdirizak abdulla abdullah abdullahi abdulrahman abel adnan
ahmad ahmed aicha alan almir amela amin amina amir amira amra anel arash arben arman armin aryan asad asos aya ayaan
ayah ayan ayesha azad babak baran bashir behnam bereket berivan besart biniam bilal blerim dara dariush dawit delal
deqa dilan driton duaa dzenan edin edina elma emina ermin fadumo faadumo farhad farhiya farid fartun fatima fatma
fatuma filmon filsan ghazal hamed hamid hamdi hamse hamza hamze hana hanan haris harun haroun hassan hawa hawre hewa
hibaaq hiba hinda hiwot hodan hossein huda hussain hussein ibrahim idris ifrah ilhan ilias ilyas iman isa ismail
jamal jamila jana jannah jannat jasmin jiyan kareem karim karima karwan kaveh kawa kenan khadra khaled khalid kian
kibrom kidane kourosh kowsar latifa layla leila lejla liban lina luwam mahad mahmoud mahsa majed majid malak mariam
marwa maryam masoud mebrat mehdi merhawi merima meron mihret milad mina mirza mohamed mohamud mohammad mohammed mohsen
mostafa moussa muhammad muna musa mustafa nabil nadia nasra nasrin natnael navid nawal nazanin nedim negin niloufar
nimco noor nour omar omid parisa payam pouya qamar rahaf rahel ramin rana rania rashid rawan rayan rebin reem reza
rojda rojin roya rozhin ryan saba saeed safa sagal sahar sahra salma saman samir samira sana sanaa segen selam semhar
senait setareh shadi shilan shirin shukri siavash sina soran soraya souad sumaya tarek tariq tesfay tesfaye ubah
umar vahid walid waleed warda warsame wei winta yahya yara yasaman yasin yasmin yasmine yassin yassine yohannes yonas
yordanos yousef youssef yusuf zahra zainab zakaria zakariya zamzam zana zaid zayd zeina zeinab zhiyar ziad ziyad
zlatan
"""

# Ordinary words the Swedish word list lacks but staff write in lower case: a name that is one is marked as a word.
ORDINARY = """
max mini team chef coach mentor dans gym bus nanny
"""

_SWEDISH_STYLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "zj", "з": "z", "и": "i", "й": "j",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "ch", "ц": "ts", "ч": "tj", "ш": "sj", "щ": "sjtj", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju",
    "я": "ja", "і": "i", "ї": "ji", "є": "je", "ґ": "g",
}  # fmt: skip


def _is_latin(word: str) -> bool:
    return all(not char.isalpha() or "LATIN" in unicodedata.name(char, "") for char in word)


def _parts(name: str) -> list[str]:
    """The single words of a given name ("Anna-Karin" gives anna and karin), lower case, NFC."""
    words = unicodedata.normalize("NFC", name).lower().replace("-", " ").split()
    return [word for word in words if len(word) >= 2 and word.isalpha()]


def _first_names(locale: str) -> list[str]:
    from faker import Generator

    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider(Generator())
    found: list[str] = []
    for attribute in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
        names = getattr(provider, attribute, None) or ()
        found.extend(names.keys() if isinstance(names, dict) else names)
    return found


def _transliterations(locale: str, name: str) -> set[str]:
    english = importlib.import_module(f"faker.providers.person.{locale}").translit(name)
    swedish = "".join(_SWEDISH_STYLE.get(char, char) for char in name.lower())
    return {english, swedish}


def faker_version() -> str:
    from importlib.metadata import version

    return version("faker")


def collect() -> set[str]:
    names: set[str] = set()
    for locale in LOCALES:
        names.update(part for name in _first_names(locale) if _is_latin(name) for part in _parts(name))
    for locale in CYRILLIC_LOCALES:
        for name in _first_names(locale):
            names.update(part for spelt in _transliterations(locale, name) for part in _parts(spelt))
    names.update(SUPPLEMENT.split())
    return {name for name in names if _is_latin(name)}


def swedish_words(names: set[str], path: Path = SWEDISH_WORDS) -> set[str]:
    """Those of `names` that are Swedish words in lower case (the word lists' capitalised entries are names)."""
    listed = {line.strip() for line in path.read_text(encoding="latin-1").splitlines() if line.strip().islower()}
    checked = subprocess.run(
        ["hunspell", "-d", "sv_SE", "-G"], input="\n".join(sorted(names)), capture_output=True, text=True, check=True
    )
    return (listed | set(checked.stdout.split()) | set(ORDINARY.split())) & names


def render(names: Iterable[str], words: set[str]) -> str:
    header = f"""\
# Given names for the privacy guard (src/resurskurs/tracking/privacy.py): one a line, lower case, NFC.
# "<TAB>ord" after a name marks one that is also an ordinary Swedish word (björn, liv, saga): the guard takes
# such a word for a name only where the text shows it is one.
# Made by `make given-names` (src/resurskurs/tracking/names_build.py); do not edit by hand.
# Sources: Faker {faker_version()} person providers, MIT licence (https://github.com/joke2k/faker); its sv_SE
# names are Isof's name statistics (top 500, 2023). Locales: {" ".join(LOCALES[:24])}
# {" ".join(LOCALES[24:])} {" ".join(CYRILLIC_LOCALES)} (the last two transliterated).
# Supplement and marking: this project (MIT); Swedish words marked with Debian's wswedish and hunspell-sv-se.
"""
    lines = [f"{name}\tord" if name in words else name for name in sorted(names)]
    return header + "\n".join(lines) + "\n"


def main() -> None:
    names = collect()
    text = render(names, swedish_words(names))
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if OUTPUT.read_text(encoding="utf-8") == text else 1)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(names)} names)")


if __name__ == "__main__":
    main()
