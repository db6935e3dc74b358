# Expedite criteria, expedite requests, attachments, and repeat links (issue 3, parts 6-7).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import srmt.service_requests.models


class Migration(migrations.Migration):
    dependencies = [
        ("service_requests", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="repeat_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="repeats",
                to="service_requests.servicerequest",
            ),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="repeat_count",
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.CreateModel(
            name="ExpediteCriterion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=48)),
                (
                    "version",
                    models.CharField(help_text="The policy version, e.g. 2021-06.", max_length=16),
                ),
                ("name_en", models.CharField(max_length=200)),
                ("name_es", models.CharField(max_length=200)),
                ("description_en", models.TextField(blank=True)),
                ("description_es", models.TextField(blank=True)),
                ("effective_from", models.DateField()),
                ("effective_until", models.DateField(blank=True, null=True)),
                ("allowed_for_premium_processing", models.BooleanField(default=False)),
                ("sort_order", models.PositiveSmallIntegerField(default=100)),
            ],
            options={
                "verbose_name_plural": "expedite criteria",
                "ordering": ["-effective_from", "sort_order", "code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("code", "version"), name="expedite_criterion_code_version"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("effective_until__isnull", True))
                        | models.Q(("effective_until__gt", models.F("effective_from"))),
                        name="expedite_criterion_dates_ordered",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ExpediteRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("justification", models.TextField(max_length=10000)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending decision"),
                            ("approved", "Approved"),
                            ("denied", "Denied"),
                        ],
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_reason", models.TextField(blank=True, max_length=10000)),
                ("created_at", models.DateTimeField()),
                (
                    "criterion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="service_requests.expeditecriterion",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "service_request",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="expedite",
                        to="service_requests.servicerequest",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["pending", "approved", "denied"])),
                        name="expedite_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("decided_at__isnull", True), ("status", "pending")),
                            models.Q(
                                models.Q(("status", "pending"), _negated=True),
                                ("decided_at__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="expedite_decided_at_iff_decided",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        upload_to=srmt.service_requests.models.attachment_path,
                    ),
                ),
                ("original_name", models.CharField(max_length=255)),
                ("content_type", models.CharField(max_length=64)),
                ("size", models.PositiveIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_at", models.DateTimeField()),
                (
                    "service_request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="service_requests.servicerequest",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["uploaded_at", "id"]},
        ),
    ]
