"""Item analysis for a teacher's assignment: which questions worked, and which need a look.

Classical test theory, kept to figures a teacher can read: how many got a
question right (facility), whether the students who did well overall tended to
get it right (discrimination), and the wrong answers given most often, which
show a shared misconception or a mistyped key.

Attempts may have been given different random subsets of the questions, so
every figure for a question uses only the attempts that were given it, and an
attempt's overall standing is its proportion correct, never its raw count.
Discrimination is "corrected": an attempt's standing leaves the question itself
out, or an item would partly correlate with itself and look better than it is.

Discrimination needs a sample: below MIN_FOR_DISCRIMINATION answers a question
gets no discrimination flag, and the report says how many answered and how many
it needs (small_sample_note), while the counts and facility still show.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Facility below this is flagged as hard.
HARD_BELOW = 0.3
#: Facility above this is flagged as easy, once at least MIN_FOR_EASY attempts had the question.
EASY_ABOVE = 0.9
#: With fewer attempts "everyone got it" is too weak a signal to call a question easy.
MIN_FOR_EASY = 5
#: Discrimination below this is flagged: the question barely separates strong from weak.
LOW_DISCRIMINATION = 0.2

#: Fewer answers than this give no discrimination flag: the figures swing too much to judge.
#:
#: Moodle's quiz statistics set no floor of their own; their calculations page
#: (docs.moodle.org/dev/Quiz_statistics_calculations) only notes that small data
#: sets may call for counting every attempt. Classical test theory guidance is
#: firmer: BYU's Assessment
#: Basics (open.byu.edu/Assessment_Basics/item_analsyis) cites 100-200
#: respondents for basic item analysis and asks for caution with classroom
#: tests, and Downing and Yudkowsky (as quoted in secondary item-analysis
#: literature) hold that about 30 examinees still give helpful information. 30 is that
#: lowest defensible floor; with a handful of students one answer can flip r's sign.
MIN_FOR_DISCRIMINATION = 30
#: Share of attempts in each of the upper and lower groups (Kelley's 27%).
GROUP_SHARE = 0.27
#: Fewer ranked attempts than this give no upper-lower figure: each group would be one student.
MIN_FOR_UPPER_LOWER = 4
#: A correlation needs at least this many pairs to mean anything.
MIN_PAIRS = 3
#: How many common wrong answers to show.
COMMON_WRONG_SHOWN = 3
#: How a blank response is shown among the wrong answers.
NO_ANSWER = "(no answer)"

FLAG_HARD = f"Hard: fewer than {HARD_BELOW:.0%} answered correctly"
FLAG_EASY = f"Easy: over {EASY_ABOVE:.0%} answered correctly"
FLAG_LOW_DISCRIMINATION = "Low discrimination: strong and weak students did about as well"
FLAG_NEGATIVE_DISCRIMINATION = "Negative discrimination: weaker students did better — check the key"


@dataclass(frozen=True)
class ItemResponse:
    """One attempt's answer to one question, as marked."""

    correct: bool
    response: str


@dataclass(frozen=True)
class ItemStats:
    """The figures and flags for one question; None where a figure is undefined."""

    question_id: str
    answered: int
    facility: float | None
    discrimination: float | None
    upper_lower: float | None
    common_wrong: tuple[tuple[str, int], ...]
    flags: tuple[str, ...]

    @property
    def enough_answers(self) -> bool:
        """Whether enough students answered for discrimination to mean much."""
        return self.answered >= MIN_FOR_DISCRIMINATION


def analyse_items(
    attempts: Sequence[Mapping[str, ItemResponse]], question_order: Sequence[str] | None = None
) -> list[ItemStats]:
    """Statistics for every question, in ``question_order`` or else in order of first appearance.

    A question in ``question_order`` that nobody was given still gets a row
    (answered 0), so the report lists the whole assignment; a question answered
    but missing from ``question_order`` is added at the end rather than dropped.
    """
    return [_item_stats(qid, attempts) for qid in _question_ids(attempts, question_order)]


def small_sample_note(answered: int) -> str | None:
    """The plain warning for a sample too small to judge by, or None when it is big enough."""
    if answered >= MIN_FOR_DISCRIMINATION:
        return None
    students = "student" if answered == 1 else "students"
    return (
        f"{answered} {students} answered; item statistics need at least "
        f"{MIN_FOR_DISCRIMINATION} before they mean much."
    )


def facility(scores: Sequence[bool]) -> float | None:
    """The share answered correctly, 0 to 1; None when nobody answered."""
    return sum(scores) / len(scores) if scores else None


