"""Bad input, systematically: whatever a visitor puts in an address, the site answers it.

Every public URL and API parameter gets random text, odd Unicode, invalid
UTF-8, huge and negative numbers, repeated and misplaced parameters, SQL and
HTML fragments. Whatever comes in: no server error, no typed markup echoed
unescaped into a page, and the API answers JSON.

On CI (CI set) the examples are the same every run, so that a red build can be
reproduced; elsewhere each run tries new ones. FUZZ_SCALE=20 tries twenty
times as many, for a longer hunt.
"""

import csv
import io
import json
import os
from urllib.parse import quote, quote_from_bytes, quote_plus, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

settings.register_profile(
    "gfmd",
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    # Each example is a request against a transaction the db fixture opened once for the whole test.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
FUZZ = settings(settings.get_profile("gfmd"), max_examples=60 * SCALE)
MANY = settings(FUZZ, max_examples=150 * SCALE)

LISTS = {
    "/sessions/": ["year", "meeting", "track", "theme", "tag", "q", "sort"],
    "/recommendations/": ["year", "meeting", "track", "kind", "theme", "tag", "q", "sort"],
    "/activities/": ["gmg_member", "roundtable", "section", "theme", "tag", "q"],
}
APIS = {"/api" + path: names for path, names in LISTS.items()}
CONTROL = ["page", "page_size", "format"]
EVERY_PARAMETER = sorted({name for names in LISTS.values() for name in names} | set(CONTROL))

SQL = [
    "' OR 1=1 --",
    "1' OR '1'='1",
    '" OR ""="',
    "1; DROP TABLE gfmd_sessions_session; --",
    "1 UNION SELECT NULL, NULL --",
    "%' --",
    "%",
    "_",
    "\\",
    "'",
]
# What would run in a browser if it were echoed unescaped; no page of the site holds any of it.
HTML = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//example.org>",
]
UNESCAPED = ["<script>alert(", "<img src=x", "<svg onload", '<a href="javascript:', "<iframe src=//"]
ODD = [
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200fשלום",
    "مرحبا",
    "\ufeff",
    "日本語",
    "🙂",
    "é",
    "e\u0301",
    "²",  # isdigit() says yes, int() says no
    "٣",
    "Ⅻ",
    "1e309",
    "NaN",
    "-0",
    "0x1f",
    " 1 ",
    "",
    " ",
    "\n",
    "\t",
    "+",
    "&",
    "=",
    "#",
    "?",
    "/",
    "../../etc/passwd",
    "null",
    "true",
    "[]",
    "{}",
    "a" * 3000,
    "domestic " * 100,
]
# Real values, so that a bad value often meets good ones and the filters, search and paging run.
VALID = [
    "2007",
    "2009",
    "2012",
    "brussels-2007",
    "athens-2009",
    "government",
    "civil-society",
    "recommendation",
    "follow-up",
    "key-message",
    "irregular-migration",
    "remittances-diaspora",
    "domestic-workers",
    "UNODC",
    "UN-DESA",
    "UN Women",
    "1",
    "2",
    "a",
    "g",
    "year",
    "-year",
    "number",
    "-title",
    "csv",
    "html",
    "json",
    "xyz",
    "remittances",
    '"circular migration"',
    "trafficking -smuggling",
    "remittances or diaspora",
]
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["0", "-1", "199", "200", "201", "999999999", "1000000000", str(2**31), str(2**63), str(2**64)]),
    # Digits of other scripts, superscripts, circled and fractions: some pass str.isdigit(), not all pass int().
    st.sampled_from(["²", "³", "¹", "①", "٣", "１２", "߁", "𝟙", "½", "Ⅻ", "〇"]),
    st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=4),
)
NUMERIC = {"page", "page_size", "year", "roundtable"}
# Raw, already percent-encoded: bytes that are not UTF-8, surrogates as CESU-8, broken escapes.
RAW = st.one_of(
    st.sampled_from(["%ED%A0%80", "%ED%B0%80x", "%FF", "%C0%AF", "%E2%80%AE", "%00", "%", "%zz", "%0", "%%", "%2"]),
    st.binary(min_size=1, max_size=12).map(lambda data: quote_from_bytes(data, safe="")),
)

text_values = st.one_of(
    st.sampled_from(VALID),
    st.sampled_from(VALID),
    st.sampled_from(SQL + HTML + ODD),
    NUMBERS,
    st.text(max_size=30),
    st.builds("{}{}{}".format, st.text(max_size=5), st.sampled_from(HTML), st.text(max_size=5)),
)


class Raw(str):
    """A value that goes into the address as it is, already percent-encoded."""


values = st.one_of(text_values, text_values, RAW.map(Raw))
names = st.one_of(st.sampled_from(EVERY_PARAMETER), st.sampled_from(EVERY_PARAMETER), st.text(min_size=1, max_size=8))


