"""Which jobs a user may see: their own, or all of them with ``core.view_job``."""

from django.db.models import QuerySet

from unitrace.core.models import Job


def jobs_visible_to(user) -> QuerySet[Job]:
    queryset = Job.objects.defer("input_data")
    if not user.is_authenticated:
        return queryset.none()
    if user.has_perm("core.view_job"):
        return queryset
    return queryset.filter(created_by=user)
