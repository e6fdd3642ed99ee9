"""Answer checking against the real bank: what a teacher would accept, and what not.

The table is the specification: each row is a real bank question, a phrasing a
student might type, and whether it is accepted (and flagged as a typo). The
properties then show that grading never crashes and that the noise it ignores
(case, surrounding punctuation, spacing, a leading "the") never changes a
verdict either way.

Decisions recorded here:

* A reversed vote count ("2 to 10") is wrong: the question asks for the
  majority, and a teacher would not read "2 to 10" as "10 to 2".
* A time with no am/pm is read on the 24-hour clock, so "9:00" is 9 am: right
  for Kerensky's flight, wrong for the Aurora's 9 pm signal.
* Numeric dates are day first (British); "10/24" is read month first only
  because the day-first reading is not a date. "9/2" is 9 February.
* Extra precision is fine where it agrees ("27 August 1917" for "August 1917");
  less is not ("October 1917" for "24 October 1917").
* A typo is forgiven only in words of five letters or more, never in the first
  letter, and never when the response is as near another known name or a month.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.bank import Bank, BankQuestion
from quizapp.core.grading import Verdict, expected_text, grade, normalise, order_response

Questions = dict[str, BankQuestion]
#: A question and a response to it.
Case = tuple[BankQuestion, str]

# (question id, response, accepted?, flagged as a typo?)
TABLE: list[tuple[str, str, bool, bool]] = [
    # --- Names: surname, full name, initials, titles, typos, other people --------
    ("fig-kerensky-fled-palace", "Kerensky", True, False),
    ("fig-kerensky-fled-palace", "  kerensky. ", True, False),
    ("fig-kerensky-fled-palace", "Alexander Kerensky", True, False),
    ("fig-kerensky-fled-palace", "Alexander Fyodorovich Kerensky", True, False),
    ("fig-kerensky-fled-palace", "A. F. Kerensky", True, False),
    ("fig-kerensky-fled-palace", "Prime Minister Kerensky", True, False),
    ("fig-kerensky-fled-palace", "Kerenski", True, True),
    ("fig-kerensky-fled-palace", "not Kerensky", False, False),
    ("fig-kerensky-fled-palace", "Kerensky and Kornilov", False, False),
    ("fig-kerensky-dismissed-kornilov", "Kornilov", False, False),
    ("fig-trotsky-fortress", "Trotsky", True, False),
    ("fig-trotsky-fortress", "Leon Trotsky", True, False),
    ("fig-trotsky-fortress", "Lev Davidovich Trotsky", True, False),
    ("fig-trotsky-fortress", "L. D. Trotsky", True, False),
    ("fig-trotsky-fortress", "Trotksy", True, True),
    ("fig-trotsky-fortress", "Trotski", True, True),
    ("fig-trotsky-fortress", "Lenin", False, False),
    ("fig-kornilov-coup", "General Kornilov", True, False),
    ("fig-kornilov-coup", "Lavr Kornilov", True, False),
    ("fig-kornilov-coup", "Kornilof", True, True),
    ("fig-kornilov-coup", "Kamenev", False, False),
    ("fig-kornilov-coup", "Krasnov", False, False),
    ("fig-kornilov-coup", "Kerensky", False, False),
    ("fig-kamenev-arrested-and-opposed", "Kamenev", True, False),
    ("fig-kamenev-arrested-and-opposed", "Lev Kamenev", True, False),
    ("fig-kamenev-arrested-and-opposed", "Kamenov", True, True),
    ("fig-kamenev-arrested-and-opposed", "Zinoviev", False, False),
    ("fig-kamenev-arrested-and-opposed", "Kornilov", False, False),
    ("fig-stalin-successor", "Joseph Stalin", True, False),
    ("fig-stalin-successor", "Stallin", True, True),
    ("fig-stalin-successor", "Lenin", False, False),
    ("slogan-whose-slogans", "V. I. Lenin", True, False),
    ("slogan-whose-slogans", "V.I. Lenin", True, False),
    ("slogan-whose-slogans", "Vladimir Ilyich Lenin", True, False),
    ("slogan-whose-slogans", "Lenim", True, True),
    ("slogan-whose-slogans", "Trotsky", False, False),
    ("slogan-whose-slogans", "not Lenin", False, False),
    ("fig-tsar-abdication", "Tsar Nicholas II", True, False),
    ("fig-tsar-abdication", "the Tsar", True, False),
    ("fig-tsar-abdication", "Tsar Nicholas", True, False),
    ("fig-tsar-abdication", "the Czar", True, False),
    ("fig-tsar-abdication", "Nicholas the Second", True, False),
    ("fig-tsar-abdication", "Nicholas I", False, False),
    ("fig-tsar-abdication", "Tsar Alexander II", False, False),
    ("fig-tsar-abdication", "Kerensky", False, False),
    ("vote-cc-opponents-short", "Zinoviev and Kamenev", True, False),
    ("vote-cc-opponents-short", "Kamenev & Zinoviev", True, False),
    ("vote-cc-opponents-short", "Zinoviev, Kamenev", True, False),
    ("vote-cc-opponents-short", "Lev Kamenev and Grigory Zinoviev", True, False),
    ("vote-cc-opponents-short", "Zinoviev", False, False),
    ("vote-cc-opponents-short", "Zinoviev and Trotsky", False, False),
    ("vote-cc-opponents-short", "Zinoviev, not Kamenev", False, False),
    # --- Other short answers ------------------------------------------------------
    ("fig-mrc-name", "MRC", True, False),
    ("fig-mrc-name", "M.R.C.", True, False),
    ("fig-mrc-name", "military revolutionary committee", True, False),
    ("fig-mrc-name", "the Military Revolutionary Comittee", True, True),
    ("fig-mrc-name", "the Red Guards", False, False),
    ("event-german-help-short", "the Germans", True, False),
    ("event-german-help-short", "Austria", False, False),
    ("event-offensive-against-short", "Austria-Hungary and Germany", True, False),
    ("event-offensive-against-short", "Germany", False, False),
    ("slogan-peace-bread-land-short", "peace bread land", True, False),
    ("slogan-peace-bread-land-short", "Peace, Land and Bread!", True, False),
    ("slogan-peace-bread-land-short", "Peace, Bread", False, False),
    ("slogan-peace-bread-land-short", "Land and Freedom", False, False),
    ("slogan-all-power-short", "All power to the Soviets!", True, False),
    ("slogan-all-power-short", "all power to soviets", True, False),
    ("slogan-all-power-short", "All power to the Bolsheviks", False, False),
    # --- Cloze: slogan words, case, typos, different words -----------------------
    ("slogan-bread-cloze", "Bread", True, False),
    ("slogan-bread-cloze", "BREAD", True, False),
    ("slogan-bread-cloze", "Breadd", True, True),
    ("slogan-bread-cloze", "Land", False, False),
    ("slogan-land-cloze", "land", True, False),
    ("slogan-land-cloze", "Lnad", False, False),
    ("slogan-all-power-cloze", "the soviets", True, False),
    ("slogan-all-power-cloze", "Soveits", True, True),
    ("slogan-all-power-cloze", "Bolsheviks", False, False),
    ("slogan-november-revolution-cloze", "november", True, False),
    ("slogan-november-revolution-cloze", "Novmber", True, True),
    ("slogan-november-revolution-cloze", "October", False, False),
    ("slogan-november-revolution-cloze", "December", False, False),
    ("slogan-non-cooperation-cloze", "non-co-operation", True, False),
    ("slogan-non-cooperation-cloze", "Non Cooperation", True, False),
    ("slogan-non-cooperation-cloze", "co-operation", False, False),
    ("event-inflation-cloze", "inflaton", True, True),
    ("event-inflation-cloze", "deflation", False, False),
    ("vote-civil-war-roubles-cloze", "Rubles", True, False),
    ("vote-civil-war-roubles-cloze", "troubles", False, False),
    ("vote-cc-leaders-cloze", "12", True, False),
    ("vote-cc-leaders-cloze", "ten", False, False),
    # --- Dates: every common form, wrong day, month or year ----------------------
    ("date-rising-chosen-day", "24 October 1917", True, False),
    ("date-rising-chosen-day", "24 October", True, False),
    ("date-rising-chosen-day", "Oct 24th", True, False),
    ("date-rising-chosen-day", "24/10", True, False),
    ("date-rising-chosen-day", "24.10.1917", True, False),
    ("date-rising-chosen-day", "October 24, 1917", True, False),
    ("date-rising-chosen-day", "the 24th of October", True, False),
    ("date-rising-chosen-day", "24/10/17", True, False),
    ("date-rising-chosen-day", "1917-10-24", True, False),
    ("date-rising-chosen-day", "10/24", True, False),
    ("date-rising-chosen-day", "on 24 Oct.", True, False),
    ("date-rising-chosen-day", "25 October", False, False),
    ("date-rising-chosen-day", "24 October 1918", False, False),
    ("date-rising-chosen-day", "24 November", False, False),
    ("date-rising-chosen-day", "October 1917", False, False),
    ("date-rising-chosen-day", "1917", False, False),
    ("date-rising-chosen-day", "9pm", False, False),
    ("date-kornilov-arrested", "2/9", True, False),
    ("date-kornilov-arrested", "2nd September", True, False),
    ("date-kornilov-arrested", "Sept 2nd 1917", True, False),
    ("date-kornilov-arrested", "9/2", False, False),
    ("date-central-committee-meeting", "10/10", True, False),
    ("date-central-committee-meeting", "October 10th", True, False),
    ("date-central-committee-meeting", "10.10", True, False),
    ("date-kerensky-prime-minister-since", "23.07", True, False),
    ("date-kerensky-prime-minister-since", "23.07.1917", True, False),
    ("date-kerensky-prime-minister-since", "23 June", False, False),
    ("date-central-committee-meeting", "10 October 1916", False, False),
    ("date-revolution-new-style", "7 November", True, False),
    ("date-revolution-new-style", "7.11", True, False),
    ("date-revolution-new-style", "11/7", False, False),
    ("date-revolution-new-style", "25 October 1917", False, False),
    ("date-kornilov-affair-month", "August", True, False),
    ("date-kornilov-affair-month", "Aug 1917", True, False),
    ("date-kornilov-affair-month", "late August", True, False),
    ("date-kornilov-affair-month", "27 August 1917", True, False),
    ("date-kornilov-affair-month", "September", False, False),
    ("date-kornilov-affair-month", "August 1918", False, False),
    ("date-ussr-established", "1922", True, False),
    ("date-ussr-established", "in 1922", True, False),
    ("date-ussr-established", "December 1922", True, False),
    ("date-ussr-established", "1921", False, False),
    ("date-lenin-death", "1917", False, False),
    # --- Times -------------------------------------------------------------------
    ("date-aurora-signal-time", "9pm", True, False),
    ("date-aurora-signal-time", "21:00", True, False),
    ("date-aurora-signal-time", "9.00 pm", True, False),
    ("date-aurora-signal-time", "9 p.m.", True, False),
    ("date-aurora-signal-time", "9:00 PM", True, False),
    ("date-aurora-signal-time", "2100", True, False),
    ("date-aurora-signal-time", "2100 hours", True, False),
    ("date-aurora-signal-time", "9am", False, False),
    ("date-aurora-signal-time", "10pm", False, False),
    ("date-aurora-signal-time", "21:30", False, False),
    ("date-aurora-signal-time", "9:00", False, False),
    ("date-kerensky-flees-time", "0900", True, False),
    ("date-kerensky-flees-time", "9am", True, False),
    ("date-kerensky-flees-time", "09:00", True, False),
    ("date-kerensky-flees-time", "9 a.m.", True, False),
    ("date-kerensky-flees-time", "9pm", False, False),
    ("date-kerensky-flees-time", "0930", False, False),
    # --- Numbers -----------------------------------------------------------------
    ("vote-party-members-before", "26,000", True, False),
    ("vote-party-members-before", "26000", True, False),
    ("vote-party-members-before", "26 000", True, False),
    ("vote-party-members-before", "twenty-six thousand", True, False),
    ("vote-party-members-before", "twenty six thousand", True, False),
    ("vote-party-members-before", "26 thousand", True, False),
    ("vote-party-members-before", "26k", True, False),
    ("vote-party-members-before", "about 26,000", True, False),
    ("vote-party-members-before", "26,000 members", True, False),
    ("vote-party-members-before", "2,600", False, False),
    ("vote-party-members-before", "260,000", False, False),
    ("vote-party-members-before", "26", False, False),
    ("vote-party-members-before", "26,000 to 200,000", False, False),
    ("vote-party-members-before", "-26000", False, False),
    ("vote-party-members-after", "two hundred thousand", True, False),
    ("vote-party-members-after", "20,000", False, False),
    ("vote-rifles-number", "one hundred thousand", True, False),
    ("vote-rifles-number", "a hundred thousand", True, False),
    ("vote-rifles-number", "100,000 rifles", True, False),
    ("vote-rifles-number", "10,000", False, False),
    ("vote-civil-war-deaths", "15 million", True, False),
    ("vote-civil-war-deaths", "15,000,000", True, False),
    ("vote-civil-war-deaths", "fifteen million", True, False),
    ("vote-civil-war-deaths", "15m", True, False),
    ("vote-civil-war-deaths", "15 million lives", True, False),
    ("vote-civil-war-deaths", "about 15 million people", True, False),
    ("vote-civil-war-deaths", "1.5 million", False, False),
    ("vote-civil-war-deaths", "50 million", False, False),
    ("vote-cc-leaders-at-meeting", "twelve", True, False),
    ("vote-cc-leaders-at-meeting", "12 party leaders", True, False),
    ("vote-cc-leaders-at-meeting", "10 to 2", False, False),
    ("vote-cc-leaders-at-meeting", "12 October", False, False),
    ("vote-cc-backing-number", "ten", True, False),
    ("vote-cc-backing-number", "12", False, False),
    ("vote-cc-backing-number", "2 against", False, False),
    ("vote-civil-war-years", "4 years", True, False),
    ("vote-civil-war-years", "five", False, False),
    ("vote-two-mistakes-number", "two", True, False),
    # --- Vote counts ---------------------------------------------------------------
    ("vote-cc-majority-number", "10 to 2", True, False),
    ("vote-cc-majority-number", "10-2", True, False),
    ("vote-cc-majority-number", "10:2", True, False),
    ("vote-cc-majority-number", "ten to two", True, False),
    ("vote-cc-majority-number", "10 \u2013 2", True, False),
    ("vote-cc-majority-number", "10 votes to 2", True, False),
    ("vote-cc-majority-number", "a 10 to 2 majority", True, False),
    ("vote-cc-majority-number", "10 vs 2", True, False),
    ("vote-cc-majority-number", "10 for, 2 against", True, False),
    ("vote-cc-majority-number", "2 to 10", False, False),
    ("vote-cc-majority-number", "9 to 3", False, False),
    ("vote-cc-majority-number", "10", False, False),
    ("vote-cc-majority-number", "8", False, False),
    # --- Multiple choice: by the choice, not by a look-alike ---------------------
    ("vote-cc-majority-choice", "10 to 2", True, False),
    ("vote-cc-majority-choice", "9 to 3", False, False),
    ("date-aurora-signal-time-choice", "9:00 pm", True, False),
    ("date-aurora-signal-time-choice", "9:00 am", False, False),
    ("fig-kornilov-coup-choice", "kornilov", True, False),
    ("fig-kornilov-coup-choice", "Krasnov", False, False),
    ("event-capital-name-choice", "PETROGRAD", True, False),
    ("event-capital-name-choice", "St. Petersburg", False, False),
    ("vote-cc-opponents-choice", "Zinoviev and Kamenev", True, False),
    ("vote-cc-opponents-choice", "Trotsky and Kamenev", False, False),
    (
        "date-event-for-10-october",
        "he held a meeting with twelve party leaders to argue for a revolution",
        True,
        False,
    ),
    ("date-event-for-10-october", "He escaped to Finland", False, False),
]


@pytest.mark.parametrize(("question_id", "response", "correct", "near_miss"), TABLE)
def test_real_world_phrasings(
    question_id: str, response: str, correct: bool, near_miss: bool, by_id: Questions
) -> None:
    verdict = grade(by_id[question_id], response)
    assert (verdict.correct, verdict.near_miss) == (correct, near_miss)


def test_number_words_side_by_side_are_not_added_up(by_id: Questions) -> None:
    """Reading "ten two" as twelve would accept a wrong answer: the parser adds the words."""
    assert not grade(by_id["vote-cc-leaders-at-meeting"], "ten two").correct


def test_the_table_is_large_and_drawn_from_the_bank(by_id: Questions) -> None:
    assert len(TABLE) >= 70
    assert {row[0] for row in TABLE} <= by_id.keys()
    kinds = {by_id[row[0]].kind for row in TABLE}
    assert kinds >= {"short", "cloze", "choice", "number", "date"}
    assert any(row[2] for row in TABLE)
    assert any(not row[2] for row in TABLE)


# --- Order questions ---------------------------------------------------------------


@pytest.fixture(scope="module")
def order(by_id: Questions) -> BankQuestion:
    return by_id["date-order-1917-to-1991"]


def test_order_in_the_right_order_is_correct(order: BankQuestion) -> None:
    assert grade(order, order_response(order.answer)).correct


def test_order_ignores_case_and_spacing_of_items(order: BankQuestion) -> None:
    items = [f"  {item.upper()} " for item in order.answer]
    assert grade(order, order_response(items)).correct


def test_order_with_one_swap_is_wrong(order: BankQuestion) -> None:
    items = list(order.answer)
    items[1], items[2] = items[2], items[1]
    assert not grade(order, order_response(items)).correct


def test_order_reversed_or_short_is_wrong(order: BankQuestion) -> None:
    assert not grade(order, order_response(reversed(order.answer))).correct
    assert not grade(order, order_response(order.answer[:-1])).correct


# --- The verdict itself ------------------------------------------------------------


def test_verdict_shows_the_canonical_answer_and_a_label(by_id: Questions) -> None:
    question = by_id["fig-trotsky-fortress"]
    typo = grade(question, "Trotksy")
    assert typo.expected == expected_text(question) == "Trotsky"
    assert typo.label == "Correct, but check the spelling"
    assert "Trotsky" in typo.message
    assert grade(question, "Trotsky").label == "Correct"
    assert grade(question, "Lenin").label == "Not quite"


@pytest.mark.parametrize("response", ["", "   ", "\n"])
def test_a_blank_response_is_wrong_with_a_message(response: str, by_id: Questions) -> None:
    verdict = grade(by_id["fig-trotsky-fortress"], response)
    assert not verdict.correct
    assert verdict.message


def test_unreadable_numbers_and_dates_say_so(by_id: Questions) -> None:
    assert "number" in grade(by_id["vote-rifles-number"], "lots").message
    assert "date" in grade(by_id["date-lenin-death"], "ages ago").message


def test_normalise_ignores_case_accents_punctuation_articles_and_spacing() -> None:
    assert normalise("  The  Winter-Palace! ") == "winter palace"
    assert normalise("Zinóviev & Kámenev") == "zinoviev and kamenev"


def test_a_very_long_response_does_not_crash(bank: Bank) -> None:
    for question in bank.questions:
        assert isinstance(grade(question, "9" * 5000), Verdict)


# --- Properties --------------------------------------------------------------------


def _right_answers(question: BankQuestion) -> list[str]:
    if question.kind == "order":
        return [order_response(question.answer)]
    return [str(question.answer), *question.accepted]


def _wrong_answers(question: BankQuestion, pool: Iterable[BankQuestion]) -> list[str]:
    """Other questions' answers of the same kind that are wrong here."""
    others = {
        answer
        for other in pool
        if other.kind == question.kind and other.id != question.id
        for answer in _right_answers(other)
    }
    return sorted(answer for answer in others if not grade(question, answer).correct)


