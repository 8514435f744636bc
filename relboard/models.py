"""The tables of relboard: fields and indexes only.

Every query and write lives in ``relboard.services``; this module just says what is stored.
Dates are ``DateField``; moments are naive local ``DateTimeField`` values. Editable rows carry
``version`` (optimistic locking) and who/when created and last updated them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)

database_proxy = DatabaseProxy()

from relboard.domain import (  # noqa: E402,F401 - the vocabularies, re-exported for services
    CHANNELS,
    ENGAGEMENT,
    EXPECTATION_CATEGORIES,
    EXPECTATION_STATUSES,
    FEEDBACK_KINDS,
    HEALTH_BANDS,
    ISSUE_STATUSES,
    PHASES,
    REFERRAL_STATUSES,
    RISK_STATUSES,
    SEVERITIES,
    TIERS,
    severity_rank,
)

if TYPE_CHECKING:
    from typing import Self, TypeVar

    from peewee import ModelSelect

    _M = TypeVar("_M", bound=Model)

    class RowSelect(ModelSelect[_M]):
        """``Model.select()`` as the type checker sees it: Peewee's stubs type ``.dicts()`` and
        ``.tuples()`` as the same query, whose rows would be model instances; here their rows
        are what they are at run time, dicts and tuples (typed Any)."""

        def dicts(self, as_dict: bool = True) -> ModelSelect[Any]: ...  # type: ignore[override]
        def tuples(self, as_tuple: bool = True) -> ModelSelect[Any]: ...  # type: ignore[override]


NO_ONE = SQL("DEFAULT ''")
"""The database's own default of a text column a schema step added ("": nobody, no note),
so a new board's column is the same as an upgraded one's (the step had to give one)."""


class BaseModel(Model):
    """Binds every table to the one database proxy opened by ``relboard.db``."""

    if TYPE_CHECKING:  # Peewee adds ``id = AutoField()`` at run time; say so to the type checker
        id: AutoField[int]

        @classmethod
        def select(cls, *fields: Any) -> RowSelect[Self]: ...  # rows of .dicts()/.tuples() typed

    class Meta:
        database = database_proxy
        legacy_table_names = False


class Editable(BaseModel):
    """A row people edit: optimistic-lock version and audit stamps."""

    version = IntegerField(default=1)
    created_at = DateTimeField()
    created_by = CharField(max_length=64)
    updated_at = DateTimeField()
    updated_by = CharField(max_length=64)


class Customer(Editable):
    """An organisation we deliver projects for."""

    name = CharField(max_length=200)
    industry = CharField(max_length=100, default="")
    tier = CharField(max_length=20, default="standard")
    owner = CharField(max_length=64, default="")
    goals = TextField(default="")
    needs = TextField(default="")
    notes = TextField(default="")
    cadence_days = SmallIntegerField(null=True)  # None: the configured default
    archived = BooleanField(default=False)
    last_contact_at = DateTimeField(null=True)  # kept by services.clocks (schema 6)
    health_rating = SmallIntegerField(null=True)  # the PM's own rating, 0-100 (schema 7)
    health_rating_band = CharField(max_length=8, null=True)  # red / amber / green
    health_rating_note = TextField(default="", constraints=[NO_ONE])
    renews_on = DateField(null=True)  # the contract's renewal date (schema 10)

    class Meta:
        indexes = (
            (("archived", "name", "id"), False),
            (("archived", "owner", "name", "id"), False),
            (("archived", "cadence_days", "last_contact_at", "id", "owner"), False),
            (("archived", "last_contact_at", "id"), False),  # the list by contact (schema 9)
            (("archived", "tier", "name", "id"), False),  # the list by tier (schema 9)
            (("archived", "renews_on", "id"), False),  # Today's renewals ahead (schema 10)
            # one PM's share of a cadence, and of the renewals, in the walks' order (schema 17)
            (("archived", "cadence_days", "owner", "last_contact_at", "id"), False),
            (("archived", "owner", "renews_on", "id"), False),
        )


class Contact(Editable):
    """A stakeholder at a customer, with influence/interest and engagement (PMBOK)."""

    customer = ForeignKeyField(Customer, backref="contacts", on_delete="CASCADE")
    name = CharField(max_length=200)
    role = CharField(max_length=100, default="")
    email = CharField(max_length=200, default="")
    phone = CharField(max_length=50, default="")
    preferred_channel = CharField(max_length=20, default="email")
    influence = SmallIntegerField(default=3)
    interest = SmallIntegerField(default=3)
    engagement_current = CharField(max_length=20, default="neutral")
    engagement_desired = CharField(max_length=20, default="supportive")
    cadence_days = SmallIntegerField(null=True)  # None: no cadence of their own
    archived = BooleanField(default=False)
    last_contact_at = DateTimeField(null=True)  # kept by services.clocks (schema 6)
    # the owner of its customer ("": nobody), for "my view": kept by services.clocks (schema 17)
    account_owner = CharField(max_length=64, default="", constraints=[NO_ONE])

    class Meta:
        indexes = (
            (("customer", "archived", "name"), False),
            (("archived", "cadence_days", "last_contact_at", "id", "customer"), False),
            (("archived", "cadence_days", "account_owner", "last_contact_at", "id", "customer"),
             False),  # one PM's share of a cadence, in the walk's order (schema 17)
            (("archived", "engagement_current", "engagement_desired", "customer"),
             False),  # the Portfolio's engagement gaps, counted from the index (schema 19)
        )


class Project(Editable):
    """A project delivered for a customer; several per customer show repeat business."""

    customer = ForeignKeyField(Customer, backref="projects", on_delete="CASCADE")
    name = CharField(max_length=200)
    phase = CharField(max_length=20, default="initiation")
    start_date = DateField(null=True)
    end_date = DateField(null=True)
    archived = BooleanField(default=False)

    class Meta:
        indexes = ((("customer", "start_date"), False),
                   (("archived", "end_date", "id"), False))  # Today's renewals (schema 10)


class Interaction(Editable):
    """A touchpoint in the communication log (an internal note does not count as contact)."""

    customer = ForeignKeyField(Customer, backref="interactions", on_delete="CASCADE")
    project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
    channel = CharField(max_length=20, default="call")
    occurred_at = DateTimeField()
    summary = TextField()
    sentiment = SmallIntegerField(null=True)  # -2..+2
    follow_up_on = DateField(null=True)
    follow_up_done_at = DateTimeField(null=True)
    internal = BooleanField(default=False)
    # the owner of its customer ("" for nobody), kept by the saves (schema 23:
    # ``services.account_owners``): one PM's follow-ups due, a range of their own
    account_owner = CharField(max_length=64, default="", constraints=[NO_ONE])

    class Meta:
        indexes = (
            (("customer", "internal", "occurred_at"), False),
            (("customer", "occurred_at", "id"), False),
            (("occurred_at", "id"), False),
            (("follow_up_done_at", "follow_up_on", "id", "customer"), False),
            # a customer's open follow-ups: a PM of few customers' Today (schema 20)
            (("customer", "follow_up_done_at", "follow_up_on", "id"), False),
            # one PM's follow-ups due, by their customer's owner, in the walk's order (23)
            (("follow_up_done_at", "account_owner", "follow_up_on", "id", "customer"), False),
        )


class InteractionContact(BaseModel):
    """Which stakeholders took part in a touchpoint."""

    interaction = ForeignKeyField(Interaction, backref="participants", on_delete="CASCADE")
    contact = ForeignKeyField(Contact, backref="touchpoints", on_delete="CASCADE")

    class Meta:
        indexes = (
            (("interaction", "contact"), True),
            (("contact", "interaction"), False),
        )


class Expectation(Editable):
    """Something promised to the customer, with baseline and current due dates."""

    customer = ForeignKeyField(Customer, backref="expectations", on_delete="CASCADE")
    if TYPE_CHECKING:
        customer_id: int  # Peewee's accessor for the foreign key's own column
    project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
    statement = TextField()
    category = CharField(max_length=20, default="deliverable")
    owner = CharField(max_length=64, default="")
    baseline_due = DateField(null=True)
    current_due = DateField(null=True)
    status = CharField(max_length=20, default="proposed")

    class Meta:
        indexes = (
            (("status", "current_due", "id", "customer", "owner"), False),
            (("customer", "status"), False),  # the customer list's "at risk" count
            (("customer", "current_due", "id"), False),
            (("current_due", "id"), False),
            (("owner", "current_due", "id"), False),  # the word filter's owners (schema 18)
            (("status", "owner", "current_due", "id", "customer"), False),  # one PM's (19)
            (("customer", "status", "current_due", "id", "owner"), False),  # few customers' (20)
        )


class Decision(Editable):
    """A decision the customer took part in (decision log)."""

    customer = ForeignKeyField(Customer, backref="decisions", on_delete="CASCADE")
    if TYPE_CHECKING:
        customer_id: int  # Peewee's accessor for the foreign key's own column
    project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
    title = CharField(max_length=300)
    options = TextField(default="")
    rationale = TextField(default="")
    participants = TextField(default="")
    decided_on = DateField()
    expectation = ForeignKeyField(Expectation, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("customer", "decided_on"), False), (("decided_on", "id"), False))


class DecisionContact(BaseModel):
    """Which of the customer's stakeholders took part in a decision (schema 7)."""

    decision = ForeignKeyField(Decision, backref="participant_links", on_delete="CASCADE")
    contact = ForeignKeyField(Contact, backref="decisions", on_delete="CASCADE")

    class Meta:
        indexes = (
            (("decision", "contact"), True),
            (("contact", "decision"), False),
        )


