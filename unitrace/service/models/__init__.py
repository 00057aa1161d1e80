"""The service app's models: returns and exchanges, and work orders with their history."""

from unitrace.service.models.intake import IdempotencyKey, PhoneCode
from unitrace.service.models.returns import RMA, Exchange, InspectionResult, RMALine
from unitrace.service.models.savedviews import SavedView
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
    "SavedView",
    "WorkOrder",
    "WorkOrderAttachment",
    "WorkOrderFlag",
    "WorkOrderTransition",
]
