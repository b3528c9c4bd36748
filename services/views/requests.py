"""Requests (诉求): filed by a firm or staff for it, routed, answered, confirmed or reopened."""
from django.urls import path

from django.http import Http404


def request_detail(request, pk):
    raise Http404


urlpatterns = [
    path("requests/<int:pk>/", request_detail, name="request_detail"),
]
