"""No e-mail address in any URL of the register, reset and change-address flows:
URLs end up in access logs, proxies and browser histories."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, links_in, login

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
URL_IN_PAGE = re.compile(r'(?:href|action|src)="([^"]*)"')


class Crawl:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.urls: list[str] = []

    def _record(self, response: Any) -> Any:
        if "Location" in response.headers:
            self.urls.append(response.headers["Location"])
        if response.mimetype == "text/html":
            self.urls += URL_IN_PAGE.findall(response.get_data(as_text=True))
        return response

    def get(self, url: str) -> Any:
        self.urls.append(url)
        response = self._record(self.client.get(url))
        while response.status_code in (301, 302, 303, 307, 308):
            response = self._record(self.client.get(response.headers["Location"]))
        return response

    def post(self, url: str, data: dict[str, str]) -> Any:
        self.urls.append(url)
        response = self._record(self.client.post(url, data=data))
        if response.status_code in (302, 303):
            self.get(response.headers["Location"])
        return response

    def mail_links(self, mailbox: Mailbox, address: str) -> list[str]:
        links = links_in(mailbox.wait_for(address))
        self.urls += links
        return [re.sub(r"^https?://[^/]+", "", link) for link in links]

    def addresses(self) -> list[str]:
        return [
            url for url in self.urls
            if not url.startswith("mailto:") and ADDRESS.search(unquote(url))
        ]  # fmt: skip


def test_no_address_in_any_url_of_the_account_flows(town_a: Town, mailbox: Mailbox) -> None:
    crawl = Crawl(town_a.client())
    crawl.get("/registrieren")
    crawl.post(
        "/registrieren",
        {"display_name": "Nora", "email": "nora@example.org", "password": TEST_PASSWORD,
         "kind": "citizen", "accept_privacy": "y"},
    )  # fmt: skip
    page = crawl.get("/registrieren/post").get_data(as_text=True)
    assert "nora@example.org" in page  # shown on the page, from the session
    for link in crawl.mail_links(mailbox, "nora@example.org"):
        crawl.get(link)
    crawl.post("/bestaetigen/erneut", {"email": "nora@example.org"})
    mailbox.clear()
    crawl.get("/passwort-vergessen")
    crawl.post("/passwort-vergessen", {"email": "nora@example.org"})
    for link in crawl.mail_links(mailbox, "nora@example.org"):
        crawl.get(link)
        crawl.post(link, {"password": "a new long password", "confirm": "a new long password"})
    mailbox.clear()
    crawl.post("/anmelden/link", {"email": "nora@example.org"})
    for link in crawl.mail_links(mailbox, "nora@example.org"):
        crawl.get(link)
    login(crawl.client, "nora@example.org", "a new long password")
    crawl.get("/konto")
    crawl.post(
        "/konto/email",
        {"email-email": "nora.neu@example.org", "email-current_password": "a new long password"},
    )
    for link in crawl.mail_links(mailbox, "nora.neu@example.org"):
        crawl.get(link)
    assert len(crawl.urls) > 20
    assert crawl.addresses() == []
