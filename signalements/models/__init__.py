from .alerts import ReportAlert, ReportAlertDelivery
from .map_cells import ReportMapCell, ReportMapEntry
from .pages import ReportsPortalPage
from .pending import PendingPhoto
from .reports import (
    CLOSED_STATES,
    OPEN_STATES,
    PUBLIC_STATES,
    REOPENABLE_STATES,
    Priority,
    Report,
    ReportPhoto,
    ReportState,
    ReportSupporter,
    ReportUpdate,
    Source,
    UpdateKind,
)
from .setup import (
    Category,
    CategoryQuestion,
    Open311Client,
    QuestionDatatype,
    ResponseTemplate,
    Service,
    ServiceRoute,
)
from .site_settings import ReportSettings

__all__ = [
    "CLOSED_STATES",
    "OPEN_STATES",
    "PUBLIC_STATES",
    "REOPENABLE_STATES",
    "Category",
    "CategoryQuestion",
    "Open311Client",
    "PendingPhoto",
    "Priority",
    "QuestionDatatype",
    "Report",
    "ReportAlert",
    "ReportAlertDelivery",
    "ReportMapCell",
    "ReportMapEntry",
    "ReportPhoto",
    "ReportSettings",
    "ReportState",
    "ReportSupporter",
    "ReportUpdate",
    "ReportsPortalPage",
    "ResponseTemplate",
    "Service",
    "ServiceRoute",
    "Source",
    "UpdateKind",
]
