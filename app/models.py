"""Imports every model so `Base.metadata` knows all tables (Alembic, tests)."""

from app.auth.models import ApiKey
from app.feedback.models import FeedbackContact, FeedbackEvent, FeedbackEventId

__all__ = ["ApiKey", "FeedbackContact", "FeedbackEvent", "FeedbackEventId"]
