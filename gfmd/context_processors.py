from lib.links import absolute


def page_url(request):
    """The page's absolute address, for canonical links."""
    return {"page_url": absolute(request.path)}
