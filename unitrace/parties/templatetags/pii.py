"""``{{ party|name_for:request.user }}``: a party's name as the user may see it."""

from django import template

from unitrace.parties.masking import party_name

register = template.Library()


@register.filter
def name_for(party, user) -> str:
    return party_name(party, user)
