"""The profile's record tabs beyond the log: Health, Risks, Decisions, Feedback and Loyalty
(projects and referrals) — how they load, what enter opens, and the keys that add one.

A mixin of ``CustomerScreen`` (it needs ``customer_id``, ``load`` and ``_after``); the forms
it opens are imported when first used.
"""

from __future__ import annotations

from typing import Any, Callable

from textual import work
from textual.content import Content
from textual.widgets import DataTable, Static, TabbedContent

from relboard.services import decisions, profile_insight, profile_lists, records, risks
from relboard.services.lists import Page
from relboard.widgets.health_view import HealthView, figure_text
from relboard.widgets.paged_table import PagedTable
from relboard.widgets.safe import short
from relboard.widgets.service_caller import explain

RECORD_TABS = ("risks", "decisions", "feedback", "projects", "referrals")
"""Tables of records that enter opens in their form (``#NAME-table``)."""
NEW_BY_TAB = {"overview": "add_stakeholder", "touchpoints": "log",
              "expectations": "new_expectation", "issues": "new_issue", "health": "rate"}
"""What ``n`` adds on the tabs that do not list a kind of record of their own."""


def whole(read: Callable[[], list[dict[str, Any]]]) -> Callable[[Any, int], Page]:
    """A PagedTable fetch for a short list read whole."""
    return lambda after, limit: Page(read(), None)


def form_for(kind: str, customer_id: int, record_id: int | None = None) -> Any:
    """The form that adds (``record_id`` None) or edits a record of ``kind``."""
    if kind == "risks":
        from relboard.screens.risk_form import RiskForm as form
    elif kind == "decisions":
        from relboard.screens.decision_form import DecisionForm as form
    elif kind == "feedback":
        from relboard.screens.feedback_form import FeedbackForm as form
    elif kind == "projects":
        from relboard.screens.project_form import ProjectForm as form
    elif kind == "referrals":
        from relboard.screens.referral_form import ReferralForm as form
    else:
        from relboard.screens.contact_form import ContactForm as form
    return form(customer_id, record_id)


class ProfileRecords:
    """Loading, opening and adding the profile's risks, decisions, feedback, projects and
    referrals, the health figures, the PM's rating and archiving a stakeholder."""

    customer_id: int

    def load_records(self) -> None:
        """Read every record tab again, and the health figures."""
        ctx, cid = self.app.ctx, self.customer_id
        tables = {
            "risks": whole(lambda: risks.customer_risks(ctx, cid, include_closed=True)),
            "decisions": lambda after, limit: decisions.log_page(
                ctx, customer_id=cid, after=after, limit=limit),
            "feedback": whole(lambda: profile_lists.feedback_of(cid)),
            "projects": whole(lambda: profile_lists.projects_of(cid)),
            "referrals": whole(lambda: profile_lists.referrals_of(cid)),
        }
        for name, fetch in tables.items():  # the row asked for (from Today, a list) selected
            self.query_one(f"#{name}-table", PagedTable).load(fetch,
                                                              select=self._take_select(name))
        self._load_insight()

    @work(thread=True, exclusive=True, group="insight", exit_on_error=False)
    def _load_insight(self) -> None:
        view = self.query_one(HealthView)
        try:
            insight = profile_insight.customer_insight(self.app.ctx, self.customer_id)
        except Exception as exc:  # noqa: BLE001 - said in the tab; the profile says the rest
            self.app.call_from_thread(view.show_error, str(explain(exc)))
            return
        self.app.call_from_thread(self._show_insight, insight)

    def _show_insight(self, insight: Any) -> None:
        self.query_one(HealthView).show(insight)
        sat = insight.satisfaction
        self.query_one("#feedback-figures", Static).update(Content(
            f"Last {sat.csat.period_days} days: {figure_text('CSAT', sat.csat)} · "
            f"{figure_text('NPS', sat.nps, signed=True)}"))

    def record_kind(self) -> str | None:
        """The kind of record the active tab lists (the focused table on Loyalty)."""
        active = self.query_one(TabbedContent).active
        if active == "loyalty":
            focused = self.focused
            return "referrals" if focused is not None and focused.id == "referrals-table" \
                else "projects"
        return active if active in RECORD_TABS else None

    def open_record(self) -> bool:
        """Open the highlighted record of the active tab in its form; False if none is."""
        active = self.query_one(TabbedContent).active
        if active == "overview":
            contact = self.highlighted_stakeholder()
            if contact is not None:
                self.app.push_screen(form_for("contact", self.customer_id, contact),
                                     self._after)
            return contact is not None
        kind = self.record_kind()
        row = self.query_one(f"#{kind}-table", PagedTable).current_row() if kind else None
        if row is not None:
            self.app.push_screen(form_for(kind, self.customer_id, row["id"]), self._after)
        return row is not None

    def highlighted_stakeholder(self) -> int | None:
        """The id of the stakeholder under the cursor on the Overview, if any."""
        table = self.query_one("#stakeholders", DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def add_record(self, kind: str) -> None:
        """Open the form for a new record of ``kind`` (risks, decisions, ...)."""
        self.app.push_screen(form_for(kind, self.customer_id), self._after)

    def action_new(self) -> None:
        """Add a record of the kind the active tab shows (n)."""
        kind = self.record_kind()
        if kind is not None:
            self.add_record(kind)
        else:
            action = NEW_BY_TAB.get(self.query_one(TabbedContent).active, "log")
            getattr(self, f"action_{action}")()

    def action_new_project(self) -> None:
        """Add a project."""
        self.add_record("projects")

    def action_new_risk(self) -> None:
        """Add a risk to the joint register."""
        self.add_record("risks")

    def action_new_decision(self) -> None:
        """Record a decision."""
        self.add_record("decisions")

    def action_new_feedback(self) -> None:
        """Record a CSAT or NPS answer."""
        self.add_record("feedback")

    def action_new_referral(self) -> None:
        """Record a referral."""
        self.add_record("referrals")

    def action_rate(self) -> None:
        """Set your own health rating of the customer, with a note."""
        from relboard.screens.rating_form import RatingForm

        self.app.push_screen(RatingForm(self.customer_id), self._after)

    def action_archive_stakeholder(self) -> None:
        """Archive the highlighted stakeholder (they leave the profile and Today); asks."""
        from relboard.screens.confirm import ConfirmDialog

        contact = self.highlighted_stakeholder()
        if contact is None or self.query_one(TabbedContent).active != "overview":
            self.notify("Highlight a stakeholder on the Overview first", timeout=4)
            return
        row = next((k for k in self.profile.contacts if k["id"] == contact), None)
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_service(records.set_archived, self.app.ctx, "contact", contact,
                                  row["version"], True,
                                  done=lambda _: self._stakeholder_archived(row["name"]))

        self.app.push_screen(ConfirmDialog(f"Archive stakeholder {short(row['name'], 40)}?"),
                             answered)

    def _stakeholder_archived(self, name: str) -> None:
        self.notify(f"Archived {short(name, 40)}", timeout=3)
        self.load()