class ExpectationChange(BaseModel):
    """One step of an expectation's trail: a status change or a renegotiation, and why."""

    expectation = ForeignKeyField(Expectation, backref="changes", on_delete="CASCADE")
    changed_at = DateTimeField()
    changed_by = CharField(max_length=64)
    old_status = CharField(max_length=20, null=True)
    new_status = CharField(max_length=20, null=True)
    old_due = DateField(null=True)
    new_due = DateField(null=True)
    old_statement = TextField(null=True)
    new_statement = TextField(null=True)
    reason = TextField(default="")
    decision = ForeignKeyField(Decision, null=True, backref="expectation_changes",
                               on_delete="SET NULL")  # the decision behind it (schema 7)

    class Meta:
        indexes = ((("expectation", "changed_at"), False),)


class Issue(Editable):
    """A customer concern in the queue, with its SLA clocks."""

    customer = ForeignKeyField(Customer, backref="issues", on_delete="CASCADE")
    project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
    raised_by = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    title = CharField(max_length=300)
    description = TextField(default="")
    severity = SmallIntegerField(default=severity_rank("medium"))  # 1 critical .. 4 low
    status = CharField(max_length=24, default="new")
    owner = CharField(max_length=64, default="")
    raised_at = DateTimeField()
    first_response_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    snoozed_until = DateField(null=True)
    expectation = ForeignKeyField(Expectation, null=True, on_delete="SET NULL")
    resolution = TextField(default="")
    waiting_since = DateTimeField(null=True)  # set while waiting on the customer (SLA paused)
    paused_seconds = IntegerField(default=0)  # SLA pause accumulated by earlier waits
    # Which SLA clock runs, from when (kept by services.clocks; schema 6): Today's order.
    clock = SmallIntegerField(default=0)
    clock_at = DateTimeField(null=True)
    clock_frozen = IntegerField(null=True)
    # the owner of the issue's customer ("" for nobody), kept by the saves (schema 22:
    # ``services.account_owners``): one PM's walk of others' issues for their customers
    account_owner = CharField(max_length=64, default="", constraints=[NO_ONE])

    class Meta:
        indexes = (
            (("clock", "severity", "clock_at", "id", "snoozed_until", "customer", "owner"),
             False),
            (("clock", "severity", "clock_frozen", "id"), False),
            (("customer", "status"), False),  # the customer list's "open issues" count
            (("severity", "raised_at", "id"), False),
            (("raised_at", "id"), False),
            (("status", "severity", "raised_at", "id"), False),
            (("customer", "severity", "raised_at", "id"), False),
            (("owner", "severity", "raised_at", "id"), False),
            # one PM's share of Today's walks, in their order (schema 19)
            (("clock", "severity", "owner", "clock_at", "id", "snoozed_until", "customer"),
             False),
            (("clock", "severity", "owner", "clock_frozen", "id"), False),
            # a customer's clocks: a PM of few customers' Today (schema 20)
            (("customer", "clock", "severity", "clock_at", "clock_frozen", "id",
              "snoozed_until", "owner"), False),
            # others' issues for one PM's customers, in the walks' order (schema 22)
            (("clock", "severity", "account_owner", "clock_at", "id", "snoozed_until",
              "customer", "owner"), False),
        )