@st.composite
def parameters(draw):
    """A name and a value, a number more often where the name asks for one."""
    name = draw(names)
    value = draw(st.one_of(NUMBERS, values) if name in NUMERIC else values)
    return name, value


def encoded(value):
    return str(value) if isinstance(value, Raw) else quote_plus(value)


def query(pairs):
    return "&".join(f"{quote_plus(name)}={encoded(value)}" for name, value in pairs)


def typed(values):
    return [unquote(value, errors="replace") if isinstance(value, Raw) else value for value in values]


_baselines = {}


def baseline(client, path):
    """The page with nothing typed into it, to tell the site's own markup from an echo."""
    if path not in _baselines:
        _baselines[path] = client.get(path).content.decode("utf-8", "replace")
    return _baselines[path]


def check(client, url, path, values):
    response = client.get(url)
    assert response.status_code < 500, url
    content_type = response.get("Content-Type", "")
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode("utf-8", "replace")
    if path.startswith("/api/"):
        assert content_type.startswith("application/json"), (url, content_type)
        json.loads(body)
    if content_type.startswith("text/html"):
        for core in UNESCAPED:
            assert core not in body, f"{url} echoes {core!r} unescaped"
        own_markup = baseline(client, path)
        for value in values:
            if "<" in value and value in body and value not in own_markup:
                pytest.fail(f"{url} echoes {value!r} unescaped")
    if content_type.startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(body)))
        assert rows and rows[0][:2] == ["url", "id"], url
    return response


@pytest.fixture
def visitor(client):
    """A visitor's client: a server error comes back as a 500 response, so that the failure names the address."""
    client.raise_request_exception = False
    return client


@MANY
@given(path=st.sampled_from(sorted(LISTS) + sorted(APIS)), pairs=st.lists(parameters(), max_size=6))
def test_no_parameter_breaks_a_list_or_its_api(visitor, path, pairs):
    check(visitor, f"{path}?{query(pairs)}", path, typed(value for _, value in pairs))


@FUZZ
@given(
    path=st.sampled_from(sorted(LISTS) + sorted(APIS)),
    name=st.sampled_from(EVERY_PARAMETER),
    repeated=st.lists(st.one_of(values, NUMBERS), min_size=2, max_size=5),
)
def test_a_repeated_parameter_breaks_nothing(visitor, path, name, repeated):
    check(visitor, f"{path}?{query((name, value) for value in repeated)}", path, typed(repeated))


@FUZZ
@given(
    path=st.sampled_from(sorted(LISTS) + sorted(APIS)),
    name=st.sampled_from(sorted(NUMERIC)),
    number=NUMBERS,
    pairs=st.lists(parameters(), max_size=3),
)
def test_no_number_breaks_paging_or_a_numeric_filter(visitor, path, name, number, pairs):
    pairs = [*pairs, (name, number)]
    check(visitor, f"{path}?{query(pairs)}", path, typed(value for _, value in pairs))


@FUZZ
@given(path=st.sampled_from(sorted(LISTS)), pairs=st.lists(parameters(), max_size=4))
def test_every_csv_view_is_csv_or_a_reason(visitor, path, pairs):
    response = check(visitor, f"{path}?{query(pairs)}&format=csv", path, typed(value for _, value in pairs))
    assert response.status_code in (200, 400)


@FUZZ
@given(path=st.sampled_from(["/search/", "/api/search/"]), q=st.lists(values, min_size=1, max_size=2))
def test_no_search_breaks_the_search(visitor, path, q):
    check(visitor, f"{path}?{query(('q', value) for value in q)}", path, typed(q))


DETAIL_PATHS = [
    "/themes/{}/",
    "/meetings/{}/",
    "/meetings/athens-2009/sessions/{}/",
    "/meetings/{}/sessions/csd-2-1/",
    "/gmg/{}/",
    "/activities/{}/",
    "/recommendations/{}/",
    "/sources/{}/",
]


@MANY
@given(
    template=st.sampled_from(DETAIL_PATHS),
    value=st.one_of(
        st.sampled_from(SQL + HTML + ODD),
        RAW.map(Raw),
        NUMBERS,
        st.text(min_size=1, max_size=20),
        st.sampled_from(["UNODC", "UN Women", "irregular-migration", "athens-2009", "csd-2-1", "21", "1"]),
    ),
    pairs=st.lists(parameters(), max_size=2),
)
def test_no_address_breaks_a_record_page(visitor, template, value, pairs):
    segment = str(value) if isinstance(value, Raw) else quote(value, safe="")
    path = template.format(segment)
    check(visitor, f"{path}?{query(pairs)}", template.format("x"), typed([value, *(v for _, v in pairs)]))


