"""Helpers the tests share: the clock, client steps, teaching set-ups, browser flows."""
