"""stub"""
urlpatterns = []
