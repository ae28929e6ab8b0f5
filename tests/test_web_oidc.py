"""Signing in through an OpenID Connect provider, end to end: the app and a small real provider
(``tests/oidcprovider.py``) each on a uvicorn server on loopback, a client following the
redirects as a browser does.

The whole flow signs in the account holding the provider's subject; every way the return can
be wrong (a subject nobody holds, another nonce, an expired token, a token signed by a key the
provider does not publish or made for another client, a state that is not this browser's, a
code used twice) is refused with 401 and leaves nobody signed in.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from metasummary import Project
from metasummary.web import WebSettings, create_app
from metasummary.web.oidc import FLOW_COOKIE, OidcSettings, seal, unseal
from metasummary.web.server import bind_socket, url_of
from metasummary.web.session import SessionSigner
from metasummary.web.settings import TeamMode
from tests.liveserver import LiveServer
from tests.oidcprovider import CLIENT_ID, CLIENT_SECRET, Provider, new_key, provider_app
from tests.teamdata import Team, build_team

SUBJECT = "0000-0002-1825-0097"


@dataclass
class Setup:
    team: Team
    provider: Provider
    app_url: str
    provider_url: str


@pytest.fixture
def setup(make_project: Callable[..., Project]) -> Iterator[Setup]:
    provider = Provider(subject=SUBJECT)
    with LiveServer(provider_app(provider)) as idp:
        provider.issuer = idp.url
        team = build_team(make_project)
        team.project.accounts.add(
            "orla", role="reviewer", reviewer="R4", oidc_subject=SUBJECT, actor="setup"
        )
        signer = SessionSigner(team.project.accounts.session_secret())
        sign_in = OidcSettings(
            issuer=idp.url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, label="Test IdP"
        )
        settings = WebSettings(team=TeamMode(signer=signer, oidc=sign_in))
        with LiveServer(create_app(team.project, settings)) as app:
            yield Setup(team, provider, app.url, idp.url)


@pytest.fixture
def browser(setup: Setup) -> Iterator[httpx.Client]:
    """A client that keeps cookies and follows redirects, as a browser does."""
    with httpx.Client(base_url=setup.app_url, follow_redirects=True, timeout=30) as client:
        yield client


def signed_in_as(client: httpx.Client) -> str | None:
    session = client.get("/api/session").json()
    return session["account"] if session["signed_in"] else None


def to_provider(client: httpx.Client, next_path: str = "/records") -> httpx.Response:
    """Starts the sign-in; the provider's answer (its redirect back), not yet followed."""
    start = client.get("/signin/oidc", params={"next": next_path}, follow_redirects=False)
    assert start.status_code == 303, start.text
    answer = client.get(start.headers["location"], follow_redirects=False)
    assert answer.status_code == 302, answer.text
    return answer


def refused(client: httpx.Client, setup: Setup) -> str:
    """Runs the whole flow; the text of the app's last answer, which must refuse with nobody
    signed in."""
    decisions = setup.team.project.data_version()
    response = client.get("/signin/oidc", params={"next": "/records"})
    assert response.status_code == 401, response.text
    assert str(response.url).startswith(setup.app_url + "/signin/oidc/callback?")
    assert signed_in_as(client) is None
    assert client.get("/api/records").status_code == 401
    assert setup.team.project.data_version() == decisions
    return html.unescape(response.text)


def test_the_provider_signs_in_the_account_holding_its_subject(
    browser: httpx.Client, setup: Setup
) -> None:
    page = browser.get("/signin")
    assert 'href="/signin/oidc?next=/"' in page.text
    assert "Sign in with Test IdP" in page.text
    anonymous = browser.get("/api/session").json()["csrf_token"]
    start = browser.get("/signin/oidc", params={"next": "/records"}, follow_redirects=False)
    assert start.status_code == 303
    asked = urlsplit(start.headers["location"])
    query = parse_qs(asked.query)
    assert f"{asked.scheme}://{asked.netloc}" == setup.provider_url
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [setup.app_url + "/signin/oidc/callback"]
    assert query["code_challenge_method"] == ["S256"]
    assert "openid" in query["scope"][0].split()
    assert all(query[name][0] for name in ("state", "nonce", "code_challenge"))
    flow_cookie = start.headers["set-cookie"]
    assert flow_cookie.startswith(f"{FLOW_COOKIE}=")
    assert "HttpOnly" in flow_cookie
    assert "Path=/signin/oidc" in flow_cookie

    records = browser.get(start.headers["location"])  # provider > callback > /records
    assert records.status_code == 200, records.text
    assert records.url.path == "/records"
    assert [r.status_code for r in records.history] == [302, 303]
    assert "orla · reviewer (R4)" in records.text
    assert len(setup.provider.exchanged) == 1  # the code was exchanged, with the verifier
    assert FLOW_COOKIE not in browser.cookies  # the flow's cookie is spent

    session = browser.get("/api/session").json()
    assert (session["account"], session["role"], session["reviewer"]) == ("orla", "reviewer", "R4")
    assert session["csrf_token"] != anonymous  # a new session, with its own token
    vote = {"record_id": setup.team.records[0], "reviewer": "R4", "verdict": "include"}
    done = browser.post(
        "/api/screening/decisions", json=vote, headers={"X-CSRF-Token": session["csrf_token"]}
    )
    assert done.status_code == 200, done.text
    view = setup.team.project.screening.view(setup.team.records[0], phase="ta", viewer="R4")
    assert [(d.reviewer, d.verdict) for d in view.decisions] == [("R4", "include")]


