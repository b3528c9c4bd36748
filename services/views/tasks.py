"""Task follow-up: meeting decisions given to a unit with a due date, followed like requests."""
from django.http import Http404
from django.urls import path


def task_detail(request, pk):
    raise Http404


urlpatterns = [
    path("tasks/<int:pk>/", task_detail, name="task_detail"),
]
