import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('calendars', '0002_default_calendars'),
        ('service', '0007_intake_channels_idempotency'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SLAEscalationRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('at_risk', models.PositiveIntegerField(default=0, verbose_name='marked at risk')),
                ('breached', models.PositiveIntegerField(default=0, verbose_name='marked breached')),
                ('escalations', models.PositiveIntegerField(default=0, verbose_name='escalations recorded')),
            ],
            options={
                'verbose_name': 'SLA escalation run',
                'verbose_name_plural': 'SLA escalation runs',
                'ordering': ['-started_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='workorder',
            name='arrival_business_seconds',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='arrival time (business seconds)'),
        ),
        migrations.AddField(
            model_name='workorder',
            name='arrival_wall_seconds',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='arrival time (seconds)'),
        ),
        migrations.AddField(
            model_name='workorder',
            name='resolution_business_seconds',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='resolution time (business seconds)'),
        ),
        migrations.AddField(
            model_name='workorder',
            name='resolution_wall_seconds',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='resolution time (seconds)'),
        ),
        migrations.AddField(
            model_name='workorder',
            name='response_business_seconds',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='response time (business seconds)'),
        ),
        migrations.AddField(
            model_name='workorder',
            name='response_wall_seconds',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='response time (seconds)'),
        ),
        migrations.AddField(
            model_name='workorder',
            name='service_class',
            field=models.CharField(blank=True, choices=[('standard', 'standard'), ('premium', 'premium'), ('key_account', 'key account')], max_length=20, verbose_name='service class'),
        ),
        migrations.CreateModel(
            name='SLAPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                ('name_zh', models.CharField(max_length=100, verbose_name='name (Chinese)')),
                ('name_en', models.CharField(blank=True, max_length=100, verbose_name='name (English)')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('service_class', models.CharField(blank=True, choices=[('standard', 'standard'), ('premium', 'premium'), ('key_account', 'key account')], max_length=20, verbose_name='service class')),
                ('priority', models.CharField(blank=True, choices=[('urgent', 'urgent'), ('high', 'high'), ('normal', 'normal'), ('low', 'low')], max_length=10, verbose_name='priority')),
                ('kind', models.CharField(blank=True, choices=[('repair', 'repair'), ('installation', 'installation'), ('maintenance', 'maintenance'), ('inspection', 'inspection'), ('return_exchange', 'return / exchange'), ('recall', 'recall')], max_length=20, verbose_name='work-order type')),
                ('region', models.CharField(blank=True, help_text='Division code prefix: 33 Zhejiang, 3301 Hangzhou, 330106 Xihu.', max_length=6, validators=[django.core.validators.RegexValidator('^(\\d{2}|\\d{4}|\\d{6})$', 'A region is a division code prefix of 2 (province), 4 (city) or 6 (district) digits.', code='bad_region')], verbose_name='region')),
                ('respond_minutes', models.PositiveIntegerField(blank=True, help_text="Business minutes on the policy's calendar; empty: no target.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(525600)], verbose_name='first response within (minutes)')),
                ('arrive_minutes', models.PositiveIntegerField(blank=True, help_text="Business minutes on the policy's calendar; empty: no target.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(525600)], verbose_name='on-site arrival within (minutes)')),
                ('resolve_minutes', models.PositiveIntegerField(blank=True, help_text="Business minutes on the policy's calendar; empty: no target.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(525600)], verbose_name='resolution within (minutes)')),
                ('at_risk_percent', models.PositiveSmallIntegerField(default=80, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='at risk from (percentage of the target used)')),
                ('pause_for_parts', models.BooleanField(default=False, help_text='Waiting for the customer always pauses them.', verbose_name='waiting for parts pauses the clocks')),
                ('calendar', models.ForeignKey(help_text='The hours the clocks run in (choose the 24×7 calendar for round the clock).', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='calendars.businesscalendar', verbose_name='business calendar')),
            ],
            options={
                'verbose_name': 'SLA policy',
                'verbose_name_plural': 'SLA policies',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='SLAClock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('target', models.CharField(choices=[('respond', 'first response'), ('arrive', 'on-site arrival'), ('resolve', 'resolution')], max_length=10, verbose_name='target')),
                ('matched', models.JSONField(blank=True, default=dict, verbose_name='matched on')),
                ('target_seconds', models.PositiveIntegerField(verbose_name='target (business seconds)')),
                ('at_risk_percent', models.PositiveSmallIntegerField(verbose_name='at risk from (%)')),
                ('pause_for_parts', models.BooleanField(default=False, verbose_name='waiting for parts pauses')),
                ('state', models.CharField(choices=[('running', 'running'), ('paused', 'paused'), ('met', 'met'), ('stopped', 'stopped (cancelled)')], default='running', max_length=10, verbose_name='state')),
                ('started_at', models.DateTimeField(verbose_name='started at')),
                ('due_at', models.DateTimeField(verbose_name='due at')),
                ('at_risk_at', models.DateTimeField(verbose_name='at risk at')),
                ('paused_at', models.DateTimeField(blank=True, null=True, verbose_name='paused since')),
                ('paused_business_seconds', models.PositiveIntegerField(default=0, verbose_name='paused (business seconds)')),
                ('paused_wall_seconds', models.PositiveIntegerField(default=0, verbose_name='paused (seconds)')),
                ('met_at', models.DateTimeField(blank=True, null=True, verbose_name='met at')),
                ('stopped_at', models.DateTimeField(blank=True, null=True, verbose_name='stopped at')),
                ('at_risk', models.BooleanField(default=False, verbose_name='at risk')),
                ('breached', models.BooleanField(default=False, verbose_name='breached')),
                ('breached_at', models.DateTimeField(blank=True, null=True, verbose_name='breached at')),
                ('risk_run', models.PositiveBigIntegerField(blank=True, editable=False, null=True)),
                ('breach_run', models.PositiveBigIntegerField(blank=True, editable=False, null=True)),
                ('calendar', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='calendars.businesscalendar', verbose_name='business calendar')),
                ('work_order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sla_clocks', to='service.workorder', verbose_name='work order')),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='clocks', to='service.slapolicy', verbose_name='SLA policy')),
            ],
            options={
                'verbose_name': 'SLA clock',
                'verbose_name_plural': 'SLA clocks',
                'ordering': ['work_order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SupervisorRegion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('region', models.CharField(help_text='Division code prefix: 33 Zhejiang, 3301 Hangzhou, 330106 Xihu.', max_length=6, validators=[django.core.validators.RegexValidator('^(\\d{2}|\\d{4}|\\d{6})$', 'A region is a division code prefix of 2 (province), 4 (city) or 6 (district) digits.', code='bad_region')], verbose_name='region')),
                ('supervisor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supervised_regions', to=settings.AUTH_USER_MODEL, verbose_name='supervisor')),
            ],
            options={
                'verbose_name': 'supervised region',
                'verbose_name_plural': 'supervised regions',
                'ordering': ['region', 'supervisor'],
            },
        ),
        migrations.CreateModel(
            name='SLAEscalation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(choices=[('at_risk', 'at risk'), ('breached', 'breached')], max_length=10, verbose_name='level')),
                ('target', models.CharField(choices=[('respond', 'first response'), ('arrive', 'on-site arrival'), ('resolve', 'resolution')], max_length=10, verbose_name='target')),
                ('due_at', models.DateTimeField(verbose_name='due at')),
                ('at', models.DateTimeField(verbose_name='at')),
                ('run', models.PositiveBigIntegerField(verbose_name='run')),
                ('clock', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='escalations', to='service.slaclock', verbose_name='SLA clock')),
                ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='sla_escalations', to=settings.AUTH_USER_MODEL, verbose_name='told')),
                ('work_order', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='sla_escalations', to='service.workorder', verbose_name='work order')),
            ],
            options={
                'verbose_name': 'SLA escalation',
                'verbose_name_plural': 'SLA escalations',
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['recipient', 'at'], name='sla_escalation_recipient'), models.Index(fields=['work_order', 'at'], name='sla_escalation_order')],
                'constraints': [models.UniqueConstraint(fields=('clock', 'level', 'recipient'), name='sla_escalation_once'), models.UniqueConstraint(condition=models.Q(('recipient__isnull', True)), fields=('clock', 'level'), name='sla_escalation_once_unaddressed')],
            },
        ),
        migrations.AddConstraint(
            model_name='slapolicy',
            constraint=models.CheckConstraint(condition=models.Q(('at_risk_percent__gte', 1), ('at_risk_percent__lte', 100)), name='sla_policy_risk_percent'),
        ),
        migrations.AddConstraint(
            model_name='slapolicy',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('respond_minutes__isnull', True), ('respond_minutes__gte', 1), _connector='OR'), models.Q(('arrive_minutes__isnull', True), ('arrive_minutes__gte', 1), _connector='OR'), models.Q(('resolve_minutes__isnull', True), ('resolve_minutes__gte', 1), _connector='OR')), name='sla_policy_positive_targets'),
        ),
        migrations.AddIndex(
            model_name='slaclock',
            index=models.Index(condition=models.Q(('at_risk', False), ('state', 'running')), fields=['at_risk_at'], name='sla_clock_risk_due'),
        ),
        migrations.AddIndex(
            model_name='slaclock',
            index=models.Index(condition=models.Q(('breached', False), ('state', 'running')), fields=['due_at'], name='sla_clock_breach_due'),
        ),
        migrations.AddIndex(
            model_name='slaclock',
            index=models.Index(fields=['risk_run'], name='sla_clock_risk_run'),
        ),
        migrations.AddIndex(
            model_name='slaclock',
            index=models.Index(fields=['breach_run'], name='sla_clock_breach_run'),
        ),
        migrations.AddConstraint(
            model_name='slaclock',
            constraint=models.UniqueConstraint(fields=('work_order', 'target'), name='sla_clock_once'),
        ),
        migrations.AddIndex(
            model_name='supervisorregion',
            index=models.Index(fields=['region'], name='sla_supervisor_region_code'),
        ),
        migrations.AddConstraint(
            model_name='supervisorregion',
            constraint=models.UniqueConstraint(fields=('supervisor', 'region'), name='sla_supervisor_region'),
        ),
    ]
