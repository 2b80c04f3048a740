"""Products pages: catalogue."""

urlpatterns = []
