from django.urls import reverse


def admin_not_indexed(get_response):
    """Ask search engines to keep every admin response, HTML or JSON, out of their index."""

    def middleware(request):
        response = get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return middleware
