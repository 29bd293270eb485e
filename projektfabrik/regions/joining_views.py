"""Pages of "join with my account from next door" (regions/joining.py), on town hosts.

In the project's town M: the start of a round trip (``start_*``: keep a state
in the session, send the browser to the home town) and its end (``arrive_*``:
open the token, sign in). In the home town B: the person confirms
(``confirm_*``), B seals and sends the browser to M. Either side: ending a
link (``end_link``) and hearing that the other side ended it (``arrive_unlink``).

The other town is always named by its slug and looked up among the region's
partners (handoff.partner); its address comes from its canonical host, never
from the query string, so no link can send a person to a stranger's site.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from projektfabrik.accounts.forms import ButtonForm
from projektfabrik.accounts.views import _finish_login
from projektfabrik.extensions import db
from projektfabrik.projects import access
from projektfabrik.regions import handoff, joining, readmodel
from projektfabrik.regions.accountlinks import Side, TownLink, of_user
from projektfabrik.regions.forms import JoinConsentForm
from projektfabrik.regions.handoff import HandoffRefused
from projektfabrik.security import policy_with_form_action
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.urls import safe_next_url
from projektfabrik.viewhelpers import show_refusal

bp = Blueprint("joining", __name__)

#: M's session key for the round trip under way: {"state": ..., "next": ...}.
STATE_KEY = "handoff_state"
TOWN_PARAM = "gemeinde"
#: A state is ``secrets.token_urlsafe(16)``; anything much longer is not one.
STATE_MAX = 64


def _refused(error: HandoffRefused, status: int = 400, **context: Any) -> ResponseReturnValue:
    db.session.rollback()
    page = render_template("region/handoff_refused.html", message=error.message, **context)
    return page, status


def _partner_or_refuse(slug: str) -> readmodel.Participant:
    found = handoff.partner(current_tenant().id, slug)
    if found is None:
        raise HandoffRefused(handoff.NOT_A_PARTNER)
    return found


def _origin(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _to_partner(town: readmodel.Participant, endpoint: str, **values: Any) -> Response:
    # 303: the browser follows a POST's answer with a GET.
    return redirect(handoff.partner_url(town, url_for(endpoint, **values)), 303)


def _away(town: readmodel.Participant, endpoint: str, next_url: str, **values: Any) -> Response:
    """M sends the browser to B, remembering in its own session who left from here."""
    state = joining.new_state()
    session[STATE_KEY] = {"state": state, "next": next_url}
    return _to_partner(town, endpoint, state=state, **{TOWN_PARAM: current_tenant().slug}, **values)


def _returned() -> tuple[str | None, str | None]:
    kept = session.pop(STATE_KEY, None)
    if not isinstance(kept, dict):
        return None, None
    return kept.get("state"), kept.get("next")


# --- in the project's town M ---------------------------------------------------------


@bp.get("/region/mitmachen/<int:number>/<gemeinde>")
def start_join(number: int, gemeinde: str) -> ResponseReturnValue:
    project = access.project_or_404(number)
    team_page = url_for("teams.team", number=project.number)
    if current_user.is_authenticated:
        return redirect(team_page)
    try:
        town = _partner_or_refuse(gemeinde)
    except HandoffRefused as error:
        return _refused(error, 404)
    if town not in joining.offered_towns(project):
        return _refused(HandoffRefused(joining.PROJECT_GONE), 404)
    return _away(town, "joining.confirm_join", team_page, projekt=project.number)


@bp.app_template_global()
def neighbour_sign_in_towns() -> list[readmodel.Participant]:
    """For the login page: the towns whose people may sign in here through them."""
    if g.get("tenant") is None:
        return []
    return handoff.partners(current_tenant().id)


@bp.app_template_global()
def home_town_link(user: Any) -> TownLink | None:
    """For the account page of an account without a password: the neighbouring town
    it was made from (its newest link), if any."""
    links = [link for link in of_user(user) if link.side == Side.GUEST]
    return links[0] if links else None


@bp.get("/region/anmelden/<gemeinde>")
def start_sign_in(gemeinde: str) -> ResponseReturnValue:
    next_url = safe_next_url(request.args.get("next"), url_for("site.landing"))
    if current_user.is_authenticated:
        return redirect(next_url)
    try:
        town = _partner_or_refuse(gemeinde)
    except HandoffRefused as error:
        return _refused(error, 404)
    return _away(town, "joining.confirm_sign_in", next_url)


@bp.get("/region/ankunft/mitmachen")
def arrive_join() -> ResponseReturnValue:
    state, next_url = _returned()
    try:
        sealed = handoff.open_sealed(request.args.get("token", ""), joining.JOIN)
        db.session.commit()  # the token is used up, whatever follows
        arrival = joining.arrive_to_join(sealed, state)
    except joining.AddressTaken as error:
        # The home town recorded a link that will not be: a way back that ends it.
        home = next(
            (
                p
                for p in handoff.partners(current_tenant().id)
                if p.tenant_id == sealed.from_town_id
            ),
            None,
        )
        back = None
        if home is not None and error.undo is not None:
            back = (
                home.town.name,
                handoff.partner_url(home, url_for("joining.arrive_unlink", token=error.undo)),
            )
        return _refused(error, back=back)
    except HandoffRefused as error:
        return _refused(error)
    db.session.commit()
    target = next_url or url_for("site.landing")
    if arrival.project_number is not None:
        target = url_for("teams.team", number=arrival.project_number) + "#mitmachen"
    if not arrival.user.display_name:
        target = url_for("accounts.profile")
    response = _finish_login(arrival.user, next_url=target)
    # After the login: it starts a fresh session, which would drop a message flashed before.
    if not arrival.user.display_name:
        flash(_("Please enter the name the team should see."), "info")
    elif arrival.created:
        flash(_("Your account is linked. Tell the team why you would like to join."), "success")
    return response


@bp.get("/region/ankunft/anmelden")
def arrive_sign_in() -> ResponseReturnValue:
    state, next_url = _returned()
    try:
        sealed = handoff.open_sealed(request.args.get("token", ""), joining.SIGN_IN)
        db.session.commit()
        user = joining.arrive_to_sign_in(sealed, state)
    except HandoffRefused as error:
        return _refused(error)
    return _finish_login(user, next_url=next_url or url_for("site.landing"))


# --- in the person's home town B -----------------------------------------------------


def _round_trip_args() -> tuple[readmodel.Participant, str]:
    town = _partner_or_refuse(request.args.get(TOWN_PARAM, ""))
    state = request.args.get("state", "")
    if not state or len(state) > STATE_MAX:
        raise HandoffRefused(handoff.INVALID)
    return town, state


def _with_form_action(page: str, town: readmodel.Participant, status: int = 200) -> Any:
    # The form's answer redirects to the other town: the policy must let it.
    origin = _origin(handoff.partner_url(town, "/"))
    return page, status, {"Content-Security-Policy": policy_with_form_action(origin)}


@bp.route("/region/bestaetigen/mitmachen", methods=["GET", "POST"])
@login_required
def confirm_join() -> ResponseReturnValue:
    try:
        town, state = _round_trip_args()
        number = request.args.get("projekt", type=int)
        project = readmodel.one_project(town, number) if number is not None else None
        if project is None or number is None:
            raise HandoffRefused(joining.PROJECT_GONE)
    except HandoffRefused as error:
        return _refused(error, 404)
    form = JoinConsentForm()
    form.name.label.text = _("My name: %(name)s", name=current_user.display_name)
    form.email.label.text = _("My e-mail address: %(email)s", email=current_user.email)
    form.skills.label.text = _("My skills: %(skills)s", skills=current_user.skills or "–")
    status = 200
    if form.validate_on_submit():
        share = joining.Share(
            name=bool(form.name.data), email=bool(form.email.data), skills=bool(form.skills.data)
        )
        try:
            token = joining.consent_to_join(current_user, town, number, share, state)
        except HandoffRefused as error:
            show_refusal(form, error)
            status = 400
        else:
            db.session.commit()
            return _to_partner(town, "joining.arrive_join", token=token)
    elif request.method == "POST":
        status = 400
    page = render_template("region/confirm_join.html", form=form, town=town, project=project)
    return _with_form_action(page, town, status)


@bp.route("/region/bestaetigen/anmelden", methods=["GET", "POST"])
@login_required
def confirm_sign_in() -> ResponseReturnValue:
    try:
        town, state = _round_trip_args()
    except HandoffRefused as error:
        return _refused(error, 404)
    form = ButtonForm()
    if form.validate_on_submit():
        try:
            token = joining.consent_to_sign_in(current_user, town, state)
        except HandoffRefused as error:
            return _refused(error)
        return _to_partner(town, "joining.arrive_sign_in", token=token)
    page = render_template("region/confirm_sign_in.html", form=form, town=town)
    return _with_form_action(page, town, 400 if request.method == "POST" else 200)


# --- either side: ending a link ----------------------------------------------------------


def _own_link(gemeinde: str) -> tuple[TownLink, str]:
    """The person's active link with the town named by its slug (even a town that has
    left the region since: ending a link must always be possible)."""
    for link in of_user(current_user):
        if link.active and link.other_town.slug == gemeinde:
            return link, link.other_town.name
    abort(404)


@bp.route("/konto/verknuepfungen/<gemeinde>/beenden", methods=["GET", "POST"])
@login_required
def end_link(gemeinde: str) -> ResponseReturnValue:
    link, town_name = _own_link(gemeinde)
    form = ButtonForm()
    if form.validate_on_submit():
        token = joining.end_link(current_user, link)
        db.session.commit()
        partner = handoff.partner(current_tenant().id, gemeinde)
        if token is not None and partner is not None:
            # Tell the other town at once (docs/architecture.md): the browser takes
            # a sealed "unlink" there, which ends the other side too.
            return _to_partner(partner, "joining.arrive_unlink", token=token)
        flash(_("The link with %(town)s is ended.", town=town_name), "success")
        return redirect(url_for("accounts.settings"))
    partner = handoff.partner(current_tenant().id, gemeinde)
    page = render_template("region/end_link.html", form=form, link=link, town_name=town_name)
    if partner is None:
        return page
    return _with_form_action(page, partner)


@bp.get("/region/ankunft/trennen")
def arrive_unlink() -> ResponseReturnValue:
    try:
        sealed = handoff.open_sealed(request.args.get("token", ""), joining.UNLINK)
        link = joining.arrive_to_unlink(sealed)
    except HandoffRefused as error:
        return _refused(error)
    db.session.commit()
    return render_template("region/link_ended.html", link=link)
