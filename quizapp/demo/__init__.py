"""Seeders for ``flask demo`` and ``flask demo-class``: accounts with simulated
study and assignments, written through the same services as real use."""