@pytest.mark.parametrize(
    "url",
    [
        "/api/meetings/?page=-1&format=xyz&q=%00",
        "/activities/?gmg_member=UNODC&year=2009&kind=key-message",
        "/sessions/?format=xyz",
        "/api/sessions/?format=csv&page_size=0",
        "/recommendations/?year=2009&year=2009&year=1900",
        "/activities/?roundtable=99999999999999999999&section=a",
        "/search/?q=%ED%A0%80",
        "/gmg/UN%20Women/",
        "/gmg/UNODC/?page_size=0",
        "/gmg/%ED%A0%80/",
        "/activities/99999999999999999999999/",
        "/recommendations/-1/",
    ],
)
def test_known_bad_addresses_are_answered(visitor, url):
    check(visitor, url, url.split("?")[0], [])


@pytest.mark.parametrize(
    "url",
    [
        "/sessions/?page=%C2%B2",
        "/recommendations/?page_size=%C2%B3",
        "/activities/?page=%E2%91%A0",
        "/api/sessions/?page=%C2%B2",
        "/api/recommendations/?page_size=%C2%B9",
        "/api/activities/?page=%E2%91%A0",
    ],
)
def test_a_page_number_in_other_digits_is_refused_with_a_400(visitor, url):
    response = visitor.get(url)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url", ["/gmg/%00/", "/gmg/UN%00DESA/", "/themes/%00/", "/sessions/?q=%00", "/sessions/?theme=a%00b"]
)
def test_an_address_with_a_nul_is_refused_with_a_400(visitor, url):
    # PostgreSQL refuses a NUL even in a comparison: /gmg/%00/ was a server error there.
    assert check(visitor, url, url.split("?")[0], []).status_code == 400


def test_the_api_refuses_a_nul_in_json(visitor):
    response = check(visitor, "/api/sessions/?tag=%00", "/api/sessions/", [])
    assert response.status_code == 400 and "errors" in response.json()


RECORD_PAGES = ["/gmg/IOM/", "/gmg/UN%20Women/", "/gmg/UN-DESA/", "/themes/remittances-diaspora/", "/themes/"]
RECORD_PARAMETERS = ["page", "page_size", "format", "q", "sort", "year"]


@FUZZ
@given(
    path=st.one_of(st.sampled_from(RECORD_PAGES), st.sampled_from(["/sources/{}/"])),
    pairs=st.lists(
        st.one_of(
            st.tuples(st.sampled_from(RECORD_PARAMETERS), st.one_of(NUMBERS, values)),
            parameters(),
        ),
        max_size=4,
    ),
)
def test_no_parameter_breaks_an_agency_source_or_theme_page(visitor, path, pairs):
    if "{}" in path:
        from gfmd.models import SourceDocument

        path = path.format(SourceDocument.objects.order_by("pk").values_list("slug", flat=True).first())
    check(visitor, f"{path}?{query(pairs)}", path, typed(value for _, value in pairs))


@pytest.fixture
def admin_targets(editor_client):
    """One record of each kind the editor may change, with its admin change address; the same records for every
    example, as an editor's post changes a record and never removes one."""
    from django.contrib.admin import site
    from django.urls import reverse

    targets = []
    for model in sorted(site._registry, key=lambda m: m._meta.label):
        if not editor_client.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
            continue
        record = model._default_manager.order_by("pk").first()
        if record is not None:
            opts = model._meta
            targets.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))
    return targets


@pytest.fixture
def editor_client(client, db):
    from tests.admin.conftest import account

    client.user = account("fuzzy", "Secretariat editor")
    client.force_login(client.user)
    client.raise_request_exception = False
    return client


@pytest.fixture
def admin_pages():
    """The change pages read so far, by address, for as long as no post has saved anything: a refused post
    changes no record, so that the page it came from is still the one a browser would show."""
    return {}


@FUZZ
@given(data=st.data())
def test_no_form_post_by_an_editor_breaks_the_admin(editor_client, admin_targets, admin_pages, data):
    from tests.admin.conftest import form_data

    url = data.draw(st.sampled_from(admin_targets), label="url")
    if url not in admin_pages:
        admin_pages[url] = editor_client.get(url)
    page = admin_pages[url]
    assert page.status_code == 200, url
    posted = form_data(page)
    # The form's own fields and its inlines' counts: the same names whatever earlier examples saved.
    names = sorted(page.context["adminform"].form.fields)
    for inline in page.context.get("inline_admin_formsets", []):
        management = inline.formset.management_form
        names += sorted(management.add_prefix(name) for name in management.fields)
    for name in data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True), label="fields"):
        posted[name] = data.draw(st.one_of(text_values, NUMBERS), label=name)
    response = editor_client.post(url, posted)
    assert response.status_code < 500, (url, posted)
    if response.status_code != 200:
        # Saved (a redirect): this record's page and those showing it inline change, versions included.
        admin_pages.clear()
