"""The site's addresses in its three languages.

Public pages answer at their English address and under /fr/ and /es/ with the same paths, slugs and
filter values (`i18n_patterns` without a prefix for English). What stays in English answers only at its
one address: the API, the data downloads, the sitemap, robots.txt, /healthz, the admin and the language
switch the admin posts to. Each app's URLconf declares its `pages` and what stays `english_only`, in one
namespace (a page and its API twin share it); the pages are put under the language prefix here, inside the
app's include.
"""

from importlib import import_module

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLResolver, include, path
from django.urls.resolvers import RoutePattern
from django.views.i18n import set_language


def in_three_languages(urlconf):
    """An app's URLconf, its pages under the language prefixes and the rest (API, downloads) outside, in the
    app's one namespace (two includes of one namespace would hide each other's names from reverse()).

    include() refuses the language prefix as one of its own patterns, as Django wants it seen at the top
    level; it is seen there (the themes below), and here it sits one level further down, in a resolver
    of the empty path. Resolving and reverse() read the active language at any depth."""
    module = import_module(urlconf)
    localised = URLResolver(RoutePattern(""), i18n_patterns(*module.pages, prefix_default_language=False))
    return include(([*module.english_only, localised], module.app_name))


urlpatterns = [
    path("", in_three_languages("gfmd.site_urls")),
    path("", in_three_languages("sessions.urls")),
    path("", in_three_languages("recommendations.urls")),
    # Every theme's address is a page. At the top level too, where LocaleMiddleware looks for the language
    # prefixes: seeing them, it serves the unprefixed addresses in English whatever the browser asks for.
    *i18n_patterns(path("themes/", include("themes.urls")), prefix_default_language=False),
    path("admin/", admin.site.urls),
    # Where the admin's language choice is posted (Django's set_language: a cookie, then back).
    path("language/", set_language, name="set_language"),
]

handler400 = "gfmd.views.bad_request"
handler404 = "gfmd.views.page_not_found"
handler500 = "gfmd.views.server_error"
