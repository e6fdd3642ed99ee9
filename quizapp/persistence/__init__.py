"""The data layer around ``models.py``: reading the bank files, syncing them into
the database, and getting a database ready to serve (migrations, pragmas, locks)."""
