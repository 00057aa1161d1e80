"""Warehouse and Bin now live in places: re-point the FKs and forget the models (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0003_grant_roles"),
        ("places", "0001_initial"),
        ("procurement", "0003_places_in_state"),
        ("sales", "0004_places_in_state"),
        ("serials", "0006_places_in_state"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="transferline",
            name="received_bin",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.bin",
                verbose_name="received into bin",
            ),
        ),
        migrations.AlterField(
            model_name="stocktakeline",
            name="book_bin",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.bin",
                verbose_name="bin in the book",
            ),
        ),
        migrations.AlterField(
            model_name="stocktakeline",
            name="counted_bin",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.bin",
                verbose_name="counted in bin",
            ),
        ),
        migrations.AlterField(
            model_name="stocktakescan",
            name="bin",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.bin",
                verbose_name="bin",
            ),
        ),
        migrations.RemoveField(
            model_name="warehouse",
            name="parent",
        ),
        migrations.AlterField(
            model_name="stockalert",
            name="warehouse",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="places.warehouse",
                verbose_name="warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="partmove",
            name="warehouse",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.warehouse",
                verbose_name="warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="from_warehouse",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="transfers_out",
                to="places.warehouse",
                verbose_name="from warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="stocktake",
            name="warehouse",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="stocktakes",
                to="places.warehouse",
                verbose_name="warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="partmove",
            name="counterpart",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.warehouse",
                verbose_name="other warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="to_warehouse",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="transfers_in",
                to="places.warehouse",
                verbose_name="to warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="minstock",
            name="warehouse",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="places.warehouse",
                verbose_name="warehouse",
            ),
        ),
        migrations.AlterField(
            model_name="partstock",
            name="warehouse",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="part_stock",
                to="places.warehouse",
                verbose_name="warehouse",
            ),
        ),
        migrations.DeleteModel(
            name="Bin",
        ),
        migrations.DeleteModel(
            name="Warehouse",
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
