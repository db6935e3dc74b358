"""Cases are read-only here: they come from the case systems (API upsert, import-cases)."""

from django.contrib import admin

from srmt.cases.models import Case, CaseParty, Person


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CasePartyInline(admin.TabularInline):
    model = CaseParty
    extra = 0
    can_delete = False
    readonly_fields = ("person", "role", "has_g28_on_file")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("receipt_number", "form_type", "office", "received_on", "status_text")
    list_filter = ("office__kind", "form_type")
    search_fields = ("receipt_number",)
    inlines = [CasePartyInline]

    def get_queryset(self, request):
        # 1367 cases stay hidden from admins without clearance, as everywhere else.
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "phone", "language")
    search_fields = ("name", "email")
