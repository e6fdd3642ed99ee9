"""Every export built from the real bank, and opened by what reads it in the world:
the real Anki backend (the ``anki`` package) for the .apkg, a strict GIFT grammar and
pygiftparser for GIFT, Moodle's question structure for the XML, and the importer for
CSV and TSV (round trips)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from anki.collection import Collection
from anki.import_export_pb2 import (
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportAnkiPackageUpdateCondition,
)
from flask import Flask
from helpers.clock import CLOCK_START

from quizapp.config import DEFAULT_BANK_DIR
from quizapp.core.bank import Bank, BankQuestion, choice_order
from quizapp.core.exports.anki import GAP, note_guid
from quizapp.core.exports.gift import to_gift
from quizapp.core.exports.gift_reader import blocks, read_block
from quizapp.core.exports.importing import read_questions
from quizapp.core.exports.moodle_xml import to_moodle_xml
from quizapp.core.exports.tabular import CSV_COLUMNS, to_csv, to_tsv
from quizapp.core.parsing import parse_quantity
from quizapp.exports.apkg import to_apkg
from quizapp.persistence.bank_files import load_bank

LATER = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(DEFAULT_BANK_DIR)


@pytest.fixture(scope="module")
def titles(bank: Bank) -> dict[str, str]:
    return {key: source.title for key, source in bank.sources.items()}


# ---------------------------------------------------------------- Anki


def _import_apkg(collection: Collection, path: Path) -> None:
    options = ImportAnkiPackageOptions(
        merge_notetypes=True,
        update_notes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
    )
    collection.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(path), options=options)
    )


def _notes_by_guid(collection: Collection) -> dict[str, object]:
    return {
        collection.get_note(nid).guid: collection.get_note(nid) for nid in collection.find_notes("")
    }


def test_the_apkg_imports_into_anki_with_every_note_and_field(
    bank: Bank, titles: dict[str, str], tmp_path: Path
) -> None:
    package = tmp_path / "bank.apkg"
    package.write_bytes(to_apkg(bank.questions, titles, CLOCK_START))
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        _import_apkg(collection, package)
        notes = _notes_by_guid(collection)
        assert len(notes) == len(bank.questions)
        deck_names = {deck.name for deck in collection.decks.all_names_and_ids()}
        assert {
            "October Revolution 1917",
            "October Revolution 1917::Dates",
            "October Revolution 1917::Key figures",
        } <= deck_names
        for question in bank.questions:
            note = notes[note_guid(question.id)]
            fields = dict(note.items())
            model = note.note_type()
            assert fields["QuestionId"] == question.id
            if question.kind == "cloze":
                assert model["type"] == 1  # Anki's cloze note type
                answer = str(question.answer).replace("&", "&amp;").replace("'", "&#x27;")
                assert "{{c1::" + answer + "}}" in fields["Text"]
                assert not GAP.search(fields["Text"])
            else:
                assert model["type"] == 0
                assert fields["Prompt"].startswith(_html(question.prompt)[:40])
            assert _html(question.evidence) in fields["Evidence"]
            assert _html(titles[question.source]) in fields["Source"]
            assert _html(question.explanation) == fields["Explanation"]
            assert fields["Note"] == _html(question.note or "")
            assert sorted(note.tags) == sorted(question.tags)
            card_deck = collection.decks.name(note.cards()[0].did)
            assert card_deck.startswith("October Revolution 1917::")
        assert len(collection.find_cards("")) == len(bank.questions)
    finally:
        collection.close()


def _html(text: str) -> str:
    import html

    return html.escape(" ".join(text.split()))


def _import_notes(package: bytes, folder: Path) -> dict[str, dict[str, str]]:
    """The notes' fields as Anki's own backend reads them back, by question id."""
    folder.mkdir()
    path = folder / "bank.apkg"
    path.write_bytes(package)
    collection = Collection(str(folder / "collection.anki2"))
    try:
        _import_apkg(collection, path)
        fields = [dict(note.items()) for note in _notes_by_guid(collection).values()]
    finally:
        collection.close()
    return {item["QuestionId"]: item for item in fields}


def _listed_choices(prompt_field: str) -> list[str]:
    import html

    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", prompt_field)]


def test_every_cloze_read_back_by_anki_keeps_the_text_around_its_gap(
    bank: Bank, titles: dict[str, str], tmp_path: Path
) -> None:
    import html

    notes = _import_notes(to_apkg(bank.questions, titles, CLOCK_START), tmp_path / "anki")
    clozes = [q for q in bank.questions if q.kind == "cloze"]
    assert clozes
    for question in clozes:
        text = html.unescape(notes[question.id]["Text"])
        before, _, rest = text.partition("{{c1::")
        answer, _, after = rest.partition("}}")
        source_before, source_after = GAP.split(question.prompt, maxsplit=1)
        assert (before, answer, after) == (source_before, question.answer, source_after)


def test_choices_come_in_a_stable_shuffled_order_the_api_shares(
    bank: Bank, titles: dict[str, str], tmp_path: Path
) -> None:
    first = _import_notes(to_apkg(bank.questions, titles, CLOCK_START), tmp_path / "first")
    second = _import_notes(to_apkg(bank.questions, titles, LATER), tmp_path / "second")
    multiple = [q for q in bank.questions if q.kind == "choice"]
    right_first = 0
    for question in multiple:
        listed = _listed_choices(first[question.id]["Prompt"])
        assert sorted(listed) == sorted(question.choices)
        assert listed == _listed_choices(second[question.id]["Prompt"])
        assert tuple(listed) == choice_order(question.id, question.choices)
        right_first += listed[0] == question.answer
    # The bank lists the right answer first; shuffled, it leads about 1 in n times.
    expected = sum(1 / len(q.choices) for q in multiple)
    assert 0.5 * expected <= right_first <= 1.5 * expected


def test_importing_a_newer_apkg_updates_the_notes_instead_of_doubling_them(
    bank: Bank, titles: dict[str, str], tmp_path: Path
) -> None:
    first = tmp_path / "first.apkg"
    first.write_bytes(to_apkg(bank.questions, titles, CLOCK_START))
    edited_id = bank.questions[0].id
    edited = [
        replace(q, explanation="A newer explanation.") if q.id == edited_id else q
        for q in bank.questions
    ]
    newer = tmp_path / "newer.apkg"
    newer.write_bytes(to_apkg(edited, titles, LATER))
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        _import_apkg(collection, first)
        cards = len(collection.find_cards(""))
        _import_apkg(collection, newer)
        notes = _notes_by_guid(collection)
        assert len(notes) == len(bank.questions)
        assert len(collection.find_cards("")) == cards
        assert dict(notes[note_guid(edited_id)].items())["Explanation"] == "A newer explanation."
        assert len(collection.models.all_names_and_ids()) == 2 + len(
            [m for m in collection.models.all_names_and_ids() if not m.name.startswith("quizapp")]
        )
    finally:
        collection.close()


# ---------------------------------------------------------------- GIFT

#: The GIFT grammar the export must follow, checked without the app's own reader:
#: every unescaped special character stands where the grammar puts it.
_TEXT = r"(?:[^~=#{}:\\]|\\[~=#{}:\\])+"
_QUESTION = re.compile(
    rf"::{_TEXT}::{_TEXT}\{{(?P<answers>.*?)\s####{_TEXT}\}}(?:{_TEXT})?", re.DOTALL
)
_ANSWER_ITEM = re.compile(rf"[=~]{_TEXT}(?:\s->\s\d+)?")
_NUMERICAL = re.compile(r"#\d+:0")
_CATEGORY = re.compile(rf"\$CATEGORY: \$course\$/top/{_TEXT}/{_TEXT}")


def test_the_gift_file_follows_the_grammar_strictly(bank: Bank, titles: dict[str, str]) -> None:
    text = to_gift(bank.questions, titles)
    questions = 0
    for _, block in blocks(text):
        if block.startswith("$CATEGORY"):
            assert _CATEGORY.fullmatch(block), block
            continue
        match = _QUESTION.fullmatch(block)
        assert match, block
        answers = match.group("answers").strip()
        if not _NUMERICAL.fullmatch(answers):
            items = re.split(r"(?<!\\)\s(?=[=~])", answers)
            assert all(_ANSWER_ITEM.fullmatch(item) for item in items), answers
        questions += 1
    assert questions == len(bank.questions)


def test_pygiftparser_reads_every_question_as_the_kind_it_is(bank: Bank) -> None:
    from pygiftparser import parser

    parsed = parser.parseFile(io.StringIO(to_gift(bank.questions)))
    assert len(parsed) == len(bank.questions)
    assert all(question.valid for question in parsed)
    kinds = Counter(type(question.answers).__name__ for question in parsed)
    by_kind = Counter(q.kind for q in bank.questions)
    votes = sum(1 for q in bank.questions if q.kind == "number" and " to " in str(q.answer))
    assert kinds["SelectSet"] == by_kind["choice"]
    assert kinds["MatchingSet"] == by_kind["order"]
    assert kinds["NumericAnswerSet"] == by_kind["number"] - votes
    assert kinds["ShortSet"] == by_kind["short"] + by_kind["cloze"] + by_kind["date"] + votes


def test_gift_escapes_every_special_character() -> None:
    tricky = BankQuestion(
        id="tricky",
        kind="short",
        category="events",
        prompt="Which {mark} = ~ # : \\ came first?",
        answer="A: {b}",
        source="s",
        evidence="e = mc#2",
        explanation="x ~ y",
    )
    text = to_gift([tricky])
    assert "Which \\{mark\\} \\= \\~ \\# \\: \\\\ came first?" in text
    assert "=A\\: \\{b\\}" in text
    read = read_block(1, text.split("\n\n")[-1].strip())
    assert read.error is None
    assert read.raw["prompt"] == "Which {mark} = ~ # : \\ came first?"
    assert read.raw["answer"] == "A: {b}"


SCRIPT = "<script>alert('x')</script>"


def _hostile_questions() -> list[BankQuestion]:
    """A teacher's own questions carrying HTML in every text Moodle shows."""
    own = {"source": "", "evidence": "", "grounded": False, "category": "events"}
    return [
        BankQuestion(
            id="own-choice",
            kind="choice",
            prompt=f"Which {SCRIPT} & <b>bold</b> came first?",
            answer="<i>Lenin</i>",
            choices=("<i>Lenin</i>", "Kerensky & co", "[html]<img src=x onerror=alert(1)>"),
            explanation=f"[markdown]Because {SCRIPT}",
            **own,
        ),
        BankQuestion(
            id="own-order",
            kind="order",
            prompt="Put <u>these</u> in order",
            answer=("<em>July Days</em>", "Kornilov & the army", "October"),
            explanation="In order.",
            **own,
        ),
        BankQuestion(
            id="own-short",
            kind="short",
            prompt=f"{SCRIPT} who?",
            answer="a<b & c",
            explanation="",
            **own,
        ),
    ]


