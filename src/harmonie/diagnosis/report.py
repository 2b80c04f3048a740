def render(workspace, fmt):
    raise NotImplementedError
