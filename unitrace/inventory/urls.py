from django.urls import path, re_path

from unitrace.inventory.views import parts, stocktakes, transfers, warehouses

app_name = "inventory"
urlpatterns = [
    path("warehouses/", warehouses.warehouse_list, name="warehouse_list"),
    path("warehouses/<int:pk>/", warehouses.warehouse_detail, name="warehouse_detail"),
    path("holds/", warehouses.holds, name="holds"),
    path("transfers/", transfers.transfer_list, name="transfer_list"),
    path("transfers/<int:pk>/", transfers.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/scan/", transfers.transfer_scan, name="transfer_scan"),
    re_path(
        r"^transfers/(?P<pk>\d+)/(?P<action>dispatch|cancel|remove|close)/$",
        transfers.transfer_action,
        name="transfer_action",
    ),
    path("stocktakes/", stocktakes.stocktake_list, name="stocktake_list"),
    path("stocktakes/<int:pk>/", stocktakes.stocktake_count, name="stocktake_count"),
    path("stocktakes/<int:pk>/scan/", stocktakes.stocktake_scan, name="stocktake_scan"),
    path("stocktakes/<int:pk>/report/", stocktakes.stocktake_report_page, name="stocktake_report"),
    path("parts/", parts.part_stock, name="part_stock"),
    path("parts/move/", parts.part_move, name="part_move"),
    path("parts/moves/", parts.part_moves, name="part_moves"),
    path("parts/low/", parts.low_stock_page, name="low_stock"),
]
