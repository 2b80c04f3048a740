"""Products pages: matrix."""

urlpatterns = []
