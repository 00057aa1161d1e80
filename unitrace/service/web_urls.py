"""The ``service`` pages: the agent console and work orders (list, saved views, detail,
steps, new)."""

from django.urls import path

from unitrace.service.views import search, workorders

app_name = "service"
urlpatterns = [
    path("search/", search.agent_search, name="search"),
    path("work-orders/", workorders.workorder_list, name="workorder_list"),
    path("work-orders/new/", workorders.workorder_create, name="workorder_create"),
    path("work-orders/views/", workorders.view_save, name="workorder_view_save"),
    path(
        "work-orders/views/<int:pk>/delete/",
        workorders.view_delete,
        name="workorder_view_delete",
    ),
    path("work-orders/<int:pk>/", workorders.workorder_detail, name="workorder_detail"),
    path(
        "work-orders/<int:pk>/transition/",
        workorders.workorder_transition,
        name="workorder_transition",
    ),
    path("work-orders/<int:pk>/assign/", workorders.workorder_assign, name="workorder_assign"),
    path("work-orders/<int:pk>/fault/", workorders.workorder_fault, name="workorder_fault"),
    path(
        "work-orders/<int:pk>/shipping/", workorders.workorder_shipping, name="workorder_shipping"
    ),
    path(
        "work-orders/<int:pk>/attachments/<int:attachment>/",
        workorders.workorder_attachment,
        name="workorder_attachment",
    ),
]
