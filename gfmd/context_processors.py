from django.core.exceptions import DisallowedHost


def page_url(request):
    """The page's absolute address, for canonical links; empty for a request with a host not allowed.

    The 400 page answering such a request must still render.
    """
    try:
        return {"page_url": request.build_absolute_uri(request.path)}
    except DisallowedHost:
        return {"page_url": request.path}
