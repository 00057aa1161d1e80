from django.urls import path

from unitrace.places import views

app_name = "places"
urlpatterns = [
    path("", views.warehouse_list, name="warehouse_list"),
    path("new/", views.warehouse_create, name="warehouse_create"),
    path("import/", views.warehouse_import, name="warehouse_import"),
    path("<int:pk>/", views.warehouse_detail, name="warehouse_detail"),
    path("<int:pk>/edit/", views.warehouse_edit, name="warehouse_edit"),
    path("<int:pk>/bins/", views.bin_add, name="bin_add"),
]
