"""Questions out to the tools people already use, and back in: pure formatting only.

``forms`` derives what every format needs from a question (accepted forms of a
date, a numerical answer, feedback text); ``gift`` and ``moodle_xml`` write
Moodle's two formats; ``tabular`` writes and reads the CSV and the Quizlet-style
TSV; ``anki`` lays out the fields of an Anki note (the ``.apkg`` file itself is
written at the edge, in ``quizapp.exports``); ``gift_import`` reads GIFT back.
Questions in, text or bytes out: nothing here touches a file.
"""
