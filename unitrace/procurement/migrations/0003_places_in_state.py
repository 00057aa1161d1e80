"""Point at places.Warehouse (state only: same table, same constraints)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("procurement", "0002_roles"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="purchaseorder",
            name="warehouse",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.warehouse",
                verbose_name="receiving warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="receipt",
            name="warehouse",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.warehouse",
                verbose_name="warehouse",
            ),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
