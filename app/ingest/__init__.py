"""Ingest: the routes that take events, the group-commit writer and the one atomic
statement that stores them, composed from the parts each domain supplies."""
