"""The French catalogues are complete: no interface string of ours shows in English on a French page.

``makemessages`` extracts every msgid of the project's apps (templates' ``{% translate %}`` and
``{% blocktranslate %}``, Python's ``gettext``/``gettext_lazy``/``_()``/``pgettext``/``ngettext``,
JavaScript's ``gettext``/``ngettext``/``pgettext``) from a temporary copy of the sources into a
temporary locale directory, so the committed catalogues are never rewritten; each msgid must have a
non-empty, non-fuzzy French msgstr in ``locale/fr/LC_MESSAGES/``. A failure lists what is missing
with where it is used: append those entries at the end of the catalogue (docs/development.md).

JavaScript that shows a sentence without passing it through ``gettext`` (a literal, or a wrapper
that ``makemessages`` cannot see, such as ``const t = (s) => gettext(s)``) is found by a second
test, which reads the scripts' string literals.
"""

import ast
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
APPS = ("civic", "signalements", "budget_participatif", "consultations", "cartes", "frontend")
SOURCE_SUFFIXES = (".py", ".html", ".txt", ".js")
NOT_INTERFACE = {"__pycache__", "migrations", "locale", "node_modules"}
CATALOGUES = ROOT / "locale" / "fr" / "LC_MESSAGES"

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msguniq") is None,
    reason="xgettext is missing: install the gettext Debian package (apt-get install gettext)",
)


# --- A small .po reader ------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    locations: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path: Path) -> dict[tuple[str | None, str], Entry]:
    """The entries of a .po file (obsolete ``#~`` entries and the header left out), by (msgctxt, msgid)."""
    entries, entry, current = {}, Entry(), None

    def finish():
        nonlocal entry, current
        if entry.msgid or entry.msgctxt is not None:
            entries[entry.key] = entry
        entry, current = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#~"):
            continue
        starts_entry = line.startswith(("#", "msgctxt ", "msgid "))
        if not line or (starts_entry and isinstance(current, tuple)):  # after a msgstr: a new entry
            finish()
            if not line:
                continue
        if line.startswith("#,"):
            entry.fuzzy = entry.fuzzy or "fuzzy" in line
        elif line.startswith("#:"):
            entry.locations.extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line):
            keyword, index, text = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword.startswith("msgstr"):
                current = ("msgstr", int(index or 0))
                entry.msgstr[current[1]] = text
            else:
                current = keyword
                setattr(entry, keyword, text)
        elif line.startswith('"') and current is not None:
            text = _unquote(line)
            if isinstance(current, tuple):
                entry.msgstr[current[1]] += text
            else:
                setattr(entry, current, (getattr(entry, current) or "") + text)
    finish()
    return entries


# --- Extraction ---------------------------------------------------------------------------------------


def _copy_sources(destination: Path) -> None:
    def ignore(directory, names):
        return [
            name
            for name in names
            if name in NOT_INTERFACE
            or (not os.path.isdir(os.path.join(directory, name)) and not name.endswith(SOURCE_SUFFIXES))
        ]

    for app in APPS:
        if (ROOT / app).is_dir():
            shutil.copytree(ROOT / app, destination / app, ignore=ignore)


# xgettext 0.21 does not look inside f-strings (``f"{_('edited by moderation')}"``): Python files are
# also read with ``ast``, which sees every call, and what it finds is added to makemessages' result.
PY_GETTEXT = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}