def test_gift_writes_shown_text_as_escaped_html_so_markup_is_inert() -> None:
    """Issue 22, finding 8: a teacher's ``<script>`` came out raw, and Moodle reads GIFT
    text as HTML; the XML export escaped it already."""
    text = to_gift(_hostile_questions())
    questions = [block for _, block in blocks(text) if block.startswith("::")]
    assert all(re.match(r"::[^:]+::\[html\]", block) for block in questions)
    assert "<script" not in text
    assert "<img" not in text
    assert "<i>" not in text
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in text
    assert "~Kerensky &amp; co" in text
    assert "~&\\#91;html]&lt;img" in text  # a leading [ would be a format marker of its own
    assert "####&\\#91;markdown]Because" in text
    assert "=&lt;em&gt;July Days&lt;/em&gt; -> 1" in text
    assert "=a<b & c " in text  # a short answer is what a student types, never HTML


def test_gift_with_html_reads_back_as_written_in_pygiftparser_and_the_importer() -> None:
    from pygiftparser import parser

    questions = _hostile_questions()
    parsed = parser.parseFile(io.StringIO(to_gift(questions)))
    assert [q.valid for q in parsed] == [True] * len(questions)
    assert all(q.markup == "html" for q in parsed)
    for question in parsed:
        assert "<script" not in question.toHTML().getvalue()
    imported = read_questions(to_gift(questions).encode(), "gift", "events")
    for original, item in zip(questions, imported, strict=True):
        back = item.question
        assert (back.prompt, back.answer, back.choices) == (
            original.prompt,
            original.answer,
            original.choices,
        )
        assert back.explanation.startswith(original.explanation)


