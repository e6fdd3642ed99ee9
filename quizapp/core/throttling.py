"""Throttling guesses: the limits, as named rules, and how a wait is told to a person.

A rule is a list of limits in the ``limits`` library's notation ("5/minute;20/hour"):
every one of them must allow a try. Tiers that grow (per minute, per hour, per day)
give a guesser longer and longer pauses while a person who mistypes twice never
notices them. The counting itself lives in ``quizapp.web.throttle``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """What is counted (``name``, a part of every counter's key) and its limits."""

    name: str
    limits: str


#: Sign-in attempts for one username, from anywhere and right or wrong (the count is
#: taken before the password is checked, so it holds under concurrency). NIST SP
#: 800-63B caps an online guesser at 100 failures; a student who mistypes never waits.
SIGN_IN_PER_USERNAME = Rule("sign-in:username", "5/minute;20/hour;100/day")
#: Sign-in attempts from one address (a school's NAT) without a device cookie, for any
#: usernames: far above a class's sign-ins, still a brake on spraying many accounts.
SIGN_IN_PER_ADDRESS = Rule("sign-in:address", "300/15 minutes")
#: Sign-in attempts from a browser that signed in to that username before (its device
#: cookie): counted apart, so nobody else's failures lock the owner out.
SIGN_IN_PER_DEVICE = Rule("sign-in:device", "5/minute;20/hour;100/day")
#: Wrong live-game PINs (joins and /live/<pin>/ pages of no game) from one address:
#: a class that mistypes is far below it; 900,000 PINs are not walked at this pace.
LIVE_PIN_PER_ADDRESS = Rule("live-pin:address", "20/minute;100/hour")
#: Wrong class join codes, for one account and from one address.
CLASS_CODE_PER_USER = Rule("class-code:user", "10/hour;30/day")
CLASS_CODE_PER_ADDRESS = Rule("class-code:address", "60/hour")
#: Checks of the current password (changing it, deleting the account) for one account,
#: right or wrong: a stolen session cannot be turned into the password by guessing.
PASSWORD_CHECK_PER_USER = Rule("password-check:user", "5/15 minutes;20/day")

RULES = (
    SIGN_IN_PER_USERNAME,
    SIGN_IN_PER_ADDRESS,
    SIGN_IN_PER_DEVICE,
    LIVE_PIN_PER_ADDRESS,
    CLASS_CODE_PER_USER,
    CLASS_CODE_PER_ADDRESS,
    PASSWORD_CHECK_PER_USER,
)


def wait_phrase(seconds: float) -> str:
    """How long to wait, as a person reads it: "1 minute", "3 minutes", "2 hours"."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 90:
        return f"{minutes} minute{'s' * (minutes != 1)}"
    hours = math.ceil(minutes / 60)
    return f"{hours} hours"
