from django.urls import path, register_converter

from unitrace.sales.views import distributor, orders, parties


class KindsConverter:
    """``customers`` or ``distributors``: the two kinds of party the sales pages edit."""

    regex = "customers|distributors"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindsConverter, "kinds")

app_name = "sales"
urlpatterns = [
    path("orders/", orders.order_list, name="order_list"),
    path("orders/new/", orders.order_create, name="order_create"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("orders/<int:pk>/scan/", orders.order_scan, name="order_scan"),
    path("deliveries/", orders.delivery_list, name="delivery_list"),
    path("deliveries/<int:pk>/", orders.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:pk>/print/", orders.delivery_print, name="delivery_print"),
    path("deliveries/<int:pk>/note.pdf", orders.delivery_pdf, name="delivery_pdf"),
    path("channels/", parties.channel_list, name="channel_list"),
    path("channels/new/", parties.channel_edit, name="channel_create"),
    path("channels/<int:pk>/", parties.channel_edit, name="channel_edit"),
    path("customers/", parties.party_list, {"kinds": "customers"}, name="customers"),
    path("distributors/", parties.party_list, {"kinds": "distributors"}, name="distributors"),
    path("<kinds:kinds>/new/", parties.party_edit, name="party_create"),
    path("<kinds:kinds>/<int:pk>/", parties.party_edit, name="party_edit"),
    path("my/units/", distributor.my_units, name="my_units"),
    path("my/sell/", distributor.record_sale, name="record_sale"),
    path("my/sales/", distributor.my_sales, name="my_sales"),
]
