"""Point at places.Warehouse (state only: same table, same constraints)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("sales", "0003_sellthrough_customer_as_given"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="delivery",
            name="warehouse",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                to="places.warehouse",
                verbose_name="warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="rma",
            name="warehouse",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                to="places.warehouse",
                verbose_name="returned to",
            ),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
