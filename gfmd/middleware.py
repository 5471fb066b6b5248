from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse


def admin_not_indexed(get_response):
    """Ask search engines to keep every admin response, HTML or JSON, out of their index."""

    def middleware(request):
        response = get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return middleware


def reject_nul_characters(get_response):
    """Answer 400 to an address holding a NUL character, which PostgreSQL cannot even compare."""

    def middleware(request):
        if "\x00" in request.path or any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            message = "The address holds a NUL character, which no record of the knowledge base can contain."
            if request.path.startswith("/api/"):
                return JsonResponse({"errors": {"address": [message]}}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return get_response(request)

    return middleware
