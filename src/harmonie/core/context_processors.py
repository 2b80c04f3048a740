from .layers import LAYERS
from .permissions import visible_workspaces


def harmonie(request):
    """Navigation data every page needs: the layers and the workspace switcher."""
    user = getattr(request, "user", None)
    return {
        "harmonie_layers": LAYERS,
        "harmonie_workspaces": (lambda: list(visible_workspaces(user))) if user is not None else [],
    }
