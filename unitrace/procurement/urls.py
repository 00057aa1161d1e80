from django.urls import path

from unitrace.procurement.views import orders, quality, receiving

app_name = "procurement"
urlpatterns = [
    path("orders/", orders.order_list, name="order_list"),
    path("orders/new/", orders.order_create, name="order_create"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("orders/<int:pk>/status/", orders.order_status, name="order_status"),
    path("orders/<int:pk>/asn/", orders.asn_upload, name="asn_upload"),
    path("orders/<int:pk>/receive/", receiving.receive_page, name="receive"),
    path("orders/<int:pk>/receive/scan/", receiving.receive_scan_view, name="receive_scan"),
    path("orders/<int:pk>/receive/bulk/", receiving.receive_bulk, name="receive_bulk"),
    path("receipts/<int:pk>/close/", receiving.receipt_close, name="receipt_close"),
    path("suspects/", quality.suspect_list, name="suspect_list"),
    path("suspects/<int:pk>/decide/", quality.suspect_decide, name="suspect_decide"),
    path("quality/", quality.quality, name="quality"),
    path("suppliers/", quality.supplier_list, name="supplier_list"),
]
