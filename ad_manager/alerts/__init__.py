"""Delivery alerts: what needs a salesperson's eye (``rules``), said in their language
(``wording``), on the home page and in a daily e-mail digest (``digest``, ``mail``)."""