class Risk(Editable):
    """A risk worked out jointly with the customer."""

    customer = ForeignKeyField(Customer, backref="risks", on_delete="CASCADE")
    project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
    title = CharField(max_length=300)
    description = TextField(default="")
    likelihood = SmallIntegerField(default=3)
    impact = SmallIntegerField(default=3)
    trigger = TextField(default="")
    mitigation = TextField(default="")
    contingency = TextField(default="")
    owner = CharField(max_length=64, default="")
    review_on = DateField(null=True)
    status = CharField(max_length=20, default="open")
    # likelihood x impact, kept by the services (schema 7)
    score = SmallIntegerField(default=9, constraints=[SQL("DEFAULT 9")])
    # worked out jointly (schema 11): who watches it on the customer's side, and when it was
    # last gone through with the customer (Today lists shared risks not reviewed lately)
    customer_owner = ForeignKeyField(Contact, null=True, backref="shared_risks",
                                     on_delete="SET NULL")
    reviewed_with_customer_on = DateField(null=True)
    # the owner of its customer ("" for nobody), kept by the saves (schema 23:
    # ``services.account_owners``): others' risks for one PM's customers, a range
    account_owner = CharField(max_length=64, default="", constraints=[NO_ONE])
    if TYPE_CHECKING:
        customer_owner_id: int | None  # Peewee's accessor for the foreign key's own column

    class Meta:
        indexes = ((("customer", "status"), False),
                   (("status", "review_on", "id", "customer", "owner"), False),  # schema 15
                   (("score", "id"), False), (("customer", "score", "id"), False),
                   (("status", "owner", "review_on", "id", "customer"), False),  # schema 19
                   (("customer", "status", "review_on", "id"), False),  # schema 20
                   (("owner", "score", "id"), False),  # one PM's new red risks (20)
                   (("customer", "status", "reviewed_with_customer_on", "created_at", "id"),
                    False),  # the shared risks of a PM's few customers (20)
                   # others' risks due for one PM's customers, in the walk's order (23)
                   (("status", "account_owner", "review_on", "id", "customer", "owner"),
                    False))