def test_a_subject_no_account_holds_is_refused(browser: httpx.Client, setup: Setup) -> None:
    setup.provider.subject = "0000-0001-5109-3700"
    text = refused(browser, setup)
    assert "no account here for the identity '0000-0001-5109-3700'" in text
    assert "metasummary user add NAME --oidc-subject 0000-0001-5109-3700" in text


def test_a_disabled_account_is_refused(browser: httpx.Client, setup: Setup) -> None:
    setup.team.project.accounts.disable("orla")
    assert "account 'orla' is disabled" in refused(browser, setup)


def test_another_nonce_is_refused(browser: httpx.Client, setup: Setup) -> None:
    setup.provider.nonce = "a nonce this browser was not given"
    text = refused(browser, setup)
    assert "ID token failed a check" in text
    assert "nonce" in text


def test_an_expired_token_is_refused(browser: httpx.Client, setup: Setup) -> None:
    setup.provider.lifetime = -120  # expired two minutes ago, beyond the minute's leeway
    text = refused(browser, setup)
    assert "ID token failed a check" in text
    assert "exp" in text


def test_a_token_signed_by_a_foreign_key_is_refused(browser: httpx.Client, setup: Setup) -> None:
    setup.provider.foreign_key = new_key()  # a key id the published keys do not hold
    assert "ID token failed a check" in refused(browser, setup)
    # the published key's id on a token another key signed: the signature fails
    setup.provider.foreign_key = new_key(kid=setup.provider.key.kid)
    assert "ID token failed a check" in refused(browser, setup)


def test_a_token_for_another_client_is_refused(browser: httpx.Client, setup: Setup) -> None:
    setup.provider.audience = "another-client"
    text = refused(browser, setup)
    assert "ID token failed a check" in text
    assert "aud" in text


def test_a_wrong_state_is_refused_before_the_code_is_spent(
    browser: httpx.Client, setup: Setup
) -> None:
    back = urlsplit(to_provider(browser).headers["location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    forged = urlencode({**query, "state": "a state another browser was given"})
    response = browser.get(f"{back.path}?{forged}")
    assert response.status_code == 401
    assert "was not started here" in response.text
    assert setup.provider.exchanged == []  # refused before the code went to the provider
    assert signed_in_as(browser) is None


def test_a_return_to_another_browser_is_refused(browser: httpx.Client, setup: Setup) -> None:
    """The provider's redirect replayed in a browser that did not start the sign-in."""
    back = to_provider(browser).headers["location"]
    with httpx.Client(timeout=30) as stranger:
        response = stranger.get(back)
        assert response.status_code == 401
        assert "was not started here" in response.text
        assert stranger.get(setup.app_url + "/api/session").json()["signed_in"] is False
    assert setup.provider.exchanged == []


def test_a_code_used_once_is_refused_again(browser: httpx.Client, setup: Setup) -> None:
    back = to_provider(browser).headers["location"]
    flow = browser.cookies.get(FLOW_COOKIE, path="/signin/oidc")
    assert flow
    assert browser.get(back).status_code == 200
    assert signed_in_as(browser) == "orla"
    with httpx.Client(base_url=setup.app_url, timeout=30) as replay:
        replay.cookies.set(FLOW_COOKIE, flow, path="/signin/oidc")
        response = replay.get(back)
        assert response.status_code == 401
        assert "the provider refused the sign-in" in response.text
        assert "invalid_grant" in response.text
        assert replay.get("/api/session").json()["signed_in"] is False
    assert len(setup.provider.exchanged) == 1


def test_a_person_who_declines_at_the_provider_is_not_signed_in(
    browser: httpx.Client, setup: Setup
) -> None:
    setup.provider.declines = True
    assert "the provider did not sign you in (access_denied)" in refused(browser, setup)
    assert setup.provider.exchanged == []


def test_a_sign_in_started_too_long_ago_is_refused(browser: httpx.Client, setup: Setup) -> None:
    """A flow cookie past its ten minutes (sealed with the server's own key, so only its age
    is wrong) no longer completes a sign-in."""
    back = to_provider(browser).headers["location"]
    flow = browser.cookies.get(FLOW_COOKIE, path="/signin/oidc")
    key = SessionSigner(setup.team.project.accounts.session_secret()).derived_key("oidc")
    old = replace(unseal(flow, key), expires=int(time.time()) - 1)  # type: ignore[arg-type]
    browser.cookies.set(FLOW_COOKIE, seal(old, key), path="/signin/oidc")
    response = browser.get(back)
    assert response.status_code == 401
    assert "expired or was not started here" in response.text
    assert setup.provider.exchanged == []
    assert signed_in_as(browser) is None


def test_an_unreachable_provider_is_a_bad_gateway(browser: httpx.Client, setup: Setup) -> None:
    """The provider cannot be reached (its server is down): one line naming it, 502."""
    free = bind_socket("127.0.0.1", 0)  # a port that was free, closed again
    issuer = url_of(free).rstrip("/")
    free.close()
    settings = OidcSettings(issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    signer = SessionSigner(setup.team.project.accounts.session_secret())
    app = create_app(setup.team.project, WebSettings(team=TeamMode(signer, oidc=settings)))
    with LiveServer(app) as down, httpx.Client(base_url=down.url, timeout=30) as client:
        response = client.get("/signin/oidc")
        assert response.status_code == 502
        assert f"{issuer}/.well-known/openid-configuration" in response.text
        assert signed_in_as(client) is None
