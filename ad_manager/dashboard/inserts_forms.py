"""Forms of the insert screens: the insert, its ordered picks, and the preview's page."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ad_manager.catalog.inserts import SLUG, Pick
from ad_manager.dashboard.articles_forms import DATETIME_FORMATS, to_utc
from ad_manager.dashboard.pagination import within_calendar
from ad_manager.delivery.link_choice import MAX_LINKS, RULES, InsertRule
from ad_manager.models.catalog import DEFAULT_RULES, INSERT_LABEL

RULE_CHOICES = [
    ("section", _l("Same section as the page")),
    ("tags", _l("Most shared tags with the page")),
    ("latest", _l("Latest articles")),
    ("manual", _l("Hand-picked list")),
]
# Each rule once at most: the chain has as many places as there are rules.
CHAIN_LENGTH = len(RULES)
BLANK_PICKS = 1


def chain_rows(rules) -> list[str]:
    """Give the chain as the form's rows: the rules in order, then empty places."""
    rules = [name for name in rules or () if name in RULES]
    return (rules + [""] * CHAIN_LENGTH)[:CHAIN_LENGTH]


class PickForm(Form):
    """One row of the hand-picked list (no CSRF of its own: the insert form has it)."""

    article = SelectField(_l("Article"), choices=[], validate_choice=True)
    starts_at = DateTimeLocalField(_l("From"), format=DATETIME_FORMATS,
                                   validators=[Optional(), within_calendar])
    ends_at = DateTimeLocalField(_l("Until"), format=DATETIME_FORMATS,
                                 validators=[Optional(), within_calendar])

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must come after the start."))


class InsertForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Slug"), validators=[
        DataRequired(), Length(max=64),
        Regexp(SLUG, message=_l("Lower-case letters, digits and dashes, e.g. a-lire-aussi."))])
    label = StringField(_l("Label"), default=INSERT_LABEL,
                        validators=[DataRequired(), Length(max=60)])
    rules = FieldList(
        SelectField(choices=[("", _l("— then nothing")), *RULE_CHOICES], default=""),
        label=_l("Links chosen by, in order"), min_entries=CHAIN_LENGTH,
        max_entries=CHAIN_LENGTH, default=chain_rows(DEFAULT_RULES))
    picks = FieldList(FormField(PickForm), label=_l("Hand-picked articles"))
    link_count = IntegerField(_l("Links per insert"), default=1, validators=[
        InputRequired(), NumberRange(min=1, max=MAX_LINKS)])
    max_age_days = IntegerField(_l("Link only articles younger than (days)"), validators=[
        Optional(), NumberRange(min=1, max=3650)])
    allow_sponsored = BooleanField(_l("A sponsored link may take the first place"))
    # Only for the preview: the page the insert is shown on.
    preview_section = StringField(_l("Preview on a page of section"),
                                  validators=[Optional(), Length(max=120)])
    preview_tags = StringField(_l("with tags"), validators=[Optional(), Length(max=500)])

    def set_article_choices(self, articles) -> None:
        """Offer the given articles in every pick row; hidden ones say so."""
        choices = [("", "—")] + [
            (str(a.id), a.title if a.status == "listed" else f"{a.title} ({_('Hidden')})")
            for a in articles]
        for entry in self.picks:
            entry.form.article.choices = choices

    def add_blank_picks(self, articles) -> None:
        for _row in range(BLANK_PICKS):
            self.picks.append_entry()
        self.set_article_choices(articles)

    def validate_rules(self, field):
        chosen = [entry.data for entry in field if entry.data]
        if not chosen:
            raise ValidationError(_("Choose at least one rule."))
        if len(set(chosen)) != len(chosen):
            raise ValidationError(_("Each rule may come once in the chain."))

    def validate_picks(self, field):
        if "manual" in self.chosen_rules() and not self.chosen_picks():
            # A plain string: the template tells list-level errors from rows' error lists.
            raise ValidationError(_("Pick at least one article for a hand-picked list."))

    def chosen_rules(self) -> list[str]:
        """The rules of the chain as typed, in order, each once, unknown ones left out."""
        return list(dict.fromkeys(entry.data for entry in self.rules if entry.data in RULES))

    def chosen_picks(self) -> list[Pick]:
        """The filled rows, in order, with their dates as UTC instants."""
        return [
            Pick(int(entry.form.article.data), to_utc(entry.form.starts_at.data),
                 to_utc(entry.form.ends_at.data))
            for entry in self.picks
            if (entry.form.article.data or "").isascii() and entry.form.article.data.isdigit()
        ]

    def rule(self) -> InsertRule:
        """The insert's choice rule as typed, leniently (the preview runs on unsaved input)."""
        rules = tuple(self.chosen_rules()) or DEFAULT_RULES
        count = self.link_count.data if isinstance(self.link_count.data, int) else 1
        age = self.max_age_days.data if isinstance(self.max_age_days.data, int) else None
        picks = tuple((p.article_id, p.starts_at, p.ends_at) for p in self._lenient_picks())
        return InsertRule(rules=rules, link_count=max(1, min(count, MAX_LINKS)),
                          max_age_days=age if age and 0 < age <= 3650 else None,
                          picks=picks)

    def _lenient_picks(self) -> list[Pick]:
        try:
            return self.chosen_picks()
        except (TypeError, ValueError):
            return []


class NewInsertForm(InsertForm):
    site = SelectField(_l("Site"), coerce=int)
