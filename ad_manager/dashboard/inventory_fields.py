"""Form fields the inventory forms share."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, widgets
from wtforms.validators import NumberRange

from ad_manager.models.base import LARGEST_ID

# Counts and weights are integer columns (int4 on PostgreSQL).
WITHIN_COLUMN = NumberRange(max=LARGEST_ID, message=_l("This number is too large."))


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
