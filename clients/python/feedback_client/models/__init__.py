"""Contains all the data models used in inputs/outputs"""

from .alert import Alert
from .alert_direction import AlertDirection
from .alert_evidence import AlertEvidence
from .alert_metric import AlertMetric
from .alert_page import AlertPage
from .alert_patch import AlertPatch
from .alert_period import AlertPeriod
from .alert_rules import AlertRules
from .alert_rules_dimensions_item import AlertRulesDimensionsItem
from .alert_rules_metrics import AlertRulesMetrics
from .alert_scope import AlertScope
from .alert_scope_within import AlertScopeWithin
from .alert_status import AlertStatus
from .alert_test import AlertTest
from .alert_test_question import AlertTestQuestion
from .attribute_profile import AttributeProfile
from .attribute_profile_kind import AttributeProfileKind
from .attribute_report import AttributeReport
from .attribute_report_filters import AttributeReportFilters
from .attribute_value_count import AttributeValueCount
from .batch_in import BatchIn
from .batch_item_result import BatchItemResult
from .batch_item_result_problem_type_0 import BatchItemResultProblemType0
from .batch_result import BatchResult
from .bins import Bins
from .bins_method import BinsMethod
from .bootstrap import Bootstrap
from .breakdown import Breakdown
from .case import Case
from .case_page import CasePage
from .case_patch import CasePatch
from .case_patch_status_type_0 import CasePatchStatusType0
from .case_respondent_type import CaseRespondentType
from .case_status import CaseStatus
from .case_summary import CaseSummary
from .case_summary_respondent_type import CaseSummaryRespondentType
from .case_summary_status import CaseSummaryStatus
from .chain_branch import ChainBranch
from .change import Change
from .change_from_status_type_0 import ChangeFromStatusType0
from .change_kind import ChangeKind
from .change_to_status_type_0 import ChangeToStatusType0
from .comment_text import CommentText
from .comment_text_sentiment_type_0 import CommentTextSentimentType0
from .comparison import Comparison
from .consistency import Consistency
from .consistency_row import ConsistencyRow
from .consistency_row_flag_type_0 import ConsistencyRowFlagType0
from .contact import Contact
from .contact_attempt import ContactAttempt
from .contact_attempt_outcome import ContactAttemptOutcome
from .contact_out import ContactOut
from .definition import Definition
from .delivery_out import DeliveryOut
from .delivery_out_event_type import DeliveryOutEventType
from .delivery_page import DeliveryPage
from .driver_report import DriverReport
from .driver_report_outcome import DriverReportOutcome
from .driver_row import DriverRow
from .driver_row_kind import DriverRowKind
from .driver_row_quadrant_type_0 import DriverRowQuadrantType0
from .driver_row_weak_side_type_0 import DriverRowWeakSideType0
from .dropped import Dropped
from .duration_figure import DurationFigure
from .emerging_example import EmergingExample
from .emerging_example_sentiment_type_0 import EmergingExampleSentimentType0
from .emerging_group import EmergingGroup
from .emerging_method import EmergingMethod
from .emerging_phrase import EmergingPhrase
from .emerging_themes import EmergingThemes
from .emerging_word import EmergingWord
from .erased import Erased
from .export_feedback_format_type_0 import ExportFeedbackFormatType0
from .feedback_in import FeedbackIn
from .feedback_in_attributes import FeedbackInAttributes
from .feedback_item import FeedbackItem
from .feedback_item_attributes import FeedbackItemAttributes
from .feedback_out import FeedbackOut
from .feedback_out_attributes import FeedbackOutAttributes
from .feedback_page import FeedbackPage
from .field_error import FieldError
from .follow_ups_summary_status_type_0_item import FollowUpsSummaryStatusType0Item
from .group_row import GroupRow
from .group_row_flag_type_0 import GroupRowFlagType0
from .health import Health
from .interval import Interval
from .item_status import ItemStatus
from .key_create import KeyCreate
from .key_created import KeyCreated
from .key_out import KeyOut
from .key_page import KeyPage
from .level import Level
from .list_alerts_format_type_0 import ListAlertsFormatType0
from .list_alerts_metric_type_0_item import ListAlertsMetricType0Item
from .list_alerts_status import ListAlertsStatus
from .list_follow_ups_status_type_0_item import ListFollowUpsStatusType0Item
from .location_in import LocationIn
from .location_out import LocationOut
from .location_page import LocationPage
from .loop_figures import LoopFigures
from .loop_group import LoopGroup
from .loop_metrics import LoopMetrics
from .loop_metrics_group_by_type_0 import LoopMetricsGroupByType0
from .matched import Matched
from .mention import Mention
from .metric_comparison import MetricComparison
from .metric_rule import MetricRule
from .metrics_attributes_format_type_0 import MetricsAttributesFormatType0
from .metrics_breakdown_format_type_0 import MetricsBreakdownFormatType0
from .metrics_breakdown_group_by_type_0 import MetricsBreakdownGroupByType0
from .metrics_breakdown_metric import MetricsBreakdownMetric
from .metrics_breakdown_order import MetricsBreakdownOrder
from .metrics_breakdown_sort import MetricsBreakdownSort
from .metrics_consistency_format_type_0 import MetricsConsistencyFormatType0
from .metrics_consistency_group_by_type_0 import MetricsConsistencyGroupByType0
from .metrics_consistency_metric import MetricsConsistencyMetric
from .metrics_drivers_format_type_0 import MetricsDriversFormatType0
from .metrics_drivers_outcome import MetricsDriversOutcome
from .metrics_follow_ups_format_type_0 import MetricsFollowUpsFormatType0
from .metrics_follow_ups_group_by_type_0 import MetricsFollowUpsGroupByType0
from .metrics_service_profit_chain_format_type_0 import MetricsServiceProfitChainFormatType0
from .metrics_servqual_format_type_0 import MetricsServqualFormatType0
from .metrics_themes_format_type_0 import MetricsThemesFormatType0
from .metrics_themes_group_by_type_0 import MetricsThemesGroupByType0
from .metrics_themes_interval_type_0 import MetricsThemesIntervalType0
from .metrics_themes_metric import MetricsThemesMetric
from .metrics_timeseries_format_type_0 import MetricsTimeseriesFormatType0
from .metrics_timeseries_group_by_type_0 import MetricsTimeseriesGroupByType0
from .metrics_timeseries_interval import MetricsTimeseriesInterval
from .period_figure import PeriodFigure
from .person_data import PersonData
from .person_query import PersonQuery
from .pooled_figure import PooledFigure
from .problem import Problem
from .queue_summary import QueueSummary
from .readiness import Readiness
from .replica_readiness import ReplicaReadiness
from .replica_readiness_reads import ReplicaReadinessReads
from .replica_readiness_state import ReplicaReadinessState
from .respondent import Respondent
from .respondent_data import RespondentData
from .respondent_event import RespondentEvent
from .respondent_event_attributes import RespondentEventAttributes
from .respondent_type import RespondentType
from .rollup_lag import RollupLag
from .rule_in import RuleIn
from .rule_in_respondent_types_item import RuleInRespondentTypesItem
from .rule_in_score import RuleInScore
from .rule_set import RuleSet
from .scope import Scope
from .sentiment_mix import SentimentMix
from .service_profit_chain import ServiceProfitChain
from .servqual import Servqual
from .servqual_dimension_figure import ServqualDimensionFigure
from .servqual_figure import ServqualFigure
from .servqual_item import ServqualItem
from .servqual_report import ServqualReport
from .share_figure import ShareFigure
from .spread import Spread
from .summary import Summary
from .summary_filters import SummaryFilters
from .summary_metrics import SummaryMetrics
from .theme_change import ThemeChange
from .theme_definition import ThemeDefinition
from .theme_definition_keywords import ThemeDefinitionKeywords
from .theme_difference import ThemeDifference
from .theme_out import ThemeOut
from .theme_out_keywords import ThemeOutKeywords
from .theme_report import ThemeReport
from .theme_report_definitions import ThemeReportDefinitions
from .theme_report_metric import ThemeReportMetric
from .theme_row import ThemeRow
from .theme_score import ThemeScore
from .theme_sentiment import ThemeSentiment
from .theme_trend_row import ThemeTrendRow
from .themes import Themes
from .themes_in import ThemesIn
from .tidy_row import TidyRow
from .timeseries import Timeseries
from .webhook_created import WebhookCreated
from .webhook_created_event_types_item import WebhookCreatedEventTypesItem
from .webhook_in import WebhookIn
from .webhook_in_event_types_item import WebhookInEventTypesItem
from .webhook_out import WebhookOut
from .webhook_out_event_types_item import WebhookOutEventTypesItem
from .webhook_page import WebhookPage
from .webhook_patch import WebhookPatch
from .webhook_patch_event_types_type_0_item import WebhookPatchEventTypesType0Item

