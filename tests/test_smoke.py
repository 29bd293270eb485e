from projektfabrik.testing import Town


def test_landing_page_names_the_town(town_a: Town) -> None:
    response = town_a.client().get("/")
    assert response.status_code == 200
    assert "Stadt A" in response.get_data(as_text=True)


def test_unknown_host_is_a_plain_404(town_a: Town) -> None:
    response = town_a.client(host="nowhere.test").get("/")
    assert response.status_code == 404
    assert "Stadt A" not in response.get_data(as_text=True)
