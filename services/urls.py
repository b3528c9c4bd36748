"""Services pages; each views module brings its own `urlpatterns` (one line per module here)."""
from .views import links, meetings, requests, tasks, trainings, visits

app_name = "services"
urlpatterns = [
    *links.urlpatterns,
    *visits.urlpatterns,
    *requests.urlpatterns,
    *tasks.urlpatterns,
    *trainings.urlpatterns,
    *meetings.urlpatterns,
]
