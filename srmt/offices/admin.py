from django.contrib import admin

from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.offices.models import (
    CountryOffice,
    FormType,
    Office,
    OtherAgency,
    RedirectTopic,
    RoutingRule,
    ZipOfficeOverride,
)


@admin.register(Office)
class OfficeAdmin(AuditedAdminMixin, admin.ModelAdmin[Office]):
    list_display = ("code", "name", "kind", "time_zone", "state", "is_active", "is_confidential")
    fields = (
        "code",
        "name",
        "kind",
        "parent",
        "time_zone",
        "state",
        "city",
        "phone",
        "email",
        "address",
        "latitude",
        "longitude",
        "is_active",
        "is_confidential",
    )
    list_filter = ("kind", "is_active", "state")
    search_fields = ("code", "name", "city")


@admin.register(FormType)
class FormTypeAdmin(AuditedAdminMixin, admin.ModelAdmin[FormType]):
    list_display = ("code", "name_en", "name_es", "is_premium_processing_eligible", "is_active")
    list_filter = ("is_premium_processing_eligible", "is_active")
    search_fields = ("code", "name_en", "name_es")


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdminMixin, admin.ModelAdmin[RoutingRule]):
    list_display = (
        "position",
        "code",
        "name",
        "action",
        "office",
        "effective_from",
        "effective_until",
        "is_active",
    )
    list_display_links = ("code",)
    list_filter = ("is_active", "action")
    search_fields = ("code", "name", "explanation", "explanation_es")
    autocomplete_fields = ("office",)
    fieldsets = (
        (None, {"fields": ("code", "name", "position", "is_active")}),
        ("Effective dates", {"fields": ("effective_from", "effective_until")}),
        (
            "Criteria (blank or any matches everything)",
            {
                "fields": (
                    "receipt_prefixes",
                    "request_types",
                    "is_protected",
                    "has_case_record",
                    "has_receipt_number",
                    "has_zip_code",
                    "zip_is_military_mail",
                    "requester_in_us",
                )
            },
        ),
        (
            "Decision",
            {
                "fields": ("action", "office", "explanation", "explanation_es"),
                "description": "The explanation is the reason stored with each request, in "
                "English and in Spanish. It may name facts: {prefix}, {office}, "
                "{case_office}, {zip_code}, {zip_state}, {country}, {request_type}.",
            },
        ),
    )


@admin.register(ZipOfficeOverride)
class ZipOfficeOverrideAdmin(AuditedAdminMixin, admin.ModelAdmin[ZipOfficeOverride]):
    list_display = ("zip_prefix", "office", "note")
    search_fields = ("zip_prefix", "office__code")
    autocomplete_fields = ("office",)


@admin.register(CountryOffice)
class CountryOfficeAdmin(AuditedAdminMixin, admin.ModelAdmin[CountryOffice]):
    list_display = ("country", "office")
    search_fields = ("country", "office__code")
    autocomplete_fields = ("office",)


@admin.register(OtherAgency)
class OtherAgencyAdmin(AuditedAdminMixin, admin.ModelAdmin[OtherAgency]):
    list_display = ("code", "name_en", "phone", "website", "is_active")
    search_fields = ("code", "name_en", "name_es")


@admin.register(RedirectTopic)
class RedirectTopicAdmin(AuditedAdminMixin, admin.ModelAdmin[RedirectTopic]):
    list_display = ("code", "name_en", "agency", "sort_order", "is_active")
    list_filter = ("agency", "is_active")
    search_fields = ("code", "name_en", "name_es")
