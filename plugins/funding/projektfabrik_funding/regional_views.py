"""The pages of regional pots in a neighbouring town: a copy's description, and the
team's application form. Routes on the funding blueprint (views.bp)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from projektfabrik.api import (
    _,
    current_user,
    db,
    finance_summary,
    find_project,
    format_input,
    found_or_404,
    is_project_editor,
    login_required,
    parse_cents,
    render_template,
)
from projektfabrik_funding import regional
from projektfabrik_funding.errors import FundingError
from projektfabrik_funding.views import bp


def _open_copy(ref: str) -> regional.NeighbourPot:
    """A neighbour's pot that is open to this town now; 404 otherwise (as for no pot)."""
    copy = found_or_404(regional.find_neighbour_pot(ref))
    if copy not in regional.neighbour_pots():
        abort(404)
    return copy


@bp.get("/region/<ref>")
def neighbour_pot(ref: str) -> ResponseReturnValue:
    copy = _open_copy(ref)
    return render_template("funding/neighbour_pot.html", pot=copy, regional=regional)


@bp.route("/projekte/<project_ref>/region/<ref>", methods=["GET", "POST"])
@login_required
def regional_apply(project_ref: str, ref: str) -> ResponseReturnValue:
    project = found_or_404(find_project(project_ref))
    if not is_project_editor(project, current_user):
        abort(404)
    copy = _open_copy(ref)
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    chosen: tuple[str, ...] = ()
    share = False
    if request.method == "POST":
        typed = {k: v for k, v in request.form.items() if k != "csrf_token"}
        chosen = tuple(request.form.getlist("sections"))
        share = request.form.get("share_contact") == "y"
        try:
            requested = parse_cents(typed.get("requested", ""))
        except Exception:  # noqa: BLE001 - any unreadable amount is the same mistake
            requested = -1
        entered = regional.RegionalInput(
            answers={k.removeprefix("answer-"): v for k, v in typed.items() if k[:7] == "answer-"},
            sections=chosen,
            share_contact=share,
            requested_cents=requested,
        )
        errors = regional.check_input(copy, entered)
        if requested == -1:
            errors["requested"] = _("Please enter an amount in euros, e.g. 1.500,00.")
        if not errors:
            try:
                regional.apply(copy, project, current_user, entered)
            except FundingError as error:
                db.session.rollback()
                errors["form"] = error.message
            else:
                db.session.commit()
                flash(
                    _(
                        "Your application is on its way to %(town)s. "
                        "You will see the decision here.",
                        town=copy.from_town,
                    ),
                    "success",
                )
                return redirect(url_for("funding.project_tab", project_ref=project.ref))
    else:
        planned = finance_summary(project).requested_funding
        typed = {"requested": format_input(planned) if planned else ""}
    return render_template(
        "funding/regional_apply.html",
        project=project,
        pot=copy,
        typed=typed,
        errors=errors,
        chosen=chosen,
        share=share,
        regional=regional,
    ), (422 if errors else 200)
