"""Imports every model so `Base.metadata` knows all tables (Alembic, tests)."""

from app.alerts.models import Alert, AlertRulesRow
from app.auth.models import ApiKey
from app.feedback import models as feedback_models
from app.feedback.models import FeedbackContact, FeedbackEvent, FeedbackEventId
from app.follow_ups.models import FollowUp, FollowUpChange, FollowUpRule
from app.locations.models import Location
from app.respondents.models import Erasure, RetentionState
from app.rollups import models as rollup_models
from app.rollups.models import metric_rollup_state, metric_rollups
from app.text.models import (
    CommentInsight,
    TextExample,
    TextModel,
    TextPending,
    TextState,
    TextTheme,
)
from app.webhooks.models import WebhookAttempt, WebhookMessage, WebhookSubscription

__all__ = [
    "Alert",
    "AlertRulesRow",
    "ApiKey",
    "CommentInsight",
    "Erasure",
    "FeedbackContact",
    "FeedbackEvent",
    "FeedbackEventId",
    "FollowUp",
    "FollowUpChange",
    "FollowUpRule",
    "Location",
    "RetentionState",
    "TextExample",
    "TextModel",
    "TextPending",
    "TextState",
    "TextTheme",
    "WebhookAttempt",
    "WebhookMessage",
    "WebhookSubscription",
    "include_name",
    "metric_rollup_state",
    "metric_rollups",
]


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic autogenerate filter: partitions are made by migrations and by the service
    (app/feedback/partitions.py), not modelled."""
    return rollup_models.include_name(name, type_, parent_names) and (
        feedback_models.include_name(name, type_, parent_names)
    )
