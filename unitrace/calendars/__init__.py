"""Business-hours calendars: working windows, Chinese holidays and 调休, business time."""
