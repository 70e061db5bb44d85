"""Domain errors, named for what happened; the edges map them to HTTP codes and END screens."""


class DomainError(Exception):
    """Base of every rule the domain refuses to break."""


class ListingNotFound(DomainError):
    pass


class ListingUnavailable(DomainError):
    """Paused, or sold out."""


class OutOfStock(DomainError):
    pass


class InvalidQuantity(DomainError):
    pass


class OwnListing(DomainError):
    """A seller tried to buy from themselves."""


class PersonNotFound(DomainError):
    pass
