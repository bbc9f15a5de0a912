"""Selecting events, shared by every reader of them (metrics, event lists and exports,
follow-up figures): filters and windows, the SQL conditions they make, one snapshot,
and CSV answers. Imports no domain."""
