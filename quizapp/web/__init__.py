"""Helpers the blueprints share: the signed-in account, shared form fields,
reading answers from forms, and showing evidence in its source text."""
