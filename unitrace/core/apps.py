from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin, registry


class CoreConfig(AppConfig):
    name = "unitrace.core"
    label = "core"
    verbose_name = _("Jobs and change log")
    plugin = Plugin(
        order=20,
        pages=(
            ("jobs/", "unitrace.core.urls"),
            ("audit/", "unitrace.core.audit_urls"),
            ("company/", "unitrace.core.company_urls"),
        ),
        api="unitrace.core.api_urls",
        nav="unitrace.core.nav",
        grants="unitrace.core.roles",
        jobs=("unitrace.core.exports", "unitrace.core.audit_trail"),
        nav_order=10_000,  # "Jobs" closes the navigation
    )

    def ready(self) -> None:
        # Every app's declarations are read here, at start: a conflict stops the start,
        # and the job modules register their handlers before any job is submitted.
        plugins = registry()
        plugins.check()
        plugins.load_jobs()
        from unitrace.core import deploy_checks  # noqa: F401 - registers the deploy checks
