"""WSGI entry point (gunicorn srmt.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")
application = get_wsgi_application()