__all__ = (
    "Alert",
    "AlertDirection",
    "AlertEvidence",
    "AlertMetric",
    "AlertPage",
    "AlertPatch",
    "AlertPeriod",
    "AlertRules",
    "AlertRulesDimensionsItem",
    "AlertRulesMetrics",
    "AlertScope",
    "AlertScopeWithin",
    "AlertStatus",
    "AlertTest",
    "AlertTestQuestion",
    "AttributeProfile",
    "AttributeProfileKind",
    "AttributeReport",
    "AttributeReportFilters",
    "AttributeValueCount",
    "BatchIn",
    "BatchItemResult",
    "BatchItemResultProblemType0",
    "BatchResult",
    "Bins",
    "BinsMethod",
    "Bootstrap",
    "Breakdown",
    "Case",
    "CasePage",
    "CasePatch",
    "CasePatchStatusType0",
    "CaseRespondentType",
    "CaseStatus",
    "CaseSummary",
    "CaseSummaryRespondentType",
    "CaseSummaryStatus",
    "ChainBranch",
    "Change",
    "ChangeFromStatusType0",
    "ChangeKind",
    "ChangeToStatusType0",
    "CommentText",
    "CommentTextSentimentType0",
    "Comparison",
    "Consistency",
    "ConsistencyRow",
    "ConsistencyRowFlagType0",
    "Contact",
    "ContactAttempt",
    "ContactAttemptOutcome",
    "ContactOut",
    "Definition",
    "DeliveryOut",
    "DeliveryOutEventType",
    "DeliveryPage",
    "DriverReport",
    "DriverReportOutcome",
    "DriverRow",
    "DriverRowKind",
    "DriverRowQuadrantType0",
    "DriverRowWeakSideType0",
    "Dropped",
    "DurationFigure",
    "EmergingExample",
    "EmergingExampleSentimentType0",
    "EmergingGroup",
    "EmergingMethod",
    "EmergingPhrase",
    "EmergingThemes",
    "EmergingWord",
    "Erased",
    "ExportFeedbackFormatType0",
    "FeedbackIn",
    "FeedbackInAttributes",
    "FeedbackItem",
    "FeedbackItemAttributes",
    "FeedbackOut",
    "FeedbackOutAttributes",
    "FeedbackPage",
    "FieldError",
    "FollowUpsSummaryStatusType0Item",
    "GroupRow",
    "GroupRowFlagType0",
    "Health",
    "Interval",
    "ItemStatus",
    "KeyCreate",
    "KeyCreated",
    "KeyOut",
    "KeyPage",
    "Level",
    "ListAlertsFormatType0",
    "ListAlertsMetricType0Item",
    "ListAlertsStatus",
    "ListFollowUpsStatusType0Item",
    "LocationIn",
    "LocationOut",
    "LocationPage",
    "LoopFigures",
    "LoopGroup",
    "LoopMetrics",
    "LoopMetricsGroupByType0",
    "Matched",
    "Mention",
    "MetricComparison",
    "MetricRule",
    "MetricsAttributesFormatType0",
    "MetricsBreakdownFormatType0",
    "MetricsBreakdownGroupByType0",
    "MetricsBreakdownMetric",
    "MetricsBreakdownOrder",
    "MetricsBreakdownSort",
    "MetricsConsistencyFormatType0",
    "MetricsConsistencyGroupByType0",
    "MetricsConsistencyMetric",
    "MetricsDriversFormatType0",
    "MetricsDriversOutcome",
    "MetricsFollowUpsFormatType0",
    "MetricsFollowUpsGroupByType0",
    "MetricsServiceProfitChainFormatType0",
    "MetricsServqualFormatType0",
    "MetricsThemesFormatType0",
    "MetricsThemesGroupByType0",
    "MetricsThemesIntervalType0",
    "MetricsThemesMetric",
    "MetricsTimeseriesFormatType0",
    "MetricsTimeseriesGroupByType0",
    "MetricsTimeseriesInterval",
    "PeriodFigure",
    "PersonData",
    "PersonQuery",
    "PooledFigure",
    "Problem",
    "QueueSummary",
    "Readiness",
    "ReplicaReadiness",
    "ReplicaReadinessReads",
    "ReplicaReadinessState",
    "Respondent",
    "RespondentData",
    "RespondentEvent",
    "RespondentEventAttributes",
    "RespondentType",
    "RollupLag",
    "RuleIn",
    "RuleInRespondentTypesItem",
    "RuleInScore",
    "RuleSet",
    "Scope",
    "SentimentMix",
    "ServiceProfitChain",
    "Servqual",
    "ServqualDimensionFigure",
    "ServqualFigure",
    "ServqualItem",
    "ServqualReport",
    "ShareFigure",
    "Spread",
    "Summary",
    "SummaryFilters",
    "SummaryMetrics",
    "ThemeChange",
    "ThemeDefinition",
    "ThemeDefinitionKeywords",
    "ThemeDifference",
    "ThemeOut",
    "ThemeOutKeywords",
    "ThemeReport",
    "ThemeReportDefinitions",
    "ThemeReportMetric",
    "ThemeRow",
    "Themes",
    "ThemeScore",
    "ThemeSentiment",
    "ThemesIn",
    "ThemeTrendRow",
    "TidyRow",
    "Timeseries",
    "WebhookCreated",
    "WebhookCreatedEventTypesItem",
    "WebhookIn",
    "WebhookInEventTypesItem",
    "WebhookOut",
    "WebhookOutEventTypesItem",
    "WebhookPage",
    "WebhookPatch",
    "WebhookPatchEventTypesType0Item",
)