@pytest.fixture(scope="module")
def bank_answers(bank: Bank) -> list[Case]:
    """Every answer the bank itself gives, with its question."""
    return [(q, answer) for q in bank.questions for answer in _right_answers(q)]


@pytest.fixture(scope="module")
def right(bank_answers: list[Case], by_id: Questions) -> list[Case]:
    """Right answers: the bank's own, and the table's accepted phrasings."""
    return bank_answers + [(by_id[qid], text) for qid, text, correct, _ in TABLE if correct]


@pytest.fixture(scope="module")
def wrong(bank: Bank, by_id: Questions) -> list[Case]:
    """Wrong answers: other questions' answers, and the table's rejected phrasings."""
    cases = [(q, answer) for q in bank.questions for answer in _wrong_answers(q, bank.questions)]
    return cases + [(by_id[qid], text) for qid, text, correct, _ in TABLE if not correct]


NOISES = {
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "swapcase": str.swapcase,
    "padded": lambda text: f"  {text}\t ",
    "spaced": lambda text: text.replace(" ", "   "),
    "full stop": lambda text: f"{text}.",
    "exclaimed": lambda text: f"{text}!",
    "questioned": lambda text: f"{text}?",
    "quoted": lambda text: f'"{text}"',
    "bracketed": lambda text: f"({text})",
    "the": lambda text: f"the {text}",
    "The": lambda text: f"The {text}",
}


