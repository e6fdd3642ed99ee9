"""The pure core of quizapp: plain Python that knows nothing of Flask or SQL.

Everything here is unit-tested directly; the web and database layers call it.
"""
