"""English: Django's English formats, with the 24-hour clock the warehouses work by.

Only the date-and-time formats change: "Jan. 15, 2026, 14:30" rather than "2:30 p.m."
beside a 24-hour Chinese page. Numbers keep Django's 150,000.
"""

DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
TIME_FORMAT = "H:i"