def _add_noise(question: BankQuestion, text: str, noises: list[str]) -> str:
    """Apply the noise to the whole response, or to each item of an ordering."""

    def noisy(part: str) -> str:
        for name in noises:
            part = NOISES[name](part)
        return part

    if question.kind == "order":
        return order_response(noisy(item) for item in text.split("\n"))
    return noisy(text)


noise_lists = st.lists(st.sampled_from(sorted(NOISES)), min_size=1, max_size=4)


@given(data=st.data(), response=st.text())
def test_grade_never_raises(bank: Bank, data: st.DataObject, response: str) -> None:
    question = data.draw(st.sampled_from(bank.questions))
    verdict = grade(question, response)
    assert isinstance(verdict, Verdict)
    assert verdict.correct or not verdict.near_miss


@given(data=st.data(), response=st.text(alphabet="0123456789 ,.:/-apmtoh", max_size=30))
def test_grade_never_raises_on_number_and_date_shapes(
    bank: Bank, data: st.DataObject, response: str
) -> None:
    question = data.draw(st.sampled_from(bank.questions))
    assert isinstance(grade(question, response), Verdict)


def test_every_question_has_wrong_answers_to_try(bank: Bank, wrong: list[Case]) -> None:
    assert len(wrong) > len(bank.questions) * 5
    assert {question.kind for question, _ in wrong} == {q.kind for q in bank.questions}


@given(data=st.data(), noises=noise_lists)
def test_noise_never_turns_a_wrong_answer_right(
    wrong: list[Case], data: st.DataObject, noises: list[str]
) -> None:
    question, answer = data.draw(st.sampled_from(wrong))
    assert not grade(question, _add_noise(question, answer, noises)).correct


@given(data=st.data(), noises=noise_lists)
def test_noise_keeps_a_right_answer_right(
    right: list[Case], data: st.DataObject, noises: list[str]
) -> None:
    question, answer = data.draw(st.sampled_from(right))
    assert grade(question, _add_noise(question, answer, noises)).correct


def test_every_answer_in_the_bank_is_accepted_as_written(bank_answers: list[Case]) -> None:
    for question, answer in bank_answers:
        verdict = grade(question, answer)
        assert (verdict.correct, verdict.near_miss) == (True, False), (question.id, answer)
