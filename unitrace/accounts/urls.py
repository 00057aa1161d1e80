from django.contrib.auth import views as auth_views
from django.urls import path

from unitrace.accounts import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("two-factor/", two_factor_views.enrol, name="two_factor"),
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/recovery/", two_factor_views.recovery_codes, name="two_factor_recovery"),
    path("two-factor/disable/", two_factor_views.disable, name="two_factor_disable"),
]
