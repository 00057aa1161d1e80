"""Warehouse and Bin move here from inventory: state only, the tables keep their names."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("inventory", "0003_grant_roles")]

    state_operations = [
        migrations.CreateModel(
            name="Warehouse",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("hq", "headquarters"),
                            ("regional", "regional"),
                            ("service_centre", "service centre"),
                            ("van", "engineer van"),
                            ("factory", "factory"),
                        ],
                        max_length=20,
                        verbose_name="level",
                    ),
                ),
                ("province", models.CharField(blank=True, max_length=20, verbose_name="province")),
                ("city", models.CharField(blank=True, max_length=30, verbose_name="city")),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="places.warehouse",
                        verbose_name="parent",
                    ),
                ),
            ],
            options={
                "verbose_name": "warehouse",
                "verbose_name_plural": "warehouses",
                "db_table": "inventory_warehouse",
                "ordering": ["code"],
                "permissions": [("hold_units", "Can quarantine, block and release units")],
            },
        ),
        migrations.CreateModel(
            name="Bin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=40, verbose_name="code")),
                (
                    "warehouse",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bins",
                        to="places.warehouse",
                        verbose_name="warehouse",
                    ),
                ),
            ],
            options={
                "verbose_name": "bin",
                "verbose_name_plural": "bins",
                "db_table": "inventory_bin",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("warehouse", "code"), name="bin_unique_per_warehouse"
                    )
                ],
            },
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