class Feedback(Editable):
    """A satisfaction answer: CSAT 1-5 or NPS 0-10."""

    customer = ForeignKeyField(Customer, backref="feedback", on_delete="CASCADE")
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
    kind = CharField(max_length=8, default="csat")
    score = SmallIntegerField()
    comment = TextField(default="")
    received_on = DateField()

    class Meta:
        indexes = ((("customer", "received_on"), False),)


class Referral(Editable):
    """A referral a customer gave us (loyalty)."""

    customer = ForeignKeyField(Customer, backref="referrals", on_delete="CASCADE")
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    referred_name = CharField(max_length=200)
    referred_on = DateField()
    status = CharField(max_length=20, default="new")
    notes = TextField(default="")

    class Meta:
        indexes = ((("customer", "referred_on"), False),)


class PlaybookRun(Editable):
    """A playbook of the config applied to a customer from a start date (schema 13): at
    most one run of a name per customer."""

    customer = ForeignKeyField(Customer, backref="playbook_runs", on_delete="CASCADE")
    name = CharField(max_length=40)
    started_on = DateField()

    class Meta:
        indexes = ((("customer", "name"), True),)


class PlaybookStep(Editable):
    """One step of a playbook run, a planned follow-up due on ``due_on`` (schema 13); done
    by the touchpoint that did it. A repeating step (``every_days``) is followed, once done,
    by its next occurrence (a new row, same position)."""

    run = ForeignKeyField(PlaybookRun, backref="steps", on_delete="CASCADE")
    customer = ForeignKeyField(Customer, on_delete="CASCADE")  # the run's: Today's scoping
    position = SmallIntegerField()
    do = CharField(max_length=200)
    every_days = SmallIntegerField(null=True)
    due_on = DateField()
    done_at = DateTimeField(null=True)
    done_interaction = ForeignKeyField(Interaction, null=True, on_delete="SET NULL")

    class Meta:
        indexes = (
            (("done_at", "due_on", "id", "customer"), False),  # Today: open steps by date
            (("run", "position", "due_on"), False),
        )


