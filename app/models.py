"""Imports every model so `Base.metadata` knows all tables (Alembic, tests)."""

from app.auth.models import ApiKey
from app.feedback.models import FeedbackContact, FeedbackEvent, FeedbackEventId
from app.locations.models import Location

__all__ = ["ApiKey", "FeedbackContact", "FeedbackEvent", "FeedbackEventId", "Location"]
