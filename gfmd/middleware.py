from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

from lib.caching import page_language


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
        # Before LocaleMiddleware: the message is in the language the address names.
        with translation.override(page_language(request)):
            return refused(request) or get_response(request)

    def refused(request):
        if "\x00" in request.path or any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            message = gettext("The address holds a NUL character, which no record of the knowledge base can contain.")
            if request.path.startswith("/api/"):
                return JsonResponse({"errors": {"address": [message]}}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return None

    return middleware


def admin_language(get_response):
    """Give the admin the editor's language: the one they chose (the cookie Django's set_language writes),
    else their browser's (Accept-Language), else English.

    LocaleMiddleware reads the language from the address, and an address without a prefix is English:
    right for the public pages, whose address must give everyone the same page, but the admin has one
    address for every editor. So, after LocaleMiddleware and only under /admin/, the editor's choice wins.
    """

    def middleware(request):
        if not request.path_info.startswith(reverse("admin:index")):
            return get_response(request)
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        response = get_response(request)
        # Another editor's choice gives another page at the same address.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response

    return middleware
