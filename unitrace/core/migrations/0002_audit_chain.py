"""The change log becomes a hash chain and append-only (``core.audit``, ``core.chain``).

Entries written before get their position and hash here, in id order; then the
append-only triggers go in (after the model moves that relabel history, which rewrite
entries). The user column keeps the id of a deleted login instead of clearing it.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from unitrace.core import audit_triggers


def seal_and_protect(apps, schema_editor):
    audit_triggers.reseal(apps.get_model("core", "ChangeLog"), schema_editor)
    audit_triggers.install(schema_editor)


def unprotect(apps, schema_editor):
    audit_triggers.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        # their relabelling of the change log runs before the log becomes append-only
        ('places', '0002_move_content_types'),
        ('service', '0002_move_content_types'),
        ('warranty', '0002_move_content_types'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChainHead',
            fields=[
                ('stream', models.CharField(max_length=30, primary_key=True, serialize=False, verbose_name='stream')),
                ('seq', models.BigIntegerField(default=0, verbose_name='sequence')),
                ('last_hash', models.CharField(blank=True, max_length=64, verbose_name='last hash')),
            ],
            options={
                'verbose_name': 'chain head',
                'verbose_name_plural': 'chain heads',
                'default_permissions': (),
            },
        ),
        migrations.AddField(
            model_name='changelog',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='chain hash'),
        ),
        migrations.AddField(
            model_name='changelog',
            name='seq',
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True, verbose_name='sequence'),
        ),
        migrations.AlterField(
            model_name='changelog',
            name='action',
            field=models.CharField(choices=[('create', 'created'), ('update', 'updated'), ('delete', 'deleted'), ('cancel', 'cancelled'), ('login', 'logged in'), ('login_failed', 'login failed'), ('logout', 'logged out'), ('token_issued', 'token issued'), ('token_revoked', 'token revoked'), ('denied', 'permission denied'), ('export', 'data exported')], max_length=16, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='changelog',
            name='time',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='time'),
        ),
        migrations.AlterField(
            model_name='changelog',
            name='user',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.RunPython(seal_and_protect, unprotect),
    ]
