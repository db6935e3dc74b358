"""Sign in and sign out, outside the `staff` namespace (settings.LOGIN_URL is "login")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from srmt.staff.forms import LoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # LogoutView accepts POST only (Django 5), so a link cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
