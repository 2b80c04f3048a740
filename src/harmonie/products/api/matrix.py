"""Products API: matrix."""

urlpatterns = []