# ---------------------------------------------------------------- Moodle XML

MOODLE_TYPES = {"category", "multichoice", "shortanswer", "numerical", "matching"}


def _text_of(element: ET.Element, tag: str) -> str:
    found = element.find(f"{tag}/text")
    assert found is not None, f"{element.get('type')} lacks {tag}/text"
    return found.text or ""


def _check_moodle_question(question: ET.Element) -> None:
    """What Moodle's qformat_xml import reads for each type, and requires to save it."""
    qtype = question.get("type")
    assert qtype in MOODLE_TYPES
    if qtype == "category":
        assert _text_of(question, "category").startswith("$course$/top/")
        return
    assert _text_of(question, "name")
    assert question.find("questiontext").get("format") == "html"
    assert _text_of(question, "questiontext").startswith("<p>")
    assert question.find("generalfeedback").get("format") == "html"
    assert float(question.findtext("defaultgrade")) == 1.0
    assert 0 <= float(question.findtext("penalty")) <= 1
    assert question.findtext("hidden") == "0"
    answers = question.findall("answer")
    fractions = [float(a.get("fraction")) for a in answers]
    if qtype == "multichoice":
        assert question.findtext("single") == "true"
        assert question.findtext("shuffleanswers") in ("true", "false", "1", "0")
        assert question.findtext("answernumbering") in ("abc", "ABCD", "123", "none")
        assert 3 <= len(answers) <= 6
        assert fractions.count(100.0) == 1
        assert all(f in (0.0, 100.0) for f in fractions)
    elif qtype == "shortanswer":
        assert question.findtext("usecase") in ("0", "1")
        assert answers
        assert all(f == 100.0 for f in fractions)
        assert all(_text_of_answer(a) for a in answers)
    elif qtype == "numerical":
        assert len(answers) == 1
        assert fractions == [100.0]
        float(_text_of_answer(answers[0]))
        assert float(answers[0].findtext("tolerance")) == 0
    else:  # matching: at least two subquestions and three answers, every one filled in
        subquestions = question.findall("subquestion")
        assert len(subquestions) >= 3
        assert all(s.findtext("text") and s.findtext("answer/text") for s in subquestions)
        places = [s.findtext("answer/text") for s in subquestions]
        assert places == [str(n) for n in range(1, len(places) + 1)]
    for tags in question.findall("tags"):
        assert all(tag.findtext("text") for tag in tags.findall("tag"))


