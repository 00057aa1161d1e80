"""RMA, RMALine, Exchange (now service) and ExchangeWarrantyRule (now warranty) leave the sales state; their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0004_places_in_state"),
        ("service", "0001_initial"),
        ("warranty", "0001_initial"),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name="exchangewarrantyrule",
            name="sku",
        ),
        migrations.RemoveField(
            model_name="rma",
            name="created_by",
        ),
        migrations.RemoveField(
            model_name="rma",
            name="holder",
        ),
        migrations.RemoveField(
            model_name="rma",
            name="warehouse",
        ),
        migrations.RemoveField(
            model_name="rmaline",
            name="rma",
        ),
        migrations.RemoveField(
            model_name="rmaline",
            name="holder",
        ),
        migrations.RemoveField(
            model_name="rmaline",
            name="unit",
        ),
        migrations.DeleteModel(
            name="Exchange",
        ),
        migrations.DeleteModel(
            name="ExchangeWarrantyRule",
        ),
        migrations.DeleteModel(
            name="RMA",
        ),
        migrations.DeleteModel(
            name="RMALine",
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
