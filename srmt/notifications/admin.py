from django.contrib import admin

from srmt.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "channel",
        "to_address",
        "status",
        "attempts",
        "related_reference",
    )
    list_filter = ("channel", "status")
    search_fields = ("related_reference", "to_address")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
