from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a new code reaches its person."""

    LETTER = "letter", _("Mailed letter")
    EMAIL = "email", _("Email")
    # The case systems print it themselves (the API answers it once).
    NONE = "none", _("Given to the case systems")
