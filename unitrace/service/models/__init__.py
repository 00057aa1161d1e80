"""The service app's models: returns and exchanges, and work orders with their history."""

from unitrace.service.models.intake import IdempotencyKey, PhoneCode
from unitrace.service.models.returns import RMA, Exchange, InspectionResult, RMALine
from unitrace.service.models.savedviews import SavedView
from unitrace.service.models.sla import (
    ServiceClass,
    SLAClock,
    SLAEscalation,
    SLAEscalationRun,
    SLAPolicy,
    SupervisorRegion,
    Target,
)
from unitrace.service.models.workorders import (
    FaultCategory,
    FaultCode,
    WorkOrder,
    WorkOrderAttachment,
    WorkOrderFlag,
    WorkOrderTransition,
)

__all__ = [
    "RMA",
    "Exchange",
    "FaultCategory",
    "FaultCode",
    "IdempotencyKey",
    "InspectionResult",
    "PhoneCode",
    "RMALine",
    "SLAClock",
    "SLAEscalation",
    "SLAEscalationRun",
    "SLAPolicy",
    "SavedView",
    "ServiceClass",
    "SupervisorRegion",
    "Target",
    "WorkOrder",
    "WorkOrderAttachment",
    "WorkOrderFlag",
    "WorkOrderTransition",
]
