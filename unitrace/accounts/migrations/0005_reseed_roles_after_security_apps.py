"""Re-seed the roles once the security apps' tables exist (login limits, two-factor,
API tokens, the audit chain), so "every permission" roles such as admin hold theirs."""

from django.db import migrations


def reseed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_api_tokens"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_static", "0003_add_timestamps"),
        ("otp_totp", "0003_add_timestamps"),
        ("core", "0002_audit_chain"),
    ]

    operations = [migrations.RunPython(reseed, migrations.RunPython.noop)]
