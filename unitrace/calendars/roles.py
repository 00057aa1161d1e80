"""Permissions this app grants to roles (merged by accounts.roles).

Calendars are set by administrators (who hold every permission); the people who watch
service times read them: the due times they see are measured on these calendars.
"""

VIEW_CALENDARS = [
    "calendars.view_businesscalendar",
    "calendars.view_workingwindow",
    "calendars.view_calendarexception",
    "calendars.view_exceptionwindow",
]

GRANTS: dict[str, list[str]] = {
    "agent": VIEW_CALENDARS,
    "dispatcher": VIEW_CALENDARS,
    "manager": VIEW_CALENDARS,
    "auditor": VIEW_CALENDARS,
}
