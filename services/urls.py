app_name = "services"
urlpatterns = []  # pages come with the services issue (links, visits, requests, trainings)
