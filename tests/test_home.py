import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_six_meetings_with_dates_and_places(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Brussels 2007",
        "Brussels, Belgium",
        "9–11 July 2007",
        "Manila 2008",
        "27–30 October 2008",
        "Athens 2009",
        "Puerto Vallarta 2010",
        "Geneva 2011",
        "29 November – 2 December 2011",
        "Port Louis 2012",
        "Port Louis, Mauritius",
        "19–22 November 2012",
    ]:
        assert text in page.replace("&ndash;", "–")
    assert page.index("Brussels 2007") < page.index("Manila 2008") < page.index("Port Louis 2012")


def test_an_unknown_page_gives_a_helpful_404(client):
    response = client.get("/meetings/atlantis-2013/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
