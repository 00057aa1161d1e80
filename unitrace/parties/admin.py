from django.contrib import admin

from unitrace.core.admin import LoggedAdmin
from unitrace.parties.models import Party


@admin.register(Party)
class PartyAdmin(LoggedAdmin):
    list_display = ["code", "name", "kind", "province", "city", "active"]
    list_filter = ["kind", "province", "active"]
    search_fields = ["code", "name", "phone"]
