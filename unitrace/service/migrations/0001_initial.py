"""Returns and exchanges move here from sales: state only, the tables keep their names."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("sales", "0004_places_in_state"),
        ("places", "0001_initial"),
        ("parties", "0002_authorized_regions"),
        ("serials", "0006_places_in_state"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="RMA",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=40, unique=True, verbose_name="number")),
                (
                    "kind",
                    models.CharField(
                        choices=[("return", "return"), ("exchange", "exchange")],
                        default="return",
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "waiting for inspection"), ("closed", "closed")],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="reason")),
                ("received_at", models.DateTimeField(verbose_name="received at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "holder",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="parties.party",
                        verbose_name="returned by",
                    ),
                ),
                (
                    "warehouse",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="places.warehouse",
                        verbose_name="returned to",
                    ),
                ),
            ],
            options={
                "verbose_name": "return (RMA)",
                "verbose_name_plural": "returns (RMA)",
                "db_table": "sales_rma",
                "ordering": ["-received_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Exchange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("carry_over", models.BooleanField(verbose_name="warranty carried over")),
                ("exchanged_at", models.DateTimeField(verbose_name="exchanged at")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "holder",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="parties.party",
                        verbose_name="holder",
                    ),
                ),
                (
                    "new_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="serials.unit",
                        verbose_name="new unit",
                    ),
                ),
                (
                    "old_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="serials.unit",
                        verbose_name="old unit",
                    ),
                ),
                (
                    "rma",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exchanges",
                        to="service.rma",
                        verbose_name="RMA",
                    ),
                ),
            ],
            options={
                "verbose_name": "exchange",
                "verbose_name_plural": "exchanges",
                "db_table": "sales_exchange",
                "ordering": ["-exchanged_at", "-id"],
                "indexes": [
                    models.Index(fields=["new_unit", "exchanged_at"], name="exchange_new_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("old_unit", models.F("new_unit")), _negated=True),
                        name="exchange_not_self",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RMALine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "result",
                    models.CharField(
                        choices=[
                            ("pending", "not inspected yet"),
                            ("resaleable", "resaleable: back to stock"),
                            ("repair", "needs repair"),
                            ("scrap", "scrap"),
                        ],
                        default="pending",
                        max_length=12,
                        verbose_name="inspection result",
                    ),
                ),
                (
                    "inspected_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="inspected at"),
                ),
                ("notes", models.CharField(blank=True, max_length=200, verbose_name="notes")),
                (
                    "holder",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="parties.party",
                        verbose_name="returned by",
                    ),
                ),
                (
                    "rma",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="service.rma",
                        verbose_name="RMA",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="serials.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "returned unit",
                "verbose_name_plural": "returned units",
                "db_table": "sales_rmaline",
                "ordering": ["id"],
                "constraints": [
                    models.UniqueConstraint(fields=("rma", "unit"), name="rma_unit_once")
                ],
            },
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