def point_biserial(item: Sequence[int], rest: Sequence[float]) -> float | None:
    """Pearson r between 0/1 item scores and the attempts' other results.

    None with fewer than MIN_PAIRS pairs or when either side is constant, since
    r is then undefined, not zero. Rounded to 12 places so that float noise
    around an exact zero cannot flip the sign and raise a "negative" flag.
    """
    if len(item) != len(rest):
        raise ValueError(f"{len(item)} item scores but {len(rest)} rest scores")
    if len(item) < MIN_PAIRS or len(set(item)) < 2 or len(set(rest)) < 2:
        return None
    return round(statistics.correlation([float(x) for x in item], list(rest)), 12)


def _question_ids(
    attempts: Sequence[Mapping[str, ItemResponse]], question_order: Sequence[str] | None
) -> list[str]:
    """The requested order (without repeats), then any other question in first-seen order."""
    ids = dict.fromkeys(question_order or ())
    for attempt in attempts:
        ids.update(dict.fromkeys(attempt))
    return list(ids)


def _item_stats(question_id: str, attempts: Sequence[Mapping[str, ItemResponse]]) -> ItemStats:
    given = [attempt for attempt in attempts if question_id in attempt]
    responses = [attempt[question_id] for attempt in given]
    share = facility([response.correct for response in responses])
    pairs = _score_rest_pairs(question_id, given)
    discrimination = point_biserial([score for score, _ in pairs], [rest for _, rest in pairs])
    return ItemStats(
        question_id=question_id,
        answered=len(given),
        facility=share,
        discrimination=discrimination,
        upper_lower=_upper_lower(pairs),
        common_wrong=_common_wrong(responses),
        flags=_flags(share, len(given), discrimination),
    )


def _score_rest_pairs(
    question_id: str, given: Sequence[Mapping[str, ItemResponse]]
) -> list[tuple[int, float]]:
    """(0/1 score on the question, proportion correct on the attempt's other questions).

    An attempt given only this question has no other questions to rank it by,
    so it is left out of discrimination (it still counts for facility).
    """
    pairs: list[tuple[int, float]] = []
    for attempt in given:
        others = [response.correct for qid, response in attempt.items() if qid != question_id]
        if others:
            pairs.append((int(attempt[question_id].correct), sum(others) / len(others)))
    return pairs


def _upper_lower(pairs: Sequence[tuple[int, float]]) -> float | None:
    """Facility in the top 27% by rest score minus facility in the bottom 27%."""
    if len(pairs) < MIN_FOR_UPPER_LOWER:
        return None
    size = max(1, round(GROUP_SHARE * len(pairs)))
    top = _group_facility(pairs, size, direction=1)
    bottom = _group_facility(pairs, size, direction=-1)
    return top - bottom


def _group_facility(pairs: Sequence[tuple[int, float]], size: int, direction: int) -> float:
    """Facility of the ``size`` attempts ranked highest by ``direction * rest``.

    Attempts tied on the group's edge share its remaining places equally (each
    counts with their average score), so the figure never depends on the order
    in which the attempts happened to be submitted.
    """
    keyed = [(score, direction * rest) for score, rest in pairs]
    edge = sorted((key for _, key in keyed), reverse=True)[size - 1]
    inside = [score for score, key in keyed if key > edge]
    tied = [score for score, key in keyed if key == edge]
    return (sum(inside) + (size - len(inside)) * sum(tied) / len(tied)) / size


def _common_wrong(responses: Sequence[ItemResponse]) -> tuple[tuple[str, int], ...]:
    """The most frequent wrong answers, spelling variants counted together.

    "Lenin", " lenin" and "LENIN" are one answer, shown as first typed (trimmed);
    blanks are counted too, as NO_ANSWER, because many blanks is itself a
    finding. Equal counts keep the order in which the answers first appeared.
    """
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for response in responses:
        if not response.correct:
            key = " ".join(response.response.split()).casefold()
            shown.setdefault(key, response.response.strip() or NO_ANSWER)
            counts[key] += 1
    ranked = sorted(shown, key=lambda key: -counts[key])
    return tuple((shown[key], counts[key]) for key in ranked[:COMMON_WRONG_SHOWN])


def _flags(share: float | None, answered: int, discrimination: float | None) -> tuple[str, ...]:
    """Plain-language reasons to look at a question; negative replaces low discrimination.

    Facility flags stay on small samples: "fewer than 30% answered correctly" is
    a plain count of those who answered, true of them however few (easy still
    waits for MIN_FOR_EASY). Discrimination flags wait for MIN_FOR_DISCRIMINATION,
    since a few students can make a correct key look "negative" by chance.
    """
    flags: list[str] = []
    if share is not None and share < HARD_BELOW:
        flags.append(FLAG_HARD)
    if share is not None and share > EASY_ABOVE and answered >= MIN_FOR_EASY:
        flags.append(FLAG_EASY)
    if answered < MIN_FOR_DISCRIMINATION:
        return tuple(flags)
    if discrimination is not None and discrimination < 0:
        flags.append(FLAG_NEGATIVE_DISCRIMINATION)
    elif discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append(FLAG_LOW_DISCRIMINATION)
    return tuple(flags)
