"""ExchangeWarrantyRule moves here from sales: state only, the table keeps its name."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("sales", "0004_places_in_state"),
        ("catalog", "0002_reseed_roles_after_contrib_apps"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="ExchangeWarrantyRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[
                            ("carry_over", "carry over the old unit's warranty"),
                            ("restart", "restart the warranty"),
                        ],
                        default="carry_over",
                        max_length=12,
                        verbose_name="mode",
                    ),
                ),
                (
                    "sku",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exchange_warranty_rule",
                        to="catalog.sku",
                        verbose_name="SKU",
                    ),
                ),
            ],
            options={
                "verbose_name": "exchange warranty rule",
                "verbose_name_plural": "exchange warranty rules",
                "db_table": "sales_exchangewarrantyrule",
            },
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
