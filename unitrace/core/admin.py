"""Admin: the change log and jobs are read-only; master-data admins log every edit."""

from django.contrib import admin
from django.db import router, transaction

from unitrace.core.audit import log_change, log_deletion, snapshot
from unitrace.core.models import ChangeLog, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LoggedAdmin(admin.ModelAdmin):
    """Edits through the admin land in the same change log as API edits.

    Every write path of the admin is covered: the add/change form (with its
    many-to-many fields, e.g. a user's groups), inline formsets, list-editable rows,
    the delete page, the "delete selected" action and whatever a delete cascades to.
    Who, when and from where come from the request (``core.middleware``).
    """

    def _previous(self, obj):
        previous = type(obj)._default_manager.filter(pk=obj.pk).first()
        return snapshot(previous) if previous is not None else None

    def save_model(self, request, obj, form, change):
        # Snapshot before the write; the entry is written once the form's many-to-many
        # data is saved too (``save_related``), so it shows e.g. group changes.
        form._changelog_before = self._previous(obj) if change and obj.pk is not None else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        form.save_m2m()
        obj = form.instance
        before = getattr(form, "_changelog_before", None)
        action = ChangeLog.Action.UPDATE if change else ChangeLog.Action.CREATE
        after = snapshot(obj)
        if action == ChangeLog.Action.CREATE or before != after:
            log_change(obj, action, before, after)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """Inline rows (a SKU's key components, a warehouse's bins): one entry per row."""
        model = formset.model
        known = [f.instance.pk for f in formset.initial_forms if f.instance.pk is not None]
        before = {o.pk: snapshot(o) for o in model._default_manager.filter(pk__in=known)}
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            with transaction.atomic(using=router.db_for_write(model)):
                log_deletion([obj])
                obj.delete()
        for obj in instances:
            previous = before.get(obj.pk) if obj.pk is not None else None
            obj.save()
            if previous is None:
                log_change(obj, ChangeLog.Action.CREATE)
            elif previous != snapshot(obj):
                log_change(obj, ChangeLog.Action.UPDATE, previous)
        formset.save_m2m()

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(type(obj))):
            log_deletion([obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        """The "delete selected" action: one entry per deleted row, all or nothing."""
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            log_deletion(queryset)
            super().delete_queryset(request, queryset)


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["time", "username", "ip_address", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_repr", "object_id"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "created_by", "created_at", "done", "total"]
    list_filter = ["kind", "status"]
    exclude = ["input_data"]
