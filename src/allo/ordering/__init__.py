"""Understanding order messages (pure): normalise, numbers, catalog matching, address, time.

Public API:
    OrderParser(catalog).parse(text, lang="auto") -> Draft
    Draft, DraftLine, AddressParts, RequestedTime (allo.ordering.draft)
"""

from allo.ordering.draft import CONFIDENT, AddressParts, Draft, DraftLine, RequestedTime
from allo.ordering.parser import OrderParser

__all__ = ["CONFIDENT", "AddressParts", "Draft", "DraftLine", "OrderParser", "RequestedTime"]
