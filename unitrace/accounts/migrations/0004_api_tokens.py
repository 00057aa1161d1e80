"""Named, hashed API tokens; DRF's clear-text tokens are hashed into them and removed.

Every existing ``authtoken`` key keeps working: its SHA-256 digest becomes an
``ApiToken`` named "API token (before named tokens)", read-write for every app, valid
for ``API_TOKEN_MAX_DAYS`` from the migration; the clear-text row is deleted. The
secrets cannot be brought back, so the reverse does not restore them.
"""

import hashlib
from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def hash_drf_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))
    expires_at = timezone.now() + timedelta(days=days)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=token.user_id,
            name="API token (before named tokens)",
            prefix=token.key[:8],
            digest=hashlib.sha256(token.key.encode()).hexdigest(),
            expires_at=expires_at,
        )
        for token in Token.objects.all()
    )
    Token.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_distributor_role'),
        ("authtoken", "0004_alter_tokenproxy_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('prefix', models.CharField(max_length=16, verbose_name='prefix')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True)),
                ('scope', models.CharField(choices=[('read', 'read only'), ('write', 'read and write')], default='write', max_length=5, verbose_name='scope')),
                ('apps', models.JSONField(blank=True, default=list, help_text='App labels this token may reach; empty means every app.', verbose_name='apps')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used at')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.RunPython(hash_drf_tokens, migrations.RunPython.noop),
]
