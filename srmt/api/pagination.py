"""Cursor pagination for service request lists: stable under inserts, no COUNT query."""

from rest_framework.pagination import CursorPagination


class ServiceRequestCursorPagination(CursorPagination):
    ordering = "-created_at"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
