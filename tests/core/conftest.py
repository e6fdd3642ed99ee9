"""The live question bank for the core tests that check behaviour on real questions.

It is read once per session in a fixture, not at import time, so that a broken
bank fails the tests that use it instead of breaking collection of every test.
"""

from __future__ import annotations

import pytest

from quizapp.config import DEFAULT_BANK_DIR
from quizapp.core.bank import Bank, BankQuestion
from quizapp.persistence.bank_files import load_bank


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(DEFAULT_BANK_DIR)


@pytest.fixture(scope="session")
def by_id(bank: Bank) -> dict[str, BankQuestion]:
    return bank.by_id()


@pytest.fixture(scope="session")
def questions(bank: Bank) -> tuple[BankQuestion, ...]:
    return bank.questions
