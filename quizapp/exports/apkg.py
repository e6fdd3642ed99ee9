"""The Anki package (``.apkg``), written with ``genanki`` from the core's note layout.

genanki builds an SQLite collection in a file and zips it; here that file is a
temporary one that is removed at once, and the package is returned as bytes.
Note GUIDs, note-type ids and deck ids are fixed (``quizapp.core.exports.anki``),
so a student importing a newer export has their notes updated, not doubled.

genanki is imported on the first export, not with the app: a worker that never
writes a package does not hold it.
"""

from __future__ import annotations

import io
import itertools
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.core.bank import BankQuestion
from quizapp.core.exports.anki import (
    BASIC_FIELDS,
    BASIC_MODEL_ID,
    CLOZE_FIELDS,
    CLOZE_MODEL_ID,
    PARENT_DECK_ID,
    anki_note,
    deck_id,
)
from quizapp.core.exports.forms import COLLECTION

if TYPE_CHECKING:
    import genanki

CSS = """.card { font-family: Georgia, serif; font-size: 20px; color: #222; background: #fffdf8;
  max-width: 40em; margin: 0 auto; text-align: left; }
.explanation { margin-top: 1em; }
.evidence { margin: 1em 0 .2em; padding-left: .8em; border-left: 4px solid #b3261e;
  font-style: italic; }
.source { font-size: 15px; color: #555; }
.note { margin-top: 1em; padding: .5em; background: #fff3c4; border: 1px solid #b08900; }
.cloze { font-weight: bold; color: #b3261e; }"""

_BACK = """<hr id="answer">{{Answer}}
<div class="explanation">{{Explanation}}</div>
{{#Evidence}}<div class="evidence">{{Evidence}}</div>{{/Evidence}}
{{#Source}}<div class="source">{{Source}}</div>{{/Source}}
{{#Note}}<div class="note"><b>Note on the sources:</b> {{Note}}</div>{{/Note}}"""


@cache
def _models() -> tuple[genanki.Model, genanki.Model]:
    """The note types, basic and cloze: built once, on the first export."""
    import genanki

    basic = genanki.Model(
        BASIC_MODEL_ID,
        "quizapp: October Revolution question",
        fields=[{"name": name} for name in BASIC_FIELDS],
        templates=[{"name": "Question", "qfmt": "{{Prompt}}", "afmt": "{{FrontSide}}" + _BACK}],
        css=CSS,
        sort_field_index=0,
    )
    cloze = genanki.Model(
        CLOZE_MODEL_ID,
        "quizapp: October Revolution cloze",
        fields=[{"name": name} for name in CLOZE_FIELDS],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}" + _BACK}],
        css=CSS,
        model_type=genanki.Model.CLOZE,
    )
    return basic, cloze


def to_apkg(
    questions: Iterable[BankQuestion], titles: Mapping[str, str] | None, now: datetime
) -> bytes:
    """The questions as an Anki package: a subdeck per category under one parent deck."""
    import genanki

    basic_model, cloze_model = _models()
    decks: dict[str, genanki.Deck] = {COLLECTION: genanki.Deck(PARENT_DECK_ID, COLLECTION)}
    for question in questions:
        note = anki_note(question, titles)
        deck = decks.setdefault(note.deck, genanki.Deck(deck_id(note.deck), note.deck))
        deck.add_note(
            genanki.Note(
                model=cloze_model if note.cloze else basic_model,
                fields=list(note.fields),
                tags=list(note.tags),
                guid=note.guid,
            )
        )
    return _package(genanki.Package(list(decks.values())), now.timestamp())


def _package(package: genanki.Package, timestamp: float) -> bytes:
    """genanki's ``write_to_file``, minus the temporary file it leaves behind."""
    import sqlite3  # on first use, as genanki: a worker on PostgreSQL never needs it

    out = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as folder:
        path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(path)
        try:
            package.write_to_db(
                connection.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
            connection.commit()
        finally:
            connection.close()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, "collection.anki2")
            archive.writestr("media", "{}")
    return out.getvalue()
