from django.urls import path

from unitrace.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.sku_list, name="sku_list"),
    path("new/", views.sku_create, name="sku_create"),
    path("import/", views.sku_import, name="sku_import"),
    path("<int:pk>/", views.sku_detail, name="sku_detail"),
    path("<int:pk>/edit/", views.sku_edit, name="sku_edit"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/import/", views.batch_import, name="batch_import"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
]
