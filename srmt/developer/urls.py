"""The Case Status API (outside /api/v1/, at the agency's paths) and the developer page."""

from django.urls import path

from srmt.developer import views

app_name = "developer"
urlpatterns = [
    path("oauth/accesstoken", views.access_token, name="access_token"),
    path("case-status/<str:receipt_number>", views.case_status, name="case_status"),
    path("developer/", views.developer_home, name="home"),
]
