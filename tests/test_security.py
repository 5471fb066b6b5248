import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/sessions/", "/api/sessions/", "/meetings/athens-2009/"])
def test_responses_carry_the_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_needs_an_inline_script(client):
    for url in ["/", "/sessions/", "/meetings/athens-2009/sessions/csd-1-1/", "/themes/", "/activities/expertise/"]:
        page = client.get(url).content.decode()
        assert "<script>" not in page and "onclick=" not in page and " style=" not in page


def test_a_host_not_allowed_gets_a_400_page_not_a_500(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