def _text_of_answer(answer: ET.Element) -> str:
    return answer.findtext("text") or ""


def test_the_moodle_xml_has_the_question_structure_moodle_expects(
    bank: Bank, titles: dict[str, str]
) -> None:
    root = ET.fromstring(to_moodle_xml(bank.questions, titles))  # noqa: S314 (our own output)
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert len(questions) == len(bank.questions) + len({q.category for q in bank.questions})
    for question in questions:
        _check_moodle_question(question)
    names = [_text_of(q, "name") for q in questions if q.get("type") != "category"]
    assert sorted(names) == sorted(q.id for q in bank.questions)
    date_question = next(q for q in bank.questions if q.id == "date-central-committee-meeting")
    element = next(q for q in questions if q.findtext("name/text") == date_question.id)
    accepted = [a.findtext("text") for a in element.findall("answer")]
    assert {"10 October 1917", "October 10, 1917", "10/10/1917", "10 October"} <= set(accepted)
    assert "Old Style" in _text_of(element, "generalfeedback")
    assert "twelve party leaders" in _text_of(element, "generalfeedback")


# ---------------------------------------------------------------- CSV and TSV


def test_the_csv_round_trips_through_the_importer(bank: Bank) -> None:
    text = to_csv(bank.questions)
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    imported = read_questions(text.encode(), "csv", "events")
    assert len(imported) == len(bank.questions)
    for original, item in zip(bank.questions, imported, strict=True):
        back = item.question
        assert not back.grounded
        assert (back.kind, back.category, back.prompt, back.answer) == (
            original.kind,
            original.category,
            original.prompt,
            original.answer,
        )
        assert (back.tags, back.accepted, back.choices) == (
            original.tags,
            original.accepted,
            original.choices,
        )
        assert (back.explanation, back.note) == (original.explanation, original.note)


