import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import srmt.core.references


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0002_routing_rules"),
        ("service_requests", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequesttype",
            name="restarts_clock_on_transfer",
            field=models.BooleanField(
                default=False,
                help_text="A transfer to another office restarts the deadlines from the transfer.",
            ),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="routing_rule",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="offices.routingrule",
            ),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="transfer_count",
            field=models.PositiveSmallIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="is_flagged",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="flag_reason",
            field=models.CharField(blank=True, db_default="", default="", max_length=300),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="redirect_topic",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="offices.redirecttopic",
            ),
        ),
        migrations.CreateModel(
            name="Referral",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reference",
                    models.CharField(
                        default=srmt.core.references.new_reference, max_length=16, unique=True
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("email", models.EmailField(blank=True, max_length=254)),
                ("phone", models.CharField(blank=True, max_length=20)),
                ("language", models.CharField(default="en", max_length=2)),
                ("country", models.CharField(max_length=2)),
                ("request_type", models.CharField(max_length=48)),
                ("receipt_number", models.CharField(blank=True, max_length=13)),
                ("channel", models.CharField(max_length=32)),
                ("reason", models.CharField(max_length=300)),
                ("contact_details", models.TextField(max_length=2000)),
                ("created_at", models.DateTimeField()),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="offices.office",
                    ),
                ),
                (
                    "routing_rule",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="offices.routingrule",
                    ),
                ),
            ],
            options={"ordering": ["-created_at", "-id"]},
        ),
    ]
