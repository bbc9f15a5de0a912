"""Comment analytics: language, sentiment, themes and key phrases of every comment,
computed offline by a background worker from a watermark (docs/text.md)."""