def test_the_tsv_round_trips_through_the_importer(bank: Bank) -> None:
    text = to_tsv(bank.questions)
    assert all(line.count("\t") == 1 for line in text.splitlines())
    imported = read_questions(text.encode(), "tsv", "events")
    assert [(i.question.prompt, str(i.question.answer)) for i in imported] == [
        (" ".join(q.prompt.split()), q.answer_text) for q in bank.questions
    ]


def test_the_gift_round_trips_through_the_importer(bank: Bank) -> None:
    imported = read_questions(to_gift(bank.questions).encode(), "gift", "events")
    in_file_order = sorted(bank.questions, key=lambda q: q.category)
    assert len(imported) == len(in_file_order)
    for original, item in zip(in_file_order, imported, strict=True):
        back = item.question
        assert (back.kind, back.category) == (original.kind, original.category)
        if original.kind == "number":  # Moodle's numerical answer is bare digits: 26000
            assert parse_quantity(str(back.answer)) == parse_quantity(str(original.answer))
        else:
            assert back.answer == original.answer
        assert GAP.sub("___", back.prompt) == GAP.sub("___", " ".join(original.prompt.split()))
        if original.kind in ("short", "cloze"):
            assert back.accepted == original.accepted
        if original.kind == "choice":
            assert back.choices == original.choices
        assert back.explanation.startswith(" ".join(original.explanation.split()))


# ---------------------------------------------------------------- the command line


def test_the_cli_still_prints_json_by_default_and_exports_every_format(
    app: Flask, bank: Bank, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    default = runner.invoke(args=["bank", "export"])
    assert default.exit_code == 0, default.output
    assert len(json.loads(default.output)) == len(bank.questions)

    gift = runner.invoke(args=["bank", "export", "--format", "gift", "--category", "slogans"])
    assert gift.exit_code == 0, gift.output
    slogans = [q for q in bank.questions if q.category == "slogans"]
    assert gift.output.count("::") == 2 * len(slogans)
    assert "$CATEGORY: $course$/top/October Revolution 1917/Slogans" in gift.output

    tagged = runner.invoke(args=["bank", "export", "--format", "csv", "--tag", "lenin"])
    rows = list(csv.DictReader(io.StringIO(tagged.output)))
    assert {row["id"] for row in rows} == {q.id for q in bank.questions if "lenin" in q.tags}

    refused = runner.invoke(args=["bank", "export", "--format", "apkg"])
    assert refused.exit_code != 0
    assert "--output" in refused.output

    path = tmp_path / "bank.apkg"
    written = runner.invoke(args=["bank", "export", "--format", "apkg", "--output", str(path)])
    assert written.exit_code == 0, written.output
    with zipfile.ZipFile(path) as archive:
        assert "collection.anki2" in archive.namelist()
    xml_path = tmp_path / "bank.xml"
    runner.invoke(args=["bank", "export", "--format", "moodle-xml", "--output", str(xml_path)])
    assert xml_path.read_bytes().startswith(b"<?xml")
