from django.contrib import admin

from unitrace.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "party", "phone"]
    search_fields = ["user__username"]
