"""Products API: catalogue."""

urlpatterns = []
