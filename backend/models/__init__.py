"""The persistent models, one module per aggregate."""

from backend.models.audit import AuditEntry, AuditHead
from backend.models.evidence import Evidence, StepConfirmation
from backend.models.fence import FENCE_KINDS, FenceState, Geofence, GeofenceVersion
from backend.models.org import ROLES, Enterprise, Feed, RefreshToken, Scale, SourceSite, Team, User, Vehicle
from backend.models.push import PushMessage, PushSubscription
from backend.models.task import Event, Task, TaskTransition
from backend.models.tracking import Alarm, Fix, OfficerPosition, VehiclePosition
from backend.models.warning import WARNING_KINDS, WARNING_STATUSES, WarningEvent, WarningRecord
from backend.models.weighing import Weighing

__all__ = [
    "FENCE_KINDS", "ROLES", "WARNING_KINDS", "WARNING_STATUSES",
    "Alarm", "AuditEntry", "AuditHead", "Enterprise", "Event", "Evidence", "Feed", "FenceState", "Fix",
    "Geofence", "GeofenceVersion", "OfficerPosition", "PushMessage", "PushSubscription", "RefreshToken", "Scale",
    "SourceSite", "StepConfirmation", "Task", "TaskTransition", "Team", "User", "Vehicle", "VehiclePosition",
    "WarningEvent", "WarningRecord", "Weighing",
]
