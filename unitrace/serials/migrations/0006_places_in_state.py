"""Point at places.Warehouse / places.Bin (state only: same tables, same constraints)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("serials", "0005_supplier_serial_index"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="unit",
            name="bin",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="places.bin",
                verbose_name="bin",
            ),
        ),
        migrations.AlterField(
            model_name="unit",
            name="warehouse",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="places.warehouse",
                verbose_name="warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="unitevent",
            name="warehouse",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.warehouse",
                verbose_name="warehouse",
            ),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
