"""Abuse limits: requests per key (ingest and read apart), failed key checks per address."""
