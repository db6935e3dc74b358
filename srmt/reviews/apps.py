from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "srmt.reviews"
    label = "reviews"
    verbose_name = "Supervisory review of responses"
