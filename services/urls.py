"""Services pages; each views module brings its own `urlpatterns` (one line per module here)."""
from .views import links, requests, tasks, visits

app_name = "services"
urlpatterns = [
    *links.urlpatterns,
    *visits.urlpatterns,
    *requests.urlpatterns,
    *tasks.urlpatterns,
]
