from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from lib.links import absolute


def page_url(request):
    """The page's absolute address, for canonical links."""
    return {"page_url": absolute(request.path)}


def languages(request):
    """The page in each of the interface's languages, for the switcher and the hreflang alternates.

    `languages`: [{"code", "name", "url", "absolute", "current"}], the same page with the same query
    string in each language; for a page that exists in English alone (the API's description, /data/, an
    address that is no page), each language's home page, and `alternates` is empty. Computed only when a
    template reads it.
    """

    def links():
        current = translation.get_language()
        query = request.META.get("QUERY_STRING", "")
        # The route the request was resolved to, reversed in each language (what translate_url does, without
        # resolving the address again for each language).
        match = request.resolver_match
        urls = {code: route_in(match, code) + (f"?{query}" if query else "") for code, _ in settings.LANGUAGES}
        # A page in every language has a different address in each; one outside the prefixes keeps its own.
        localised = len(set(urls.values())) == len(urls)
        if not localised:
            urls = {code: home_in(code) for code, _ in settings.LANGUAGES}
        return {
            "links": [
                {"code": code, "name": name, "url": url, "absolute": absolute(url), "current": code == current}
                for (code, name), url in zip(settings.LANGUAGES, urls.values(), strict=True)
            ],
            "localised": localised,
            "default": absolute(urls[settings.LANGUAGE_CODE]),
        }

    return {"languages": SimpleLazyObject(links)}


def route_in(match, code):
    """The address of the route a request was resolved to, in a language; "" for none."""
    if match is None:
        return ""
    with translation.override(code):
        try:
            return reverse(match.view_name, args=match.args, kwargs=match.captured_kwargs)
        except NoReverseMatch:
            return ""


def home_in(code):
    with translation.override(code):
        return reverse("gfmd:home")