class HealthSnapshot(BaseModel):
    """A customer's computed health score on one day: the history behind the trend (schema 7).

    At most one row per customer and day; a later computation the same day replaces it.
    """

    customer = ForeignKeyField(Customer, backref="health_snapshots", on_delete="CASCADE")
    day = DateField()
    score = SmallIntegerField()
    band = CharField(max_length=8)
    taken_at = DateTimeField()
    # the better band of the week before it fell from (Today's "Health dropped"), if it fell
    dropped_from = CharField(max_length=8, null=True)
    # the owner of its customer ("" for nobody), kept by the saves and by the snapshots
    # written (schema 23: ``services.account_owners``): one PM's drops, a range
    account_owner = CharField(max_length=64, default="", constraints=[NO_ONE])

    class Meta:
        indexes = ((("customer", "day"), True), (("day", "customer"), False),
                   (("day", "dropped_from", "score", "customer"), False),
                   (("day", "score", "customer"), False),  # the lowest of a day (schema 19)
                   # one PM's drops of the day, by their customer's owner (schema 23)
                   (("day", "dropped_from", "account_owner", "score", "customer"), False))


class Activity(BaseModel):
    """The audit log: who changed which field of which record, when, old -> new."""

    at = DateTimeField()
    user = CharField(max_length=64)
    entity = CharField(max_length=32)
    entity_id = IntegerField()
    action = CharField(max_length=16)  # create / update / archive / status / import
    field = CharField(max_length=64, default="")
    old = TextField(null=True)
    new = TextField(null=True)
    version = IntegerField(null=True)  # the record's version this change made (schema 5)

    class Meta:
        indexes = ((("entity", "entity_id", "at"), False), (("at", "id"), False))


class Snooze(BaseModel):
    """An attention item put off until a date (customers, stakeholders, expectations).

    Issues keep their own ``snoozed_until``; follow-ups are snoozed by moving their date.
    """

    entity = CharField(max_length=32)
    entity_id = IntegerField()
    until = DateField()
    created_at = DateTimeField()
    created_by = CharField(max_length=64)

    class Meta:
        indexes = ((("entity", "entity_id"), True), (("until",), False))


class Tag(BaseModel):
    """A tag on a customer, issue, expectation or risk (schema 12): ``kind`` names the record's
    table, ``name`` is normalised (``services.tags``). ``(name, kind, record_id)`` makes
    "records with tag X" an index lookup; the unique key holds a record's tags once each."""

    kind = CharField(max_length=16)
    record_id = IntegerField()
    name = CharField(max_length=40)

    class Meta:
        indexes = ((("kind", "record_id", "name"), True), (("name", "kind", "record_id"), False))


class SchemaMigration(BaseModel):
    """One applied schema migration; the highest number is the schema version."""

    number = IntegerField(primary_key=True)
    name = CharField(max_length=100)
    applied_at = DateTimeField(constraints=[SQL("DEFAULT CURRENT_TIMESTAMP")])


class Setting(BaseModel):
    """A value the board keeps about itself (schema 14): ``sla_clocks``, the working hours
    its stored SLA clocks were computed with (``services.clock_sync``)."""

    key = CharField(max_length=64, primary_key=True)
    value = TextField(default="")


ENTITY_MODELS = (
    Customer, Contact, Project, Interaction, InteractionContact, Expectation, Decision,
    DecisionContact, ExpectationChange, Issue, Risk, Feedback, Referral, HealthSnapshot,
    PlaybookRun, PlaybookStep, Activity, Snooze, Tag,
)
"""Every data table in dependency order (parents before children)."""
LINK_MODELS = (InteractionContact, DecisionContact, Tag)
"""Tables that only link two records, or a record and a word (not counted as records)."""
