"""Units found that the book did not expect get their own figure.

``counted_count`` counted them too, so "counted N / M" could pass the book; existing
stocktakes move them over from the lines they left (not in the book, counted).
"""

from django.db import migrations, models
from django.db.models import Count, Q


def split_unexpected(apps, schema_editor):
    Stocktake = apps.get_model("inventory", "Stocktake")
    StocktakeLine = apps.get_model("inventory", "StocktakeLine")
    found = (
        StocktakeLine.objects.filter(in_book=False, counted_at__isnull=False)
        .values("stocktake_id")
        .annotate(n=Count("id"))
    )
    for row in found.iterator():
        stocktake = Stocktake.objects.get(pk=row["stocktake_id"])
        stocktake.unexpected_count = row["n"]
        stocktake.counted_count = max(0, stocktake.counted_count - row["n"])
        stocktake.save(update_fields=["unexpected_count", "counted_count"])


def merge_unexpected(apps, schema_editor):
    Stocktake = apps.get_model("inventory", "Stocktake")
    Stocktake.objects.filter(~Q(unexpected_count=0)).update(
        counted_count=models.F("counted_count") + models.F("unexpected_count")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0004_places_leave_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="stocktake",
            name="unexpected_count",
            field=models.PositiveIntegerField(default=0, verbose_name="unexpected units"),
        ),
        migrations.RunPython(split_unexpected, merge_unexpected),
    ]
