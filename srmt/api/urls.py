"""/api/: the OpenAPI schema, its docs, and version 1 of the REST API."""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from srmt.api.permissions import IsAgencyStaff
from srmt.api.views import (
    access_codes,
    attachments,
    cases,
    catalogue,
    expedites,
    metrics,
    qa,
    reviews,
    routing,
    search,
    service_requests,
    templates,
)

app_name = "api"

v1 = [
    path(
        "service-requests/",
        service_requests.ServiceRequestCollectionView.as_view(),
        name="service-request-list",
    ),
    path(
        "service-requests/<str:reference>/",
        service_requests.ServiceRequestDetailView.as_view(),
        name="service-request-detail",
    ),
    path(
        "service-requests/<str:reference>/responses/",
        service_requests.ResponseCollectionView.as_view(),
        name="service-request-responses",
    ),
    path(
        "service-requests/<str:reference>/responses/assess",
        service_requests.ResponseAssessView.as_view(),
        name="service-request-responses-assess",
    ),
    path(
        "service-requests/<str:reference>/notes/",
        service_requests.NoteCollectionView.as_view(),
        name="service-request-notes",
    ),
    path(
        "service-requests/<str:reference>/transitions/",
        service_requests.TransitionCollectionView.as_view(),
        name="service-request-transitions",
    ),
    path(
        "service-requests/<str:reference>/expedite/",
        expedites.ExpediteDetailView.as_view(),
        name="service-request-expedite",
    ),
    path(
        "service-requests/<str:reference>/expedite/decision/",
        expedites.ExpediteDecisionView.as_view(),
        name="service-request-expedite-decision",
    ),
    path(
        "service-requests/<str:reference>/attachments/",
        attachments.AttachmentCollectionView.as_view(),
        name="service-request-attachments",
    ),
    path(
        "service-requests/<str:reference>/attachments/<int:attachment_id>/",
        attachments.AttachmentDownloadView.as_view(),
        name="service-request-attachment",
    ),
    path(
        "expedite-criteria/",
        expedites.ExpediteCriterionListView.as_view(),
        name="expedite-criterion-list",
    ),
    path(
        "service-requests/<str:reference>/redirect/",
        routing.RedirectView.as_view(),
        name="service-request-redirect",
    ),
    path(
        "service-requests/<str:reference>/templates/<slug:code>",
        templates.RenderedTemplateView.as_view(),
        name="service-request-template",
    ),
    path("templates/", templates.TemplateListView.as_view(), name="template-list"),
    path("reviews/", reviews.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:review_id>/", reviews.ReviewDetailView.as_view(), name="review-detail"),
    path(
        "reviews/<int:review_id>/decision",
        reviews.ReviewDecisionView.as_view(),
        name="review-decision",
    ),
    path(
        "reviews/<int:review_id>/resubmit",
        reviews.ReviewResubmitView.as_view(),
        name="review-resubmit",
    ),
    path("search", search.SearchView.as_view(), name="search"),
    path("metrics/outcomes", metrics.OutcomeMetricsView.as_view(), name="metrics-outcomes"),
    path("routing/explain", routing.RoutingExplainView.as_view(), name="routing-explain"),
    path("redirect-topics/", routing.RedirectTopicListView.as_view(), name="redirect-topic-list"),
    path("offices/", catalogue.OfficeListView.as_view(), name="office-list"),
    path("forms/", catalogue.FormTypeListView.as_view(), name="form-list"),
    path(
        "service-request-types/",
        catalogue.ServiceRequestTypeListView.as_view(),
        name="service-request-type-list",
    ),
    path("qa/samples/", qa.SampleCollectionView.as_view(), name="qa-sample-list"),
    path("qa/samples/<int:id>/items/", qa.SampleItemListView.as_view(), name="qa-sample-items"),
    path("qa/scorecard/", qa.ScorecardView.as_view(), name="qa-scorecard"),
    path("qa/evaluations/", qa.EvaluationCollectionView.as_view(), name="qa-evaluation-list"),
    path(
        "qa/evaluations/<int:id>/dispute/",
        qa.EvaluationDisputeView.as_view(),
        name="qa-evaluation-dispute",
    ),
    path(
        "qa/disputes/<int:id>/decision/",
        qa.DisputeDecisionView.as_view(),
        name="qa-dispute-decision",
    ),
    path("qa/results/", qa.ResultsView.as_view(), name="qa-results"),
    path("cases/<str:receipt_number>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path(
        "cases/<str:receipt_number>/access-codes/",
        access_codes.CaseAccessCodesView.as_view(),
        name="case-access-codes",
    ),
]

# The schema and its docs are for staff and integrations, like the API itself. The docs are
# a page: a visitor without a session is sent to sign in, and comes back. Swagger UI's assets
# come from /static/ (drf-spectacular-sidecar), and its script is a file, not inline.
STAFF_ONLY = [IsAuthenticated, IsAgencyStaff]
# Swagger UI (from /static/, 'self') sets inline styles and draws its icons as data: images:
# only this page's policy allows both.
swagger_ui_policy = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=STAFF_ONLY), name="schema"),
    path(
        "docs/",
        swagger_ui_policy(
            login_required(
                SpectacularSwaggerSplitView.as_view(
                    url_name="api:schema", permission_classes=STAFF_ONLY
                )
            )
        ),
        name="docs",
    ),
    *[path(f"v1/{p.pattern}", p.callback, name=p.name) for p in v1],
]