def python_msgids(path: Path, relative: str) -> dict[tuple[str | None, str], Entry]:
    """The msgids of one Python file's gettext-family calls whose arguments are literal strings."""
    found = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in PY_GETTEXT:
            continue
        context_index, msgid_index = PY_GETTEXT[name]
        args = [
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None for arg in node.args
        ]
        if len(args) <= msgid_index or not args[msgid_index]:
            continue
        context = args[context_index] if context_index is not None else None
        entry = found.setdefault((context, args[msgid_index]), Entry(msgid=args[msgid_index], msgctxt=context))
        entry.locations.append(f"{relative}:{node.lineno}")
    return found


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What ``makemessages -l fr`` finds in the apps, per domain, as fresh (untranslated) catalogues."""
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext is missing: install the gettext Debian package (apt-get install gettext)")
    work = tmp_path_factory.mktemp("messages")
    _copy_sources(work)
    locale = work / "locale"
    locale.mkdir()
    previous = os.getcwd()
    os.chdir(work)  # makemessages reads the current directory and writes to LOCALE_PATHS[0]
    try:
        with override_settings(LOCALE_PATHS=[str(locale)]):
            call_command("makemessages", locale=["fr"], domain="django", extensions=["html", "txt", "py"], verbosity=0)
            call_command("makemessages", locale=["fr"], domain="djangojs", extensions=["js"], verbosity=0)
    finally:
        os.chdir(previous)
    found = {domain: read_po(locale / "fr" / "LC_MESSAGES" / f"{domain}.po") for domain in ("django", "djangojs")}
    for path in sorted(work.rglob("*.py")):
        for key, entry in python_msgids(path, str(path.relative_to(work))).items():
            found["django"].setdefault(key, entry)
    return found


def _describe(entry: Entry, committed: Entry | None) -> str:
    what = "missing" if committed is None else ("fuzzy" if committed.fuzzy else "empty msgstr")
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    where = ", ".join(entry.locations[:3]) + (" ..." if len(entry.locations) > 3 else "")
    return f"  {context}{entry.msgid!r} ({what}) — {where}"


@needs_gettext
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_interface_string_has_a_french_translation(extracted, domain):
    committed = read_po(CATALOGUES / f"{domain}.po")
    found = extracted[domain]
    assert found, f"makemessages found no string for {domain}: the extraction itself is broken"
    untranslated = [
        _describe(entry, committed.get(key))
        for key, entry in sorted(found.items(), key=lambda item: (item[0][1], item[0][0] or ""))
        if key not in committed or not committed[key].translated
    ]
    assert not untranslated, (
        f"{len(untranslated)} string(s) have no French translation in locale/fr/LC_MESSAGES/{domain}.po "
        "(append msgid/msgstr pairs at its end, then compilemessages):\n" + "\n".join(untranslated)
    )


@needs_gettext
def test_the_check_sees_what_it_checks(extracted):
    """The extraction finds strings of each kind of source, so an empty result cannot pass for complete."""
    django, js = extracted["django"], extracted["djangojs"]
    locations = [location for entry in django.values() for location in entry.locations]
    assert any(location.startswith("frontend/templates/") for location in locations)
    assert any(location.startswith("civic/moderation/") and ".py:" in location for location in locations)
    assert (None, "Blocked") in django  # {% translate %} in moderation/admin/person.html
    assert (None, "%(spent)s of %(amount)s chosen, %(left)s left") in js  # the knapsack meter
    assert (None, "edited by moderation") in django  # inside an f-string in civic/discussions/comment_html.py


def test_python_calls_inside_f_strings_are_found(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from django.utils.translation import gettext as _, pgettext_lazy\n"
        "tag = f'<span>{escape(_(\"edited by moderation\"))}</span>'\n"
        "verb = pgettext_lazy('verb', 'Report')\n"
        "dynamic = _(name)\n",
        encoding="utf-8",
    )
    found = python_msgids(module, "m.py")
    assert set(found) == {(None, "edited by moderation"), ("verb", "Report")}
    assert found[(None, "edited by moderation")].locations == ["m.py:2"]


def test_the_po_reader_reads_plurals_contexts_fuzzy_and_continuations(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py:1\n#, fuzzy\nmsgid "Old"\nmsgstr "Vieux"\n\n'
        '#: b.js:2\nmsgid "%s report"\nmsgid_plural "%s reports"\nmsgstr[0] "%s signalement"\nmsgstr[1] ""\n\n'
        'msgctxt "verb"\nmsgid "Report"\nmsgstr ""\n"Signal"\n"er"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n',
        encoding="utf-8",
    )
    entries = read_po(po)
    assert set(entries) == {(None, "Old"), (None, "%s report"), ("verb", "Report")}
    assert entries[(None, "Old")].fuzzy and not entries[(None, "Old")].translated
    assert not entries[(None, "%s report")].translated  # one plural form is empty
    assert entries[("verb", "Report")].msgstr == {0: "Signaler"} and entries[("verb", "Report")].translated
    assert entries[(None, "%s report")].locations == ["b.js:2"]


# --- Sentences in JavaScript that bypass gettext ------------------------------------------------------

STRING_LITERAL = re.compile(r"""(?P<quote>["'`])(?P<text>(?:\\.|(?!(?P=quote)).)*)(?P=quote)""", re.S)
GETTEXT_CALL = re.compile(r"\b(?:gettext|ngettext|pgettext|npgettext|gettext_noop)\s*\(")


def _strip_comments(source: str) -> str:
    """The script with its comments blanked (strings kept, positions kept)."""
    out, index = [], 0
    pattern = re.compile(r"""//[^\n]*|/\*.*?\*/|(["'`])(?:\\.|(?!\1).)*\1""", re.S)
    for match in pattern.finditer(source):
        out.append(source[index : match.start()])
        text = match.group(0)
        out.append(text if match.group(1) else re.sub(r"[^\n]", " ", text))
        index = match.end()
    out.append(source[index:])
    return "".join(out)


def _call_spans(source: str) -> list[tuple[int, int]]:
    """Where the arguments of each gettext-family call are (from its parenthesis to the matching one)."""
    spans = []
    for match in GETTEXT_CALL.finditer(source):
        depth, position = 1, match.end()
        while depth and position < len(source):
            literal = STRING_LITERAL.match(source, position)
            if literal:
                position = literal.end()
                continue
            depth += {"(": 1, ")": -1}.get(source[position], 0)
            position += 1
        spans.append((match.end(), position))
    return spans


def looks_like_a_sentence(text: str) -> bool:
    """Words a person reads: three words or more, or two ending with sentence punctuation; CSS
    selectors, class lists and code are not."""
    text = re.sub(r"\$\{[^}]*\}", " ", text).strip()
    if not text or re.search(r"[<>{}=\[\]#/\\]|--|\w\.\w|^\.|:\w", text):
        return False
    words = [word for word in text.split() if re.search(r"[A-Za-zÀ-ÿ]{2,}", word)]
    return len(words) >= 3 or (len(words) == 2 and text[-1] in ".!?…:")


def hard_coded_sentences(source: str) -> list[tuple[int, str]]:
    """(line, text) of the sentences in a script that are not arguments of a gettext-family call."""
    source = _strip_comments(source)
    spans = _call_spans(source)
    found = []
    for literal in STRING_LITERAL.finditer(source):
        if any(start <= literal.start() < end for start, end in spans):
            continue
        if looks_like_a_sentence(literal.group("text")):
            found.append((source.count("\n", 0, literal.start()) + 1, literal.group("text")))
    return found


def _scripts():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.js")) if (ROOT / app).is_dir() else []:
            if not NOT_INTERFACE.intersection(path.relative_to(ROOT).parts):
                yield path


def test_scripts_pass_their_sentences_through_gettext():
    scripts = list(_scripts())
    assert any(path.name == "ballot.js" for path in scripts)
    problems = [
        f"  {path.relative_to(ROOT)}:{line}: {text!r}"
        for path in scripts
        for line, text in hard_coded_sentences(path.read_text(encoding="utf-8"))
    ]
    assert not problems, (
        "These scripts show sentences without gettext() (makemessages cannot see them, French pages show "
        "them in English); call gettext/ngettext by name:\n" + "\n".join(problems)
    )


def test_the_script_check_finds_what_it_should():
    source = """
    // A comment with several words in it.
    const t = (s) => gettext(s);
    el.className = "comment comment--reply";
    document.querySelector("tbody input[type=checkbox]:not(:disabled)");
    msg = t("%(spent)s of %(amount)s chosen, %(left)s left");
    ok = interpolate(gettext("Alert centre: latitude %(lat)s."), { lat: 1 }, true);
    plural = ngettext("%s report", "%s reports", n);
    fallback = window.gettext ? window.gettext("Go to the list") : "Go to the list";
    status.textContent = `Saved at ${time}, thank you.`;
    """
    assert [text for _line, text in hard_coded_sentences(source)] == [
        "%(spent)s of %(amount)s chosen, %(left)s left",
        "Go to the list",
        "Saved at ${time}, thank you.",
    ]
