"""The public survey page: no sign-in (the signed link is the permission; ADR 0038)."""

from django.urls import path

from srmt.surveys import views

urlpatterns = [path("survey/<str:token>/", views.survey_page, name="survey")]
